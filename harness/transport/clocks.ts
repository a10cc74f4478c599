/**
 * Clock reads through the addon. The system clock is the clock of software
 * timestamps; a PHC is read through its dynamic POSIX clock id.
 */
import { loadAddon, type NativeInterfaceInfo } from './addon.ts'
import { native } from './errors.ts'

/** CLOCK_REALTIME in nanoseconds (the clock of software timestamps and of scheduled deadlines). */
export function systemTimeNs(): bigint {
  return loadAddon().systemTimeNs()
}

/** CLOCK_MONOTONIC in nanoseconds (for durations only). */
export function monotonicTimeNs(): bigint {
  return loadAddon().monotonicTimeNs()
}

/**
 * CLOCK_REALTIME − CLOCK_MONOTONIC, from the closest of a few back-to-back read pairs: maps a
 * monotonic time another process logged (ptp4l's `[sec.ms]`) onto the timestamp clock.
 */
export function realtimeMinusMonotonicNs(samples = 5): bigint {
  let best: { width: bigint; offset: bigint } | undefined
  for (let i = 0; i < samples; i++) {
    const m0 = monotonicTimeNs()
    const r = systemTimeNs()
    const m1 = monotonicTimeNs()
    const width = m1 - m0
    if (!best || width < best.width) best = { width, offset: r - (m0 + width / 2n) }
  }
  return best!.offset
}

/** Time of /dev/ptp<index>; throws ENODEV_PHC when it does not exist. */
export function phcTimeNs(index: number): bigint {
  return native(() => loadAddon().phcTimeNs(index))
}

export interface PhcSystemOffset {
  /** PHC − system clock */
  offsetNs: bigint
  /** width of the system-clock window around the PHC read (0 for a device cross-timestamp) */
  delayNs: bigint
  systemNs: bigint
  method: string
}

/** PHC − system offset: PTP_SYS_OFFSET_PRECISE, else the narrowest of `samples` PTP_SYS_OFFSET_EXTENDED reads. */
export function phcSystemOffset(index: number, samples = 9): PhcSystemOffset {
  return native(() => loadAddon().phcSystemOffset(index, samples))
}

/** Link state and timestamping capabilities of an interface, optionally in a named network namespace. */
export function interfaceInfo(name: string, netns?: string): NativeInterfaceInfo {
  return native(() => loadAddon().interfaceInfo(name, netns))
}
