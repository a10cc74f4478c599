/**
 * TE-04 evidence without a network: what the harness's downstream slave records from a boundary
 * clock whose output carries a known time error te(t): two-step Syncs whose origin is te late or
 * early, and Delay_Resps whose receive time carries the same te, so the two-way time error is
 * exactly te(t). Optional lab stalls delay single exchanges by milliseconds, as measured live.
 *
 * `transparent`: an E2E transparent clock instead. The slave sees the grandmaster's own Sync and
 * Delay_Resp, each message held `residenceNs` in the clock, which adds residence + te to the
 * Sync's correctionField and residence − te to the Delay_Resp's: the two-way time error is te again.
 */
import { encodeMessage } from '../../../harness/codec/message.ts'
import type { PortIdentity, PtpMessage } from '../../../harness/codec/types.ts'
import { FLAG_TWO_STEP } from '../../../harness/codec/constants.ts'
import { buildDelayReqMessage, buildDelayRespMessage, buildFollowUpMessage, buildSyncMessage, defaultHeaderDefaults, ts } from '../../../harness/engines/message_factory.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { BoundaryTimeErrorData } from '../../../suites/te/te-04-boundary-and-transparent-clock-time-error.ts'

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
  /** An E2E transparent clock holding each message this long. */
  transparent?: { residenceNs: number }
  /** The grandmaster's time ahead of the timestamp clock (a PTP-timescale grandmaster on a UTC clock: 37 s). */
  grandmasterAheadNs?: bigint
}

const GM: PortIdentity = { clockIdentity: '020000.fffe.000040', portNumber: 1 }

export function simulateBoundaryTimeError(o: BoundaryTeSimulation): BoundaryTimeErrorData {
  const down = new Recorder()
  const rec = (direction: 'in' | 'out', at: bigint, m: PtpMessage) => down.record({ direction, port: 'hb', transport: 'l2', timestampNs: at, bytes: encodeMessage(m), message: m })
  const tc = o.transparent
  const r = BigInt(tc?.residenceNs ?? 0)
  // Through a transparent clock the messages are the grandmaster's; its time error sits in correctionField.
  const dut = defaultHeaderDefaults(tc ? GM : DUT_DOWN, o.domainNumber)
  const scaled = (ns: bigint) => ns * 65536n
  const ahead = o.grandmasterAheadNs ?? 0n
  const up = new Recorder()
  const gm = defaultHeaderDefaults(GM, o.domainNumber)
  const slave = defaultHeaderDefaults(SLAVE, o.domainNumber)
  const t0 = 1_700_000_000_000_000_000n
  const n = (o.seconds ?? 60) * 16
  const stalls = new Set(o.stalls ?? [])
  for (let k = 0; k < n; k++) {
    const at = t0 + BigInt(k) * 62_500_000n
    const te = BigInt(Math.round(o.teNs(k / 16)))
    rec('in', at + LINK_NS, buildSyncMessage(dut, { sequenceId: k, flagField: FLAG_TWO_STEP }, ts(0n)))
    // Upstream, what the grandmaster sent: its origin is its TX stamp seen through its own time.
    up.record({ direction: 'out', port: 'ha', transport: 'l2', timestampNs: at - r - LINK_NS, bytes: encodeMessage(buildSyncMessage(gm, { sequenceId: k, flagField: FLAG_TWO_STEP }, ts(0n))) })
    up.record({ direction: 'out', port: 'ha', transport: 'l2', timestampNs: at - r - LINK_NS + 30_000n, bytes: encodeMessage(buildFollowUpMessage(gm, { sequenceId: k }, ts(at - r - LINK_NS + ahead))) })
    if (tc) rec('in', at + LINK_NS + 50_000n, buildFollowUpMessage(dut, { sequenceId: k, correctionField: scaled(r + te) }, ts(at - r - LINK_NS + ahead)))
    else rec('in', at + LINK_NS + 50_000n, buildFollowUpMessage(dut, { sequenceId: k }, ts(at + te + ahead)))
    const t3 = at + 31_000_000n
    rec('out', t3, buildDelayReqMessage(slave, { sequenceId: k }, ts(0n)))
    const stall = stalls.has(k) ? 2_840_000n : 0n
    if (tc) {
      if (!o.noDelayResp) rec('in', t3 + 2n * (LINK_NS + r) + 100_000n, buildDelayRespMessage(dut, { sequenceId: k, correctionField: scaled(r - te) }, ts(t3 + 2n * LINK_NS + r + stall + ahead), SLAVE))
      continue
    }
    const t4 = t3 + LINK_NS + stall + te + ahead
    if (!o.noDelayResp) rec('in', t4 + 100_000n, buildDelayRespMessage(dut, { sequenceId: k }, ts(t4), SLAVE))
  }
  return {
    ...(tc ? { clock: 'e2e-tc' as const } : {}),
    grandmaster: GM,
    dutDownstreamPort: DUT_DOWN,
    logDelayReqInterval: -4,
    ...(o.neverLocked ? {} : { readvertisedAfterMs: 2000 }),
    waitedMs: 20_000,
    upstream: up,
    downstream: down,
  }
}
