/**
 * TE-04 — a boundary or transparent clock's time error: the harness's grandmaster feeds its
 * upstream port, the harness's slave on the downstream port measures the two-way time error of
 * what it passes on against the harness's own time base, and the metrics of ITU-T G.8273.2 7.1
 * (T-BC) or G.8273.3 (T-TC, the same rows) are judged against the class the profile names
 * (`suites.overrides['TE-04'].class`): max|TE|, cTE, dTE_L MTIE and TDEV against their masks
 * (suites/support/te_metrics.ts). A boundary clock's downstream port is the master the slave
 * follows; through a transparent clock the slave follows the grandmaster itself, and what the
 * clock adds to correctionField is what its time error is made of. The recommendation's window
 * is 1000 s; the lab observes a shorter one and says so. With software timestamps the harness's
 * floor is far above any class limit: those checks are inconclusive with the floor stated, and
 * the metrics and their plots are still produced.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { masterTimeOffsetNs, twoWayTimeError } from '../../harness/stats/two_way_time_error.ts'
import { labStall } from '../../harness/stats/send_lateness.ts'
import { compareToMask } from '../../harness/stats/time_error/index.ts'
import { logIntervalToNs } from '../../harness/time/log_interval.ts'
import { STALL_SCALES, stallSuspects } from '../../harness/stats/stall_suspects.ts'
import { type Check, conformance, type Verdict, formatNs, judgeBound, type Profile, type Recorder, TestMaster, TestSlave, testParams } from '../kit.ts'
import { downstreamPeer, driveBoth, relayOf, upstreamGrandmasterConfig, waitForReadvertised } from '../support/relay.ts'
import { flatMask, teMetrics } from '../support/te_metrics.ts'

const PARAMS = {
  /** G.8273.2 class whose limits apply: A, B, C or D (the profile's accuracy keys class<X>…). */
  class: 'A',
  /** Seconds observed in the lab (the recommendation's window is `windowSeconds`). */
  observeSeconds: 60,
  windowSeconds: 1000,
  source: '',
  /** Fewer complete exchanges than this measure no time error: the clock passed too little on. */
  minSamples: 32,
}

export interface BoundaryTimeErrorData {
  /** The kind of clock measured (absent in evidence stored before transparent clocks: a boundary clock). */
  clock?: 'boundary' | 'e2e-tc' | 'p2p-tc'
  grandmaster: PortIdentity
  dutDownstreamPort: PortIdentity
  /** The harness slave's Delay_Req interval (log2 s): the grid the time error is put on. */
  logDelayReqInterval: number
  readvertisedAfterMs?: number
  waitedMs: number
  upstream: Recorder
  downstream: Recorder
}

/** G.8273.3 gives a T-TC the T-BC's numbers for classes A and B; for C and D that is not confirmed. */
const TC_CLASSES_CONFIRMED = 'AB'

/** A limit's source as it applies to this clock: a transparent clock's limit is G.8273.3's, by its equivalence to G.8273.2's. */
function limitSource(source: string, unconfirmed: boolean | undefined, cls: string, clock: BoundaryTimeErrorData['clock']): { source: string; unconfirmed: boolean } {
  if (clock === undefined || clock === 'boundary') return { source, unconfirmed: !!unconfirmed }
  const confirmed = TC_CLASSES_CONFIRMED.includes(cls)
  return {
    source: `ITU-T G.8273.3 T-TC class ${cls} ${confirmed ? 'takes the T-BC class limits [CX-8273.3]' : 'assumed to take the T-BC class limits (G.8273.3 classes C/D not confirmed: [CX-8273.3] lists A and B only)'}: ${source}`,
    unconfirmed: !!unconfirmed || !confirmed,
  }
}

function classLimits(profile: Profile) {
  const p = testParams(profile, 'TE-04', PARAMS)
  const key = (q: string) => profile.accuracy[`class${p.class}${q}`]
  return {
    params: p,
    maxAbsTe: key('MaxAbsTe'),
    maxAbsTeL: key('MaxAbsTeL'),
    cte: key('Cte'),
    // dTE_L masks are shared by classes A and B in G.8273.2 (the profile's appliesTo says which).
    mtie: Object.values(profile.accuracy).find((l) => l.quantity === 'dTeLowPassMtie' && l.appliesTo.includes(`classes A and B`) && 'AB'.includes(p.class)),
    tdev: Object.values(profile.accuracy).find((l) => l.quantity === 'dTeLowPassTdev' && l.appliesTo.includes(`classes A and B`) && 'AB'.includes(p.class)),
  }
}

export default conformance<BoundaryTimeErrorData>({
  id: 'TE-04',
  title: 'Boundary or transparent clock time error: max|TE|, cTE, dTE_L MTIE/TDEV against the class',
  area: 'TE',
  clause: 'ITU-T G.8273.2 7.1 (T-BC noise generation), Tables 7-1 … 7-3; ITU-T G.8273.3 (T-TC noise generation, the same rows)',
  mapsTo: ['Calnex Paragon T-BC/T-TC noise generation', 'Keysight/EXFO G.8273.2 BC and G.8273.3 TC tests'],
  tags: ['active', 'time-error', 'boundary-clock', 'transparent-clock', 'relay'],
  severity: 'critical',
  fixture: 'dut-relay',
  relayClocks: ['boundary', 'e2e-tc', 'p2p-tc'],
  liveFaults: [
    '`--dut-impl bridge --dut-clock boundary` (a bridge passes the grandmaster\'s own Announce on, never one of its own: no boundary clock output)',
    '`--dut-impl bridge --dut-clock e2e-tc` under G.8275.1 (nothing added to correctionField: its varying residence shows as dTE_L wander, 7.7–9.3 µs MTIE)',
  ],
  params: PARAMS,
  estimatedSeconds: 80,
  criteria: {
    pass: 'max|TE|, max|TE_L| (where the class names it), |cTE| and the dTE_L MTIE/TDEV curves are within the class limits and masks the profile names, the harness floor included',
    fail: 'a metric exceeds its limit by more than the harness floor, or the clock never passes the grandmaster on',
  },
  appliesTo(p) {
    const l = classLimits(p)
    return l.cte || l.maxAbsTe || l.maxAbsTeL ? true : `profile ${p.id} names no G.8273.2 class ${l.params.class} limits (accuracy.class${l.params.class}Cte / MaxAbsTe / MaxAbsTeL)`
  },
  async acquire(ctx) {
    const relay = relayOf(ctx)
    const p = ctx.params(PARAMS)
    const s = ctx.session
    const clock = s.clockType === 'ordinary' ? 'boundary' : s.clockType
    ctx.step(`starting the DUT as ${clock === 'boundary' ? 'a boundary clock' : `an ${clock === 'e2e-tc' ? 'E2E' : 'P2P'} transparent clock`}`)
    await s.ensureDut('auto', ctx.signal)
    // In the lab every namespace shares one clock, which ptp4l with software stamps takes as PTP time: the
    // grandmaster does too, so a DUT that may not steer its clock (free_running, the lab's rule) starts in step.
    const cfg = upstreamGrandmasterConfig(ctx, { timestampClockIsTai: s.mode === 'lab' })
    const grandmaster = { clockIdentity: cfg.clockIdentity, portNumber: cfg.portNumber ?? 1 }
    const dutDownstreamPort = relay.dutPortIdentities()[1]
    // A boundary clock's port 2 is the master downstream; a transparent clock passes the grandmaster's own messages on.
    const master = clock === 'boundary' ? dutDownstreamPort : grandmaster
    const logDelayReqInterval = s.dutSettings.intervals.sync.value
    // The downstream slave follows that master and asks at the Sync rate: the densest grid it may use.
    const slave = new TestSlave(
      testSlaveConfigFromProfile(ctx.profile, { name: 'slave', clockIdentity: relay.downstreamClockIdentity(0), intervals: configuredIntervals(s.dutSettings) }, { header: s.headerDefaults(), delayMechanism: s.delayMechanism, master, logMinDelayReqInterval: logDelayReqInterval, logMinPdelayReqInterval: logDelayReqInterval }),
    )
    // On a peer-delay link the DUT's port 2 measures its link too: something must answer it.
    const ports = driveBoth(ctx, [new TestMaster(cfg)], s.delayMechanism === 'P2P' ? [slave, downstreamPeer(ctx, relay)] : [slave])
    let wait: Awaited<ReturnType<typeof waitForReadvertised>>
    try {
      ctx.step(`grandmaster ${cfg.clockIdentity} upstream; waiting for the DUT to pass it on`)
      wait = await waitForReadvertised(ctx, ports.down.recorder, master, cfg.clockIdentity)
      if (wait.atMs !== undefined) {
        ctx.step(`measuring the downstream time error for ${p.observeSeconds} s (the recommendation's window: ${p.windowSeconds} s)`)
        ports.down.recorder.clear()
        await ctx.sleep(p.observeSeconds * 1000)
      }
    } finally {
      await ports.close()
    }
    return {
      clock,
      grandmaster,
      dutDownstreamPort,
      logDelayReqInterval,
      ...(wait.atMs !== undefined ? { readvertisedAfterMs: wait.atMs } : {}),
      waitedMs: wait.waitedMs,
      upstream: ports.up.recorder,
      downstream: ports.down.recorder,
    }
  },
  judge(ev, profile) {
    const d = ev.data
    const lim = classLimits(profile)
    const cls = `class ${lim.params.class}`
    const tc = d.clock === 'e2e-tc' || d.clock === 'p2p-tc'
    if (d.readvertisedAfterMs === undefined) {
      return { checks: [{ name: `the ${tc ? 'transparent' : 'boundary'} clock passed the grandmaster on downstream`, verdict: 'fail', measured: 'never', limit: `within ${Math.round(d.waitedMs / 1000)} s`, source: tc ? 'IEEE 1588-2019 10.2 (a transparent clock forwards the PTP messages of its domain)' : 'ITU-T G.8273.2 7.1 (a T-BC locked to its input)', detail: `no downstream Announce named ${d.grandmaster.clockIdentity}${tc ? ` from ${d.grandmaster.clockIdentity}` : ''}` }] }
    }
    // A boundary clock's port 2 sends the Sync the slave follows; through a transparent clock, the grandmaster does.
    const sender = tc ? d.grandmaster : d.dutDownstreamPort
    // The reference is the grandmaster's time: the harness's timestamp clock plus what the grandmaster sent ahead of it (currentUtcOffset on a UTC clock).
    const gmOffsetNs = masterTimeOffsetNs(d.upstream, { sender: d.grandmaster.clockIdentity, domainNumber: ev.session.domainNumber }) ?? 0n
    const series = twoWayTimeError(d.downstream, { dutClockIdentity: sender.clockIdentity, domainNumber: ev.session.domainNumber, delayMechanism: ev.session.delayMechanism }).map((x) => ({ ...x, teNs: x.teNs - gmOffsetNs }))
    if (series.length < lim.params.minSamples) {
      const what = tc ? 'the transparent clock passed on too few of the grandmaster\'s Sync or of the delay exchanges through it' : 'the boundary clock answered too few of the downstream slave\'s delay requests (or sent too few Sync)'
      return { checks: [{ name: 'complete two-way exchanges downstream', verdict: 'fail', measured: series.length, limit: `≥ ${lim.params.minSamples}`, source: 'IEEE 1588-2019 11.3.2', detail: `${what} to measure its time error` }] }
    }
    const tau0Ns = logIntervalToNs(d.logDelayReqInterval)
    const tau0S = Number(tau0Ns) / 1e9
    // In the lab, exchanges a stall delayed (ms where the rest are µs) are set aside, and a verdict they alone would turn to fail
    // is inconclusive. On a device nothing is: hardware stamps do not move with the harness's scheduling, and an outlier is the DUT's.
    const split = ev.session.mode === 'lab' ? stallSuspects(series.map((x) => x.teNs), ev.noise.timeErrorFloorNs) : { suspect: [] as boolean[], suspects: 0, stallAboveNs: 0n }
    const clean = series.filter((_, i) => !split.suspect[i])
    const m = teMetrics(clean, tau0Ns)
    const all = split.suspects ? teMetrics(series, tau0Ns) : m
    const decide = (c: Verdict, a: Verdict): Verdict => (split.suspects && c !== 'fail' && a === 'fail' ? 'inconclusive' : c)
    const floor = Number(ev.noise.timeErrorFloorNs)
    const window = `${m.spanS.toFixed(0)} s observed (scaled lab window; G.8273.2: ${lim.params.windowSeconds} s)`
    const stalls = split.suspects ? `; ${split.suspects} exchanges beyond ${formatNs(split.stallAboveNs)} (median |TE| + ${STALL_SCALES} scales) set aside as suspected lab stalls` : ''
    const how = `two-way time error of ${clean.length} exchanges on a ${formatNs(tau0Ns)} grid, ${window}${stalls}; harness time-error floor ±${formatNs(ev.noise.timeErrorFloorNs)} (${ev.noise.method})`
    const checks: Check[] = []
    const classWhy = lim.params.source ? `; ${cls} because: ${lim.params.source}` : ''
    const bound = (name: string, measured: number, withStalls: number, limit: NonNullable<typeof lim.cte>, noise: number, extra = '') => {
      const v = limit.limit.value
      const verdict = decide(judgeBound(measured, v, noise, 'max'), judgeBound(withStalls, v, noise, 'max'))
      const why = verdict === 'inconclusive' && judgeBound(measured, v, noise, 'max') === 'pass' ? `the set-aside exchanges alone (${formatNs(Math.round(withStalls))} with them) would fail it: a lab stall cannot be ruled out; ` : ''
      const src = limitSource(limit.limit.source, limit.limit.unconfirmed, lim.params.class, d.clock)
      checks.push({ name, measured: Math.round(measured), unit: 'ns', limit: `≤ ${v} ns`, noise: Math.round(noise), source: `${src.source}${classWhy}`, unconfirmed: src.unconfirmed, verdict, detail: `${why}${extra}${how}` })
    }
    // An extreme (the largest of ~10^3 samples) is moved by one late timestamp: its ± is the floor plus the slowest probe's
    // lateness, and in the lab (the DUT on the harness's vCPUs) at least the machine's worst stall during the test.
    const probeTail = ev.noise.tailNs ?? 0n
    const stall = labStall(ev.session.mode, [...d.upstream.frames, ...d.downstream.frames])
    const late = stall && stall.ns > probeTail ? stall.ns : probeTail
    const lateWhy = stall && late === stall.ns ? `the machine's worst stall during the test, ${formatNs(stall.ns)} (${stall.how})` : 'the slowest probe\'s lateness'
    if (lim.maxAbsTe) bound(`max|TE| (${cls}, unfiltered)`, m.maxAbsTeNs, all.maxAbsTeNs, lim.maxAbsTe, floor + Number(late), `an extreme: ± the floor and ${lateWhy}; `)
    // A low-passed value averages over seconds: its ± is the floor, as cTE's.
    if (lim.maxAbsTeL) bound(`max|TE_L| (${cls}, 0.1 Hz low-pass)`, m.maxAbsTeLNs, all.maxAbsTeLNs, lim.maxAbsTeL, floor)
    if (lim.cte) bound(`|cTE| (${cls})`, Math.abs(m.cteNs), Math.abs(all.cteNs), lim.cte, floor, `cTE ${formatNs(Math.round(m.cteNs))}; `)
    const masks: Record<string, unknown> = {}
    for (const [label, curve, withStalls, limit] of [['dTE_L MTIE', m.dteLMtie, all.dteLMtie, lim.mtie], ['dTE_L TDEV', m.dteLTdev, all.dteLTdev, lim.tdev]] as const) {
      const mask = limit && flatMask(limit)
      if (!limit || !mask) continue
      masks[label] = mask
      const c = compareToMask(curve, mask)
      const cAll = compareToMask(withStalls, mask)
      const worst = c.worst
      // MTIE: the per-stamp ± (the low-pass shrinks a random error only; a fixed one is cTE's). TDEV is an rms: the per-stamp
      // σ (± / 3), not reduced by √n for averaging, since the lab's own timing noise is not white (a 60 s lab run of a
      // clock sharing the harness's clock showed 416 ns TDEV at 10 s where white noise would leave ~100 ns).
      // Both ends' stamps make a two-way time error: in the lab the DUT's end has its own ± (farEndNs).
      const perStamp = ev.noise.farEndNs !== undefined && ev.noise.farEndNs > ev.noise.ns ? ev.noise.farEndNs : ev.noise.ns
      const noise = label === 'dTE_L TDEV' ? Number(perStamp) / 3 : Number(perStamp)
      checks.push({
        name: `${label} under the mask (${cls})`,
        measured: worst ? Math.round(worst.valueNs) : null,
        unit: 'ns',
        limit: `≤ ${limit.limit.value} ns for ${limit.tauRangeS!.value[0]} s ≤ τ ≤ ${limit.tauRangeS!.value[1]} s`,
        noise: Math.round(noise * 10) / 10,
        source: `${limitSource(limit.limit.source, limit.limit.unconfirmed, lim.params.class, d.clock).source}; τ range: ${limit.tauRangeS!.source}${classWhy}`,
        unconfirmed: limitSource(limit.limit.source, limit.limit.unconfirmed, lim.params.class, d.clock).unconfirmed || limit.tauRangeS!.unconfirmed,
        verdict: !c.compared || !worst ? 'inconclusive' : decide(judgeBound(worst.valueNs, worst.limitNs, noise, 'max'), cAll.worst ? judgeBound(cAll.worst.valueNs, cAll.worst.limitNs, noise, 'max') : 'inconclusive'),
        detail: `${c.compared} τ values compared${worst ? `, worst at τ ${worst.tauS.toFixed(2)} s: ${formatNs(Math.round(worst.valueNs))}` : ''}; ${how}`,
      })
    }
    return {
      checks,
      measurements: {
        timeErrorSeriesNs: series.map((x) => [String(x.atNs), String(x.teNs)]),
        dteLMtieCurveNs: m.dteLMtie.map((p) => [p.tauS, p.valueNs]),
        dteLMtieCurveNsMask: masks['dTE_L MTIE'] ?? null,
        dteLTdevCurveNs: m.dteLTdev.map((p) => [p.tauS, p.valueNs]),
        dteLTdevCurveNsMask: masks['dTE_L TDEV'] ?? null,
        curveNote: `scaled lab window: ${m.spanS.toFixed(0)} s of ${lim.params.windowSeconds} s; floor ±${formatNs(ev.noise.timeErrorFloorNs)}`,
        maxAbsTeNs: Math.round(m.maxAbsTeNs),
        maxAbsTeLNs: Math.round(m.maxAbsTeLNs),
        cteNs: Math.round(m.cteNs),
        dteHPeakToPeakNs: Math.round(m.dteHPeakToPeakNs),
        samples: m.samples,
        grandmasterOffsetNs: String(gmOffsetNs),
        stallSuspects: split.suspects,
        tau0S,
      },
    }
  },
})
