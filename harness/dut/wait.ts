/**
 * Waiting for a DUT to reach a port state: polls readState() (its answers are
 * what count, not our timers), and on timeout says what the DUT was doing.
 */
import type { Dut, DutState, PortStateName } from './types.ts'

export interface WaitOptions {
  /** Port number (default: any port). */
  port?: number
  timeoutMs?: number
  pollMs?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves with the first state in which a port (or `port`) is in one of `want`, and the time it took. */
export async function waitForPortState(dut: Dut, want: PortStateName | PortStateName[], o: WaitOptions = {}): Promise<{ state: DutState; elapsedMs: number }> {
  const wanted = Array.isArray(want) ? want : [want]
  const t0 = Date.now()
  const deadline = t0 + (o.timeoutMs ?? 30_000)
  let last: DutState | undefined
  let lastError: unknown
  for (;;) {
    try {
      last = await dut.readState()
      const ports = o.port === undefined ? last.ports : last.ports.filter((p) => p.portNumber === o.port)
      if (ports.some((p) => wanted.includes(p.portState))) return { state: last, elapsedMs: Date.now() - t0 }
    } catch (e) {
      lastError = e
    }
    if (Date.now() > deadline) {
      const seen = last ? last.ports.map((p) => `port ${p.portNumber} ${p.portState}`).join(', ') || 'no ports' : `no state (${(lastError as Error)?.message ?? 'unknown'})`
      const log = (await dut.logs().catch(() => '')).trimEnd().split('\n').slice(-8).join('\n')
      throw new Error(`DUT did not reach ${wanted.join('/')} within ${o.timeoutMs ?? 30_000} ms; last seen: ${seen}${log ? `\n--- its log ends ---\n${log}` : ''}`)
    }
    await sleep(o.pollMs ?? 100)
  }
}

/** Resolves with the first state for which `accept` is true (e.g. a given grandmaster); throws with the last state on timeout. */
export async function waitForState(dut: Dut, accept: (s: DutState) => boolean, what: string, o: Omit<WaitOptions, 'port'> = {}): Promise<{ state: DutState; elapsedMs: number }> {
  const t0 = Date.now()
  const timeoutMs = o.timeoutMs ?? 30_000
  let last: DutState | undefined
  let lastError: unknown
  for (;;) {
    try {
      last = await dut.readState()
      if (accept(last)) return { state: last, elapsedMs: Date.now() - t0 }
    } catch (e) {
      lastError = e
    }
    if (Date.now() - t0 > timeoutMs) {
      const seen = last ? JSON.stringify(last, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) : `no state (${(lastError as Error)?.message ?? 'unknown'})`
      throw new Error(`DUT did not reach "${what}" within ${timeoutMs} ms; last seen: ${seen}`)
    }
    await sleep(o.pollMs ?? 100)
  }
}
