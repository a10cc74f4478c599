/**
 * P2P-02 — the DUT's neighborPropDelay (PORT_DATA_SET peerMeanPathDelay) and offsetFromMaster
 * follow an emulated longer link: the harness's link peer answers Pdelay_Req (and its
 * grandmaster sends Sync) as if the link took D longer each way, then A longer towards the DUT.
 * neighborPropDelay moves by D, then A/2; the offset by 0, then A/2. Where the profile makes a
 * port drop asCapable above neighborPropDelayThresh (802.1AS), the amounts stay below half the
 * threshold, which software timestamps may not resolve: then the verdict is inconclusive with
 * the numbers. Emulation and judging: suites/support/path_delay.ts.
 */
import { conformance, formatNs, type Profile } from '../kit.ts'
import { acquirePathDelay, judgePathDelay, type PathDelayData } from '../support/path_delay.ts'

const PARAMS = { delayNs: 500_000, asymmetryNs: 500_000 }

/** The amounts: the parameters, bounded by half of neighborPropDelayThresh where asCapable depends on it. */
export function peerAmounts(profile: Profile, p: typeof PARAMS): { delayNs: bigint; asymmetryNs: bigint; why: string } {
  const thresh = profile.peerDelay?.neighborPropDelayThreshNs?.value
  if (profile.peerDelay?.asCapableRequired && thresh !== undefined) {
    const cap = BigInt(Math.floor(thresh / 2))
    const d = BigInt(p.delayNs) < cap ? BigInt(p.delayNs) : cap
    const a = BigInt(p.asymmetryNs) < cap ? BigInt(p.asymmetryNs) : cap
    return { delayNs: d, asymmetryNs: a, why: `at most half of neighborPropDelayThresh ${formatNs(BigInt(thresh))} (${profile.peerDelay.neighborPropDelayThreshNs!.source}): a longer link makes the port drop asCapable` }
  }
  return { delayNs: BigInt(p.delayNs), asymmetryNs: BigInt(p.asymmetryNs), why: 'the test\'s parameters: far above software timestamping noise' }
}

export default conformance<PathDelayData>({
  id: 'P2P-02',
  title: 'neighborPropDelay and offset follow an emulated fixed delay and asymmetry',
  area: 'P2P',
  clause: 'IEEE 1588-2019 11.4.2 (peer delay), 7.4.2 (path asymmetry); IEEE 802.1AS-2020 11.2.19',
  mapsTo: ['Avnu gPTP 15.1', 'linuxptp-testsuite 23-basedelay'],
  tags: ['active', 'delay', 'impairment', 'p2p'],
  severity: 'critical',
  fixture: 'dut-slave',
  params: PARAMS,
  estimatedSeconds: 45,
  criteria: {
    pass: 'from the control phase, neighborPropDelay moves by D and the offset by 0 under a fixed delay D each way; both move by A/2 under an asymmetry A towards the DUT; each within the noise floor + 3 standard errors',
    fail: 'the DUT never follows the grandmaster, or its neighborPropDelay or offset does not move by the emulated amount',
  },
  appliesTo: (p) => (p.delayMechanism.default === 'P2P' ? true : `profile ${p.id} does not run the peer-delay mechanism`),
  // Under 802.1AS the amounts stay below half of neighborPropDelayThresh (400 ns at 800 ns):
  // the reference DUT's software clock (tens of µs) cannot resolve them, so it cannot pass there.
  referenceBaseline: (p) => (p.peerDelay?.asCapableRequired ? `the amounts stay below half of neighborPropDelayThresh under ${p.id}, which the reference DUT's software clock cannot resolve` : true),
  acquire(ctx) {
    return acquirePathDelay(ctx, 'P2P', peerAmounts(ctx.profile, ctx.params(PARAMS)))
  },
  judge(ev) {
    return { checks: judgePathDelay(ev.data, ev.noise.timeErrorFloorNs, ev.noise.pathAsymmetryNs ?? 0n), measurements: { amounts: ev.data.amountsWhy, phases: ev.data.phases.map((ph) => ({ name: ph.name, settledAfterMs: ph.settledAfterMs ?? null, delayReports: ph.delay.length, offsetReports: ph.offset.length })) } }
  },
})
