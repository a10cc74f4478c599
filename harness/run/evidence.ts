/**
 * What a test acquired, as its judge receives it: the data the test recorded (recordings,
 * polled states, what the harness did and when) plus what every judge may need to know
 * about the run — the session, what the DUT is configured to do, and the harness's noise.
 * It is serialisable (`evidence_codec.ts`), so a stored run is judged again by today's code.
 */
import type { DutSettings } from '../dut/settings.ts'
import type { DelayMechanismName, TransportName } from '../profiles/types.ts'
import type { HarnessNoise, Session } from './session_types.ts'

export const EVIDENCE_FORMAT = 'ptp-conform-evidence/1'

export interface SessionFacts {
  mode: 'lab' | 'device'
  transport: TransportName
  delayMechanism: DelayMechanismName
  domainNumber: number
  timestamping: string
  /** Identities the harness's emulated clocks use (index = the `identity` of a master spec). */
  harnessClockIdentities: string[]
}

export interface Evidence<D = unknown> {
  format: typeof EVIDENCE_FORMAT
  test: string
  profile: string
  session: SessionFacts
  dut: DutSettings
  noise: HarnessNoise
  /** What the test did and when (ms from its start): the narrative a reader follows. */
  steps: { atMs: number; text: string }[]
  /** The test's own acquisition (absent when the acquisition broke off because the DUT died). */
  data: D
  /** The DUT process ended during the test without the harness asking: a DUT fault, judged as FAIL. */
  dutExit?: { program: string; code: number | null; signal: string | null; atMs: number; logTail: string }
  /** What the acquisition was doing when it broke off, if it did. */
  acquisitionError?: string
}

export function sessionFacts(s: Session): SessionFacts {
  return {
    mode: s.mode,
    transport: s.transport,
    delayMechanism: s.delayMechanism,
    domainNumber: s.domainNumber,
    timestamping: s.timestamping,
    harnessClockIdentities: Array.from({ length: 8 }, (_, n) => s.harnessClockIdentity(n)),
  }
}
