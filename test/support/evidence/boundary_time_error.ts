/**
 * TE-04 evidence without a network: what the harness's downstream slave records from a boundary
 * clock whose output carries a known time error te(t): two-step Syncs whose origin is te late or
 * early, and Delay_Resps whose receive time carries the same te, so the two-way time error is
 * exactly te(t). Optional lab stalls delay single exchanges by milliseconds, as measured live.
 */
import { encodeMessage } from '../../../harness/codec/message.ts'
import type { PortIdentity, PtpMessage } from '../../../harness/codec/types.ts'
import { FLAG_TWO_STEP } from '../../../harness/codec/constants.ts'
import { buildDelayReqMessage, buildDelayRespMessage, buildFollowUpMessage, buildSyncMessage, defaultHeaderDefaults, ts } from '../../../harness/engines/message_factory.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { BoundaryTimeErrorData } from '../../../suites/te/te-04-boundary-clock-time-error.ts'

const DUT_DOWN: PortIdentity = { clockIdentity: '020000.fffe.000001', portNumber: 2 }
const SLAVE: PortIdentity = { clockIdentity: '020000.fffe.000240', portNumber: 1 }
const LINK_NS = 500n

export interface BoundaryTeSimulation {
  /** The boundary clock's time error at t seconds into the window (ns). */
  teNs: (tS: number) => number
  seconds?: number
  domainNumber: number
  /** Exchange indices a lab stall delays by 2.84 ms on the way to the DUT (the live figure). */
  stalls?: number[]
  /** The clock never re-advertised the grandmaster. */
  neverLocked?: boolean
  /** The clock answers no Delay_Req (its port 2 sends Sync only). */
  noDelayResp?: boolean
}

export function simulateBoundaryTimeError(o: BoundaryTeSimulation): BoundaryTimeErrorData {
  const down = new Recorder()
  const rec = (direction: 'in' | 'out', at: bigint, m: PtpMessage) => down.record({ direction, port: 'hb', transport: 'l2', timestampNs: at, bytes: encodeMessage(m), message: m })
  const dut = defaultHeaderDefaults(DUT_DOWN, o.domainNumber)
  const slave = defaultHeaderDefaults(SLAVE, o.domainNumber)
  const t0 = 1_700_000_000_000_000_000n
  const n = (o.seconds ?? 60) * 16
  const stalls = new Set(o.stalls ?? [])
  for (let k = 0; k < n; k++) {
    const at = t0 + BigInt(k) * 62_500_000n
    const te = BigInt(Math.round(o.teNs(k / 16)))
    rec('in', at + LINK_NS, buildSyncMessage(dut, { sequenceId: k, flagField: FLAG_TWO_STEP }, ts(0n)))
    rec('in', at + LINK_NS + 50_000n, buildFollowUpMessage(dut, { sequenceId: k }, ts(at + te)))
    const t3 = at + 31_000_000n
    rec('out', t3, buildDelayReqMessage(slave, { sequenceId: k }, ts(0n)))
    const t4 = t3 + LINK_NS + (stalls.has(k) ? 2_840_000n : 0n) + te
    if (!o.noDelayResp) rec('in', t4 + 100_000n, buildDelayRespMessage(dut, { sequenceId: k }, ts(t4), SLAVE))
  }
  return {
    grandmaster: { clockIdentity: '020000.fffe.000040', portNumber: 1 },
    dutDownstreamPort: DUT_DOWN,
    logDelayReqInterval: -4,
    ...(o.neverLocked ? {} : { readvertisedAfterMs: 2000 }),
    waitedMs: 20_000,
    upstream: new Recorder(),
    downstream: down,
  }
}
