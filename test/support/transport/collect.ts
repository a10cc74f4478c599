/**
 * Waiting for received frames in tests. The watchdog timer only bounds how long
 * a failing test waits; it never measures anything.
 */
import type { Port } from '../../../harness/transport/port.ts'
import type { ReceivedFrame } from '../../../harness/transport/types.ts'

export function collectFrames(port: Port, count: number, timeoutMs = 3000, filter: (f: ReceivedFrame) => boolean = () => true): Promise<ReceivedFrame[]> {
  const got: ReceivedFrame[] = []
  return new Promise((resolve) => {
    let off: () => void = () => {}
    const watchdog = setTimeout(() => {
      off()
      resolve(got)
    }, timeoutMs)
    off = port.onReceive((f) => {
      if (!filter(f)) return
      got.push(f)
      if (got.length >= count) {
        clearTimeout(watchdog)
        off()
        resolve(got)
      }
    })
  })
}

export function percentile(values: bigint[], p: number): bigint {
  const s = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}

/** Resolves once `done()` holds, checked now and after every received frame; gives up after `timeoutMs`. */
export function receivedUntil(port: Port, done: () => boolean, timeoutMs = 3000): Promise<boolean> {
  if (done()) return Promise.resolve(true)
  return new Promise((resolve) => {
    let off: () => void = () => {}
    const watchdog = setTimeout(() => {
      off()
      resolve(done())
    }, timeoutMs)
    off = port.onReceive(() => {
      // Listeners run in registration order: let the caller's own listener see this frame first.
      queueMicrotask(() => {
        if (!done()) return
        clearTimeout(watchdog)
        off()
        resolve(true)
      })
    })
  })
}
