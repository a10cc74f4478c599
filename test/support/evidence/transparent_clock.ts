/**
 * E2E-03 evidence without a network: the two harness ports' recordings around a simulated
 * transparent clock, built message by message with the engines' message factory. The clock
 * holds each event message a residence time (seeded jitter) and adds it, as ptp4l's tc.c does:
 * a two-step Sync forwarded unchanged and the residence in its Follow_Up, a one-step Sync turned
 * two-step with a generated Follow_Up, a Delay_Req's residence in the Delay_Resp, and for a P2P
 * clock the upstream link delay as well. A fault changes exactly one of those behaviours.
 */
import { FLAG_TWO_STEP } from '../../../harness/codec/constants.ts'
import { encodeMessage } from '../../../harness/codec/message.ts'
import type { PortIdentity, PtpMessage } from '../../../harness/codec/types.ts'
import {
  buildDelayReqMessage,
  buildDelayRespMessage,
  buildFollowUpMessage,
  buildPdelayReqMessage,
  buildSyncMessage,
  defaultHeaderDefaults,
  ts,
} from '../../../harness/engines/message_factory.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { HarnessNoise } from '../../../harness/run/session_types.ts'
import { nsToCorrection } from '../../../harness/time/timestamp.ts'
import type { ResidenceData, ResidencePhase, TcKind } from '../../../suites/support/residence.ts'
import { seededRandom } from '../random/seeded.ts'

export const TC_FAULTS = ['adds-nothing', 'adds-nothing-to-every-fourth', 'overwrites-correction', 'adds-twice', 'drops-follow-up', 'changes-source', 'changes-origin', 'drops-syncs', 'drops-delay-resp', 'forwards-pdelay', 'no-link-delay'] as const
export type TcFault = (typeof TC_FAULTS)[number]

export interface TcSimulation {
  clockType: TcKind
  fault?: TcFault
  /** How long the clock holds a message (default 40 µs, ptp4l's software path). */
  residenceNs?: number
  residenceJitterNs?: number
  /** Each link's one-way latency and its jitter (default 1.5 µs ± 0.3 µs, a veth). */
  linkNs?: number
  linkJitterNs?: number
  /** The links' ± as the harness measured it (default 1 µs, the software floor). */
  linkNoiseNs?: number
  /** The lab's path allowance on each link (LAB_PATH_ASYMMETRY_NS live; default none). */
  pathAllowanceNs?: number
  seconds?: number
  seed?: number
}

export const TC_GM: PortIdentity = { clockIdentity: '020000.fffe.000040', portNumber: 1 }
export const TC_SLAVE: PortIdentity = { clockIdentity: '020000.fffe.000240', portNumber: 1 }
const TC_PORT2: PortIdentity = { clockIdentity: '020000.fffe.000001', portNumber: 2 }
const INPUT_CORRECTION = nsToCorrection(12_345n)

function linkNoise(o: TcSimulation): HarnessNoise {
  const ns = BigInt(o.linkNoiseNs ?? 1_000)
  const latency = BigInt(o.linkNs ?? 1_500)
  return { ns, timeErrorFloorNs: latency + ns, latencyNs: latency, tailNs: ns * 3n, ...(o.pathAllowanceNs ? { pathAsymmetryNs: BigInt(o.pathAllowanceNs) } : {}), method: `simulated link: ${latency} ns ± ${ns} ns (unit test)` }
}

function record(rec: Recorder, direction: 'in' | 'out', atNs: bigint, m: PtpMessage): void {
  rec.record({ direction, port: 'h', transport: 'l2', timestampNs: atNs, bytes: encodeMessage(m), message: m })
}

export function simulateTransparentClock(o: TcSimulation): ResidenceData {
  const rand = seededRandom(o.seed ?? 1)
  const jitter = (n: number) => BigInt(Math.round((rand() * 2 - 1) * n))
  const residence = () => BigInt(o.residenceNs ?? 40_000) + jitter(o.residenceJitterNs ?? 2_000)
  const link = () => BigInt(o.linkNs ?? 1_500) + jitter(o.linkJitterNs ?? 300)
  const upstreamLinkNs = BigInt(o.linkNs ?? 1_500)
  const seconds = o.seconds ?? 6
  const fault = o.fault
  const gmHeader = defaultHeaderDefaults(TC_GM)
  const slaveHeader = defaultHeaderDefaults(TC_SLAVE)
  const phases: ResidencePhase[] = []
  let t0 = 1_700_000_000_000_000_000n
  for (const twoStep of [true, false]) {
    const up = new Recorder()
    const down = new Recorder()
    const count = seconds * 8
    for (let i = 0; i < count; i++) {
      const at = t0 + BigInt(i) * 125_000_000n
      // Sync path: the grandmaster's correction sits in the Follow_Up (two-step) or the Sync (one-step).
      const sync = buildSyncMessage(gmHeader, { sequenceId: i, flagField: twoStep ? FLAG_TWO_STEP : 0, correctionField: twoStep ? 0n : INPUT_CORRECTION }, ts(at))
      record(up, 'out', at, sync)
      const fu = twoStep ? buildFollowUpMessage(gmHeader, { sequenceId: i, correctionField: INPUT_CORRECTION }, ts(at)) : undefined
      if (fu) record(up, 'out', at + 100_000n, fu)
      const held = residence()
      const ingressLink = link()
      const arrive = at + ingressLink + held + link()
      const addP2p = o.clockType === 'p2p-tc' && fault !== 'no-link-delay' ? upstreamLinkNs : 0n
      const added = fault === 'adds-nothing' || (fault === 'adds-nothing-to-every-fourth' && i % 4 === 0) ? 0n : fault === 'adds-twice' ? 2n * (held + addP2p) : held + addP2p
      if (fault === 'drops-syncs' && i % 10 === 3) continue
      const source = fault === 'changes-source' ? TC_PORT2 : TC_GM
      const outHeader = defaultHeaderDefaults(source)
      record(down, 'in', arrive, buildSyncMessage(outHeader, { sequenceId: i, flagField: FLAG_TWO_STEP, correctionField: sync.header.correctionField }, sync.originTimestamp))
      if (fault !== 'drops-follow-up') {
        const base = fault === 'overwrites-correction' ? 0n : (fu?.header.correctionField ?? 0n)
        const origin = fault === 'changes-origin' ? ts(at + 1_000n) : ts(at)
        record(down, 'in', arrive + 150_000n, buildFollowUpMessage(outHeader, { sequenceId: i, correctionField: base + nsToCorrection(added) }, origin))
      }
      if (o.clockType === 'e2e-tc') {
        // Delay path, half an interval later: the slave's request up through the clock, the answer back down.
        const reqAt = at + 60_000_000n
        const req = buildDelayReqMessage(slaveHeader, { sequenceId: i }, ts(0n))
        record(down, 'out', reqAt, req)
        const reqHeld = residence()
        const atGm = reqAt + link() + reqHeld + link()
        record(up, 'in', atGm, req)
        const resp = buildDelayRespMessage(gmHeader, { sequenceId: i, correctionField: INPUT_CORRECTION }, ts(atGm), TC_SLAVE)
        record(up, 'out', atGm + 200_000n, resp)
        const reqAdded = fault === 'adds-nothing' ? 0n : fault === 'adds-twice' ? 2n * reqHeld : reqHeld
        const respBase = fault === 'overwrites-correction' ? 0n : resp.header.correctionField
        if (fault !== 'drops-delay-resp') record(down, 'in', atGm + 200_000n + link() + residence() + link(), buildDelayRespMessage(gmHeader, { sequenceId: i, correctionField: respBase + nsToCorrection(reqAdded) }, ts(atGm), TC_SLAVE))
      } else if (fault === 'forwards-pdelay' && i % 8 === 0) {
        record(down, 'in', at + 70_000_000n, buildPdelayReqMessage(gmHeader, { sequenceId: i }, ts(0n)))
      }
    }
    phases.push({
      name: twoStep ? 'two-step grandmaster' : 'one-step grandmaster',
      twoStep,
      judgeFromNs: t0,
      judgeUntilNs: t0 + BigInt(seconds) * 1_000_000_000n - 500_000_000n,
      upstream: up,
      downstream: down,
    })
    t0 += BigInt(seconds + 1) * 1_000_000_000n
  }
  return { clockType: o.clockType, grandmaster: TC_GM, slave: TC_SLAVE, links: { upstream: { towardSlave: linkNoise(o), towardGrandmaster: linkNoise(o) }, downstream: { towardSlave: linkNoise(o), towardGrandmaster: linkNoise(o) } }, phases }
}
