/**
 * Frames in the order they crossed the wire. The recorder keeps the order the runtime handed
 * frames over, which across sockets (event port 319, general port 320) is not time order: a
 * Follow_Up may be handed over before the Sync that preceded it. Judges that reason about
 * order, and the pcapng export, use this order. A frame without a timestamp (a failed send)
 * takes its planned time or the previous frame's; ties keep recording order.
 */
import type { RecordedFrame } from './frame.ts'

export function inTimeOrder<F extends RecordedFrame>(frames: readonly F[]): { f: F; t: bigint }[] {
  let last = 0n
  const timed = frames.map((f) => {
    const t = f.timestampNs ?? f.plannedAt ?? last
    last = t
    return { f, t: t < 0n ? 0n : t }
  })
  return timed.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.f.index - b.f.index))
}
