/**
 * TE-04's judge on a boundary clock with a known output time error, under G.8275.1 class A:
 * with hardware-grade harness noise a clean clock passes and each metric's fault fails (a
 * constant offset fails cTE, a 0.02 Hz wander fails the dTE_L MTIE mask, a spike fails max|TE|);
 * software-timestamp noise makes every check inconclusive with the floor stated; millisecond lab
 * stalls are set aside and, where they alone would fail a check, leave it inconclusive.
 * Through an E2E transparent clock (G.8273.3) the same metrics are judged on the grandmaster's own
 * Sync and Delay_Resp, whose correctionFields carry the clock's error; the limits are cited as
 * G.8273.3's, and a class it does not confirm (C, D) is marked unconfirmed.
 */
import { test } from '@japa/runner'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { CURRENT_TAI_MINUS_UTC } from '../../../harness/time/utc_offset.ts'
import type { HarnessNoise } from '../../../harness/run/session_types.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import TE04 from '../../../suites/te/te-04-boundary-and-transparent-clock-time-error.ts'
import { envelope } from '../../support/evidence/simulate.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { simulateBoundaryTimeError, type BoundaryTeSimulation } from '../../support/evidence/boundary_time_error.ts'

const profile = loadProfile('g8275-1')
// Class A, the profile's TE-04 class: each fault is sized from the limit it targets.
const MAX_ABS_TE = profile.accuracy.classAMaxAbsTe!.limit.value
const CTE = profile.accuracy.classACte!.limit.value
const MTIE = profile.accuracy.dteLMtie!.limit.value
/** Hardware timestamps: ±8 ns per stamp, the MAC clock's floor. */
const HARDWARE: HarnessNoise = { ns: 8n, timeErrorFloorNs: 8n, tailNs: 8n, method: 'unit test: hardware-grade' }
/** The lab's software stamps, as measured live. */
const SOFTWARE: HarnessNoise = { ns: 3_900n, timeErrorFloorNs: 8_400n, tailNs: 20_000n, method: 'unit test: software timestamps' }
const white = (seed: number, sigma: number) => {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return ((x / 2 ** 31) * 2 - 1) * sigma
  }
}
const judge = (sim: Omit<BoundaryTeSimulation, 'domainNumber'>, noise = HARDWARE) => {
  const ev = envelope('TE-04', profile, simulateBoundaryTimeError({ ...sim, domainNumber: 24 }), { noise })
  const out = TE04.judge(ev, profile)
  const by = Object.fromEntries(out.checks.map((c) => [c.name, c]))
  return { ev, out, verdict: combineChecks(out.checks), by }
}

test.group('judge TE-04 boundary clock time error', () => {
  test('a boundary clock within class A passes every metric, also on stored evidence; the curves are measured', ({ assert }) => {
    const noise = white(1, CTE / 10)
    const r = judge({ teNs: () => CTE / 5 + noise() })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.out.checks, null, 1))
    assert.sameMembers(Object.keys(r.by), ['max|TE| (class A, unfiltered)', '|cTE| (class A)', 'dTE_L MTIE under the mask (class A)', 'dTE_L TDEV under the mask (class A)'])
    assert.approximately(r.out.measurements!.cteNs as number, CTE / 5, 1)
    assert.isAbove((r.out.measurements!.dteLMtieCurveNs as unknown[]).length, 10)
    assert.deepEqual(TE04.judge(roundTrip(r.ev), profile).checks, r.out.checks)
  })

  test('fault: a constant offset of the cTE limit + 30 ns fails cTE and nothing about wander', ({ assert }) => {
    const r = judge({ teNs: () => CTE + 30 })
    assert.equal(r.by['|cTE| (class A)']!.verdict, 'fail')
    assert.equal(r.by['dTE_L MTIE under the mask (class A)']!.verdict, 'pass')
  })

  test('fault: a 0.02 Hz wander of 0.75 × the MTIE mask in amplitude (1.5 × peak to peak) fails the dTE_L MTIE mask', ({ assert }) => {
    const r = judge({ teNs: (t) => 0.75 * MTIE * Math.sin(2 * Math.PI * 0.02 * t) })
    assert.equal(r.by['dTE_L MTIE under the mask (class A)']!.verdict, 'fail')
    assert.equal(r.by['|cTE| (class A)']!.verdict, 'pass')
  })

  test('lab: the same spike while the machine held the harness\'s own sends 2 ms is inconclusive (the DUT shares its vCPUs); on a device it fails', ({ assert }) => {
    const noise = white(3, 0.4 * MAX_ABS_TE)
    const sim = simulateBoundaryTimeError({ teNs: (t) => (t === 20 ? 1.4 * MAX_ABS_TE : noise()), domainNumber: 24 })
    const at = sim.downstream.frames[0]!.timestampNs!
    for (let i = 0; i < 20; i++) sim.upstream.record({ direction: 'out', port: 'ha', transport: 'l2', plannedAt: at + BigInt(i) * 62_500_000n, timestampNs: at + BigInt(i) * 62_500_000n + (i === 10 ? 2_000_000n : 1_500n), bytes: new Uint8Array(44) })
    const maxTe = (mode: 'lab' | 'device') => TE04.judge(envelope('TE-04', profile, sim, { noise: HARDWARE, mode }), profile).checks.find((c) => c.name.startsWith('max|TE|'))!
    const lab = maxTe('lab')
    assert.equal(lab.verdict, 'inconclusive', lab.detail)
    assert.match(lab.detail!, /the machine's worst stall during the test, 1\.998500 ms \(the harness's 20 scheduled sends in this test left a median 1\.500 µs and at worst 2\.000000 ms after their planned time; the DUT shares the lab's vCPUs\)/)
    assert.equal(maxTe('device').verdict, 'fail')
  })

  test('fault: one spike of 1.4 × max|TE| in noise of 0.4 × it fails max|TE| but not cTE', ({ assert }) => {
    // In a series this noisy the spike is within the noise's own spread: no stall suspect.
    const noise = white(3, 0.4 * MAX_ABS_TE)
    const r = judge({ teNs: (t) => (t === 20 ? 1.4 * MAX_ABS_TE : noise()) })
    assert.equal(r.out.measurements!.stallSuspects, 0)
    assert.equal(r.by['max|TE| (class A, unfiltered)']!.verdict, 'fail')
    assert.equal(r.by['|cTE| (class A)']!.verdict, 'pass')
  })

  test('noise: software timestamps leave every check inconclusive, the floor named', ({ assert }) => {
    const noise = white(2, 2_000)
    const r = judge({ teNs: () => noise() }, SOFTWARE)
    assert.equal(r.verdict, 'inconclusive', JSON.stringify(r.out.checks, null, 1))
    for (const c of r.out.checks) assert.match(c.detail!, /harness time-error floor ±8\.400 µs/)
  })

  test('noise: ms lab stalls are set aside; a check they alone would fail is inconclusive, saying so', ({ assert }) => {
    const r = judge({ teNs: () => 0, stalls: [100, 400, 700] })
    assert.equal(r.out.measurements!.stallSuspects, 3)
    const max = r.by['max|TE| (class A, unfiltered)']!
    assert.equal(max.verdict, 'inconclusive')
    assert.match(max.detail!, /alone .* would fail it: a lab stall cannot be ruled out/)
    assert.match(max.detail!, /3 exchanges beyond .* set aside as suspected lab stalls/)
  })

  test('fault on a device: nothing is set aside as a lab stall; a clock 3 × max|TE| off for a tenth of the time fails max|TE|', ({ assert }) => {
    const sim = simulateBoundaryTimeError({ teNs: (t) => (Math.floor(t) % 10 === 0 ? 3 * MAX_ABS_TE : 0), domainNumber: 24 })
    const out = TE04.judge(envelope('TE-04', profile, sim, { noise: HARDWARE, mode: 'device' }), profile)
    assert.equal(out.measurements!.stallSuspects, 0)
    assert.equal(out.checks.find((c) => c.name.startsWith('max|TE|'))!.verdict, 'fail')
    // The same evidence from the lab: those exchanges look like stalls there, and the check says it cannot rule one out.
    const lab = TE04.judge(envelope('TE-04', profile, sim, { noise: HARDWARE, mode: 'lab' }), profile)
    assert.isAbove(lab.measurements!.stallSuspects as number, 0)
  })

  test('fault: a 0.03 Hz wander of 3 × the TDEV limit in amplitude fails the dTE_L TDEV mask', ({ assert }) => {
    const TDEV = profile.accuracy.dteLTdev!.limit.value
    const r = judge({ teNs: (t) => 3 * TDEV * Math.sin(2 * Math.PI * 0.03 * t) })
    assert.equal(r.by['dTE_L TDEV under the mask (class A)']!.verdict, 'fail', JSON.stringify(r.by['dTE_L TDEV under the mask (class A)']))
  })

  test('fault: a boundary clock that answers no Delay_Req fails, naming the exchanges', ({ assert }) => {
    const r = judge({ teNs: () => 0, noDelayResp: true })
    assert.equal(r.verdict, 'fail')
    assert.equal(r.out.checks[0]!.name, 'complete two-way exchanges downstream')
    assert.equal(r.out.checks[0]!.measured, 0)
  })

  test('fault: a boundary clock that never passes the grandmaster on fails', ({ assert }) => {
    const r = judge({ teNs: () => 0, neverLocked: true })
    assert.equal(r.verdict, 'fail')
    assert.equal(r.out.checks[0]!.name, 'the boundary clock passed the grandmaster on downstream')
  })
})

test.group('judge TE-04 class C (max|TE_L|)', () => {
  const classC = () => {
    const p = loadProfile('g8275-1')
    p.suites.overrides['TE-04'] = { ...(p.suites.overrides['TE-04'] ?? {}), class: 'C' }
    return p
  }
  const TE_L = profile.accuracy.classCMaxAbsTeL!.limit.value
  const judgeC = (teNs: (t: number) => number) => {
    const p = classC()
    return Object.fromEntries(TE04.judge(envelope('TE-04', p, simulateBoundaryTimeError({ teNs, domainNumber: 24 }), { noise: HARDWARE }), p).checks.map((c) => [c.name, c]))
  }

  test('a clean clock passes max|TE_L| and cTE', ({ assert }) => {
    const by = judgeC(() => 0)
    assert.equal(by['max|TE_L| (class C, 0.1 Hz low-pass)']!.verdict, 'pass')
    assert.equal(by['|cTE| (class C)']!.verdict, 'pass')
  })

  test('fault: a zero-mean 0.05 Hz wander (3 cycles in the window) of 2 × the max|TE_L| limit fails max|TE_L| while cTE passes', ({ assert }) => {
    const by = judgeC((t) => 2 * TE_L * Math.sin(2 * Math.PI * 0.05 * t))
    assert.equal(by['max|TE_L| (class C, 0.1 Hz low-pass)']!.verdict, 'fail', JSON.stringify(by, null, 1))
    assert.equal(by['|cTE| (class C)']!.verdict, 'pass')
  })
})

test.group('judge TE-04 transparent clock time error (G.8273.3)', () => {
  const RESIDENCE = 180_000 // ptp4l's software TC holds a Sync 150–450 µs in the lab
  test('an E2E transparent clock within class A passes, judged on the grandmaster\'s own messages, its limits cited as G.8273.3\'s', ({ assert }) => {
    const noise = white(3, CTE / 10)
    const r = judge({ teNs: () => CTE / 5 + noise(), transparent: { residenceNs: RESIDENCE } })
    assert.equal(r.verdict, 'pass', JSON.stringify(r.out.checks, null, 1))
    assert.approximately(r.out.measurements!.cteNs as number, CTE / 5, 1)
    for (const c of r.out.checks) assert.match(c.source!, /^ITU-T G\.8273\.3 T-TC class A takes the T-BC class limits \[CX-8273\.3\]/)
    // Class A is confirmed for a T-TC: only what the profile itself marks stays unconfirmed.
    assert.equal(!!r.by['|cTE| (class A)']!.unconfirmed, !!profile.accuracy.classACte!.limit.unconfirmed)
    assert.deepEqual(TE04.judge(roundTrip(r.ev), profile).checks, r.out.checks)
  })

  test('fault: a transparent clock whose corrections leave a constant cTE limit + 30 ns fails cTE; one whose Syncs carry a 1.4 × max|TE| spike fails max|TE|', ({ assert }) => {
    const offset = judge({ teNs: () => CTE + 30, transparent: { residenceNs: RESIDENCE } })
    assert.equal(offset.by['|cTE| (class A)']!.verdict, 'fail')
    const noise = white(4, MAX_ABS_TE * 0.4)
    const spike = judge({ teNs: (t) => (Math.abs(t - 30) < 0.03 ? 1.4 * MAX_ABS_TE : noise()), transparent: { residenceNs: RESIDENCE } })
    assert.equal(spike.by['max|TE| (class A, unfiltered)']!.verdict, 'fail')
  })

  test('the reference is the grandmaster\'s time: one 37 s ahead of a UTC timestamp clock (PTP timescale) is measured from its own Syncs and taken off', ({ assert }) => {
    for (const transparent of [{ residenceNs: RESIDENCE }, undefined]) {
      const r = judge({ teNs: () => CTE / 5, grandmasterAheadNs: BigInt(CURRENT_TAI_MINUS_UTC) * 1_000_000_000n, ...(transparent ? { transparent } : {}) })
      assert.equal(r.verdict, 'pass', JSON.stringify(r.out.checks, null, 1))
      assert.equal(r.out.measurements!.grandmasterOffsetNs, String(BigInt(CURRENT_TAI_MINUS_UTC) * 1_000_000_000n))
      assert.approximately(r.out.measurements!.cteNs as number, CTE / 5, 1)
    }
  })

  test('noise: software timestamps leave it inconclusive with the floor named', ({ assert }) => {
    const r = judge({ teNs: () => 0, transparent: { residenceNs: RESIDENCE } }, SOFTWARE)
    assert.equal(r.verdict, 'inconclusive')
    for (const c of r.out.checks) assert.match(c.detail!, /harness time-error floor ±8\.400 µs/)
  })

  test('fault: a transparent clock that passes on no delay exchange fails, saying so', ({ assert }) => {
    const r = judge({ teNs: () => 0, noDelayResp: true, transparent: { residenceNs: RESIDENCE } })
    assert.equal(r.verdict, 'fail')
    assert.match(r.out.checks[0]!.detail!, /the transparent clock passed on too few/)
  })

  test('class C for a transparent clock is the T-BC class C limit, marked unconfirmed (G.8273.3 lists A and B)', ({ assert }) => {
    const p = loadProfile('g8275-1')
    p.suites.overrides['TE-04'] = { ...(p.suites.overrides['TE-04'] ?? {}), class: 'C' }
    const ev = envelope('TE-04', p, simulateBoundaryTimeError({ teNs: () => 0, transparent: { residenceNs: RESIDENCE }, domainNumber: 24 }), { noise: HARDWARE })
    const checks = TE04.judge(ev, p).checks
    const cte = checks.find((c) => c.name === '|cTE| (class C)')!
    assert.isTrue(cte.unconfirmed)
    assert.match(cte.source!, /assumed to take the T-BC class limits \(G\.8273\.3 classes C\/D not confirmed/)
    assert.equal(cte.verdict, 'pass')
  })
})
