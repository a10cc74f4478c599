/**
 * E2E-03 — a transparent clock adds each event message's residence time to its correctionField
 * (a P2P TC: plus its ingress link delay), for a two-step and a one-step grandmaster, forwards
 * Follow_Up with the origin unchanged, forwards Delay_Req/Delay_Resp with the delay path's
 * residence (E2E TC) and no peer-delay message (P2P TC). The harness's grandmaster is upstream
 * of the DUT and its slave downstream; the measuring and judging is suites/support/residence.ts.
 */
import { conformance, TestMaster, TestSlave } from '../kit.ts'
import { testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { combineLinks, judgeResidence, type ResidenceData, type ResidencePhase, type TcKind } from '../support/residence.ts'
import { driveBoth, relayOf } from '../support/relay.ts'

const PARAMS = {
  /** Seconds of each phase that are judged. */
  phaseSeconds: 6,
  /** Seconds first given to the clock (a P2P TC measures its link delays before it can add them). */
  settleSeconds: 4,
  /**
   * Sync and Delay_Req rate of the harness's clocks (log2 s): 8 per second for enough messages;
   * a transparent clock forwards what it gets at any rate.
   */
  logInterval: -3,
  /** Moved from the grandmaster's timestamps into its correctionField: a clock must add to it, not overwrite it. */
  inputCorrectionNs: 12_345,
}

export default conformance<ResidenceData>({
  id: 'E2E-03',
  title: 'Transparent clock: correctionField grows by the residence time',
  area: 'E2E',
  clause: 'IEEE 1588-2019 10.2.2, 11.5.2, 11.5.3 (transparent clocks: residence time in correctionField)',
  mapsTo: ['UNH-IOL 1588 TC residence time', 'G.8273.3 T-TC'],
  tags: ['active', 'transparent-clock', 'relay'],
  severity: 'critical',
  fixture: 'dut-relay',
  relayClocks: ['e2e-tc', 'p2p-tc'],
  params: PARAMS,
  liveFaults: ['`--dut-impl bridge --dut-clock e2e-tc` or `p2p-tc` (a plain Linux bridge: nothing added to correctionField; as P2P TC it forwards peer-delay messages)'],
  estimatedSeconds: 28,
  criteria: {
    pass: 'every Sync (and E2E: Delay_Req/Delay_Resp) crosses the clock, its correctionField grows by what the harness measures the clock held it (transit − the links\' measured latency; a P2P TC also adds the upstream link), median within the links\' ±, each message within their slowest probes; Follow_Up origin and identities unchanged; a P2P TC forwards no peer-delay message',
    fail: 'a message is not forwarded, the correction does not grow by the residence (nothing added, overwritten, twice), a Follow_Up is missing or changed, or a P2P TC forwards peer-delay messages',
  },
  appliesTo(p) {
    if (p.bmca.variant === '802.1as') return '802.1AS has no transparent clocks: a time-aware relay is a boundary clock (802.1AS-2020 10.1)'
    if (p.transport.allowed.every((t) => t !== 'l2') && !p.transport.udp4?.primary) return `profile ${p.id} is unicast-only: its transparent clocks are not defined here`
    return true
  },
  async acquire(ctx) {
    const relay = relayOf(ctx)
    const p = ctx.params(PARAMS)
    const clockType = relay.clockType as TcKind
    const s = ctx.session
    ctx.step(`starting the DUT as ${clockType}`)
    await s.ensureDut('auto', ctx.signal)
    ctx.step("measuring both links in both directions (median latency and ±; a lab DUT stopped meanwhile, a device's declared cables)")
    const before = await relay.measureLinks()
    const mech = clockType === 'p2p-tc' ? 'P2P' : 'E2E'
    const intervals = { ...configuredIntervals(s.dutSettings), sync: p.logInterval, delayReq: p.logInterval }
    const grandmaster = { clockIdentity: s.harnessClockIdentity(0), portNumber: 1 }
    const slave = { clockIdentity: relay.downstreamClockIdentity(0), portNumber: 1 }
    const phases: ResidencePhase[] = []
    for (const twoStep of [true, false]) {
      const name = twoStep ? 'two-step grandmaster' : 'one-step grandmaster'
      ctx.step(`${name}: Sync every 2^${p.logInterval} s upstream, the slave ${mech === 'E2E' ? 'asking Delay_Req' : 'measuring its link'} downstream`)
      const gm = new TestMaster(
        testMasterConfigFromProfile(ctx.profile, { name: 'gm', clockIdentity: grandmaster.clockIdentity, intervals }, {
          header: s.headerDefaults(),
          twoStep,
          delayMechanism: mech,
          correctionShift: { ns: BigInt(p.inputCorrectionNs), syncPath: 'Follow_Up', delayResp: true },
        }),
      )
      const sl = new TestSlave(
        testSlaveConfigFromProfile(ctx.profile, { name: 'slave', clockIdentity: slave.clockIdentity, intervals }, { header: s.headerDefaults(), delayMechanism: mech, master: grandmaster, logMinDelayReqInterval: p.logInterval, logMinPdelayReqInterval: 0 }),
      )
      const ports = driveBoth(ctx, [gm], [sl])
      const startNs = systemTimeNs()
      try {
        await ctx.sleep((p.settleSeconds + p.phaseSeconds) * 1000)
      } finally {
        await ports.close()
      }
      const settle = BigInt(p.settleSeconds * 1e9)
      phases.push({
        name,
        twoStep,
        judgeFromNs: startNs + settle,
        // The last half second's messages may have been in flight when the ports closed.
        judgeUntilNs: startNs + settle + BigInt(p.phaseSeconds * 1e9) - 500_000_000n,
        upstream: ports.up.recorder,
        downstream: ports.down.recorder,
      })
    }
    ctx.step('measuring both links again')
    const links = combineLinks(before, await relay.measureLinks())
    return { clockType, grandmaster, slave, links, phases }
  },
  judge(ev) {
    return judgeResidence(ev.data)
  },
})
