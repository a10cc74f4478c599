/**
 * TE-02 — time error of a DUT grandmaster, measured two-way from the recording: the
 * offsetFromMaster a slave at the harness port computes from the DUT's Sync/Follow_Up and the
 * harness's delay exchanges (correctionFields included), negated. max|TE| over the window the
 * named limit defines (G.8273.2: 1000 s; the lab observes a shorter, labelled window) is judged
 * against the limit the profile names for this test (`suites.overrides['TE-02'].limitKey`),
 * with the harness's time-error floor as uncertainty. Only meaningful where DUT and harness
 * share a time base (the lab). A sample far beyond the rest (a vCPU stall of the harness) that
 * alone would decide a FAIL makes the verdict inconclusive, with that reason.
 */
import { type Check, conformance, formatNs, judgeBound, type Observation, observationFault, observeDutMaster, dutPortOf, testParams, type Profile } from '../kit.ts'
import { twoWayTimeError } from '../../harness/stats/two_way_time_error.ts'
import { REFERENCE_CLOCK_TIME_ERROR_NS } from '../../harness/refdut/clock.ts'
import { absNs } from '../../harness/stats/robust.ts'
import { STALL_SCALES, stallSuspects } from '../../harness/stats/stall_suspects.ts'

const PARAMS = { limitKey: '' as string, windowSeconds: 0, minSamples: 10 }

function namedLimit(profile: Profile) {
  const p = testParams(profile, 'TE-02', PARAMS)
  const limit = p.limitKey ? profile.accuracy[p.limitKey] : undefined
  return limit && limit.quantity === 'maxAbsTimeError' && limit.unit === 'ns' ? { key: p.limitKey, limit, params: p } : undefined
}

export default conformance<{ observation: Observation }>({
  id: 'TE-02',
  title: 'Time error of the DUT grandmaster, measured two-way',
  area: 'TE',
  clause: 'IEEE 1588-2019 11.3, 11.4; the profile\'s named max|TE| limit',
  mapsTo: ['Calnex Sentinel VP mode', 'ITU-T G.8273.2 max|TE|'],
  tags: ['passive', 'time-error'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  params: PARAMS,
  criteria: {
    pass: 'max|TE| over the observation, plus the harness time-error floor, is within the limit the profile names for TE-02',
    fail: 'max|TE| minus the floor exceeds the limit, or the DUT completes too few two-way exchanges to measure',
  },
  appliesTo: (p) => (namedLimit(p) ? true : `profile ${p.id} names no maxAbsTimeError limit for TE-02 (suites.overrides['TE-02'].limitKey)`),
  referenceBaseline: (p) => {
    const n = namedLimit(p)
    return n && BigInt(Math.ceil(n.limit.limit.value)) < REFERENCE_CLOCK_TIME_ERROR_NS
      ? `its limit (${n.key}, ${n.limit.limit.value} ns) is below what the reference DUT's software clock keeps (${formatNs(REFERENCE_CLOCK_TIME_ERROR_NS)})`
      : true
  },
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const named = namedLimit(profile)!
    const { key, limit, params } = named
    const o = ev.data.observation
    const dut = dutPortOf(o, ev.session.domainNumber)!
    const series = twoWayTimeError(o.recorder, { dutClockIdentity: dut.clockIdentity, domainNumber: ev.session.domainNumber, delayMechanism: ev.session.delayMechanism })
    const floor = ev.noise.timeErrorFloorNs
    const name = `max|TE| (${key}: ${limit.appliesTo})`
    if (series.length < params.minSamples) {
      return { checks: [{ name: 'complete two-way exchanges with the DUT', measured: series.length, limit: `≥ ${params.minSamples}`, source: 'IEEE 1588-2019 11.3.2, 11.4.2', verdict: 'fail', detail: 'the DUT answered too few of the harness\'s delay requests (or sent too few Sync/Follow_Up) to measure its time error' }] }
    }
    if (ev.session.mode !== 'lab') {
      return { checks: [{ name, measured: null, limit: `≤ ${limit.limit.value} ns`, source: limit.limit.source, verdict: 'not-applicable', detail: 'the harness clock is not a reference traceable to the DUT\'s time on a device' }] }
    }
    const abs = series.map((s) => absNs(s.teNs))
    const sorted = [...abs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const split = stallSuspects(abs, floor)
    const med = split.medianNs
    const stallAbove = split.stallAboveNs
    const clean = abs.filter((_, i) => !split.suspect[i])
    const maxAll = sorted.at(-1)!
    const maxClean = clean.reduce((a, b) => (b > a ? b : a), 0n)
    const lim = limit.limit.value
    const noise = Number(floor)
    let verdict = judgeBound(Number(maxClean), lim, noise, 'max')
    const suspects = abs.length - clean.length
    const spanS = Number(series.at(-1)!.atNs - series[0]!.atNs) / 1e9
    const window = params.windowSeconds ? `over ${spanS.toFixed(0)} s (the limit's window is ${params.windowSeconds} s: a scaled lab window)` : `over ${spanS.toFixed(0)} s`
    let detail = `${series.length} exchanges ${window}; median |TE| ${formatNs(med)}; harness time-error floor ±${formatNs(floor)} (${ev.noise.method})`
    if (suspects && verdict !== 'fail' && judgeBound(Number(maxAll), lim, noise, 'max') === 'fail') {
      verdict = 'inconclusive'
      detail = `${suspects} samples up to ${formatNs(maxAll)} lie beyond ${formatNs(stallAbove)} (median + ${STALL_SCALES} scales) and alone would fail it: a harness stall cannot be ruled out; ${detail}`
    } else if (suspects) {
      detail = `${detail}; ${suspects} samples beyond ${formatNs(stallAbove)} set aside as suspected stalls (max ${formatNs(maxAll)})`
    }
    const check: Check = { name, measured: Number(maxClean), unit: 'ns', limit: `≤ ${lim} ns`, noise, source: limit.limit.source, unconfirmed: limit.limit.unconfirmed, verdict, detail }
    return {
      checks: [check],
      measurements: { timeErrorSeriesNs: series.map((s) => [String(s.atNs), String(s.teNs)]), timeErrorSeriesNsLimits: { limitNs: String(lim) }, maxAbsNs: String(maxClean), medianAbsNs: String(med), timeErrorFloorNs: String(floor) },
    }
  },
})
