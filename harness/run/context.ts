/**
 * What a conformance test function is handed. Everything device- and lab-specific
 * sits behind `session`, so the same test runs against the virtual lab and a real
 * device; everything the test learns goes out through `step`, `measure` and the
 * evidence helpers into its result record.
 */
import type { Profile } from '../profiles/types.ts'
import type { Session } from './session_types.ts'

export interface TestContext {
  profile: Profile
  session: Session
  /** Per-test parameters: defaults overridden by the profile's suites.overrides[id]. */
  params<T extends Record<string, unknown>>(defaults: T): T
  /** Record a phase ("waiting for the DUT to leave SLAVE") for the report and the progress line. */
  step(text: string): void
  /** Aborted on Ctrl-C / SIGTERM: long waits must give up promptly. */
  signal: AbortSignal
  /** Harness timestamp noise (ns): every bound is judged with it. */
  noiseNs: bigint
  /** Store an evidence file for this test (pcapng, SVG, JSON); returns its relative path. */
  attach(name: string, data: string | Uint8Array, kind: 'pcapng' | 'plot' | 'other'): string
  /** Wait coarsely (test phases, not protocol timing); rejects when the run is aborted. */
  sleep(ms: number): Promise<void>
}
