/**
 * E2E-02 — the DUT slave's meanPathDelay and offsetFromMaster follow an emulated longer link:
 * a fixed delay D each way adds D to meanPathDelay and nothing to the offset; an asymmetry A
 * towards the DUT adds A/2 to both (the error a two-way mechanism makes by design). Judged as
 * changes from a control phase, so the lab link's own delay and asymmetry cancel. The
 * emulation and judging: suites/support/path_delay.ts.
 */
import { conformance } from '../kit.ts'
import { acquirePathDelay, judgePathDelay, type PathDelayData } from '../support/path_delay.ts'

/** Far above software timestamping noise (tens of µs), far below anything a slave would reject. */
const PARAMS = { delayNs: 500_000, asymmetryNs: 500_000 }

export default conformance<PathDelayData>({
  id: 'E2E-02',
  title: 'meanPathDelay and offset follow an emulated fixed delay and asymmetry',
  area: 'E2E',
  clause: 'IEEE 1588-2019 11.3.2 (delay request-response), 7.4.2 (path asymmetry)',
  mapsTo: ['linuxptp-testsuite 23-basedelay', 'EANTC asymmetry test'],
  tags: ['active', 'delay', 'impairment'],
  severity: 'critical',
  fixture: 'dut-slave',
  params: PARAMS,
  // Lock + settle ≈ 10 s, then each impaired phase waits for the DUT's delay filter (ptp4l: a
  // median of 10 exchanges at 1 Delay_Req/s ≈ 6–10 s) and samples 4 s.
  estimatedSeconds: 45,
  criteria: {
    pass: 'from the control phase, meanPathDelay moves by D and the offset by 0 under a fixed delay D each way; both move by A/2 under an asymmetry A towards the DUT; each within the noise floor + 3 standard errors',
    fail: 'the DUT never follows the grandmaster, or its meanPathDelay or offset does not move by the emulated amount (a frozen delay, one direction used, the delay not subtracted)',
  },
  appliesTo: (p) => (p.delayMechanism.allowed.includes('E2E') && p.delayMechanism.default === 'E2E' ? true : `profile ${p.id} does not run the delay request-response mechanism`),
  acquire(ctx) {
    const p = ctx.params(PARAMS)
    return acquirePathDelay(ctx, 'E2E', { delayNs: BigInt(p.delayNs), asymmetryNs: BigInt(p.asymmetryNs), why: 'the test\'s parameters: far above software timestamping noise' })
  },
  judge(ev) {
    return { checks: judgePathDelay(ev.data, ev.noise.timeErrorFloorNs, ev.noise.pathAsymmetryNs ?? 0n), measurements: { phases: ev.data.phases.map((ph) => ({ name: ph.name, settledAfterMs: ph.settledAfterMs ?? null, delayReports: ph.delay.length, offsetReports: ph.offset.length })) } }
  },
})
