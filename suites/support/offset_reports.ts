/**
 * The DUT slave's self-reported offsetFromMaster, sampled over management and judged against
 * what the emulated grandmaster's time base says it must be (TE-08, INT-05).
 *
 * Agreement: |median(reported − expected)| ≤ the harness's time-error floor (how far software
 * timestamps sit from the wire, which a path asymmetry of the lab link shifts the DUT's offset
 * by) + 3 × the standard error of the median (√(π/2) × 1.4826 × MAD / √n for near-normal
 * reports), a tolerance that shrinks as reports accumulate. Where that tolerance reaches half
 * the difference a fault would make, the harness could not tell the fault apart: inconclusive.
 */
import type { Check } from '../../harness/verdict/verdict.ts'
import type { TestContext } from '../../harness/run/context.ts'
import { formatNs } from '../../harness/time/format.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { absNs, madNs, medianNs, medianStandardErrorNs } from '../../harness/stats/robust.ts'
import { isSlave, type Masters, type StateRead } from './grandmasters.ts'

/** One offsetFromMaster the DUT reported, when it was read, and what it should have been then. */
export interface OffsetReport {
  readNs: bigint
  reportedNs: bigint
  expectedNs: bigint
}

export interface OffsetSample {
  reports: OffsetReport[]
  /** Reads that gave no offset (no answer, or not a slave). */
  missed: number
  /** Every read, answered or not, for the judges that also ask whom the DUT followed. */
  reads: StateRead[]
}

const SOURCE = 'IEEE 1588-2019 11.2, 11.3.2 (offsetFromMaster = t2 − t1 − meanPathDelay − corrections)'
const COVERAGE = 3
export const MIN_REPORTS = 5
/** Read spacing: a pmc round trip is a few ms, so 4 reads a second leave the DUT alone. */
const READ_EVERY_MS = 250

/** Read the DUT's state every 250 ms for `seconds`; the expected offset is `master`'s at each read. */
export async function sampleOffsets(ctx: TestContext, m: Masters, seconds: number, master = 'gm'): Promise<OffsetSample> {
  const out: OffsetSample = { reports: [], missed: 0, reads: [] }
  const end = Date.now() + seconds * 1000
  while (Date.now() < end) {
    const startNs = systemTimeNs()
    let state
    let error: string | undefined
    try {
      state = await ctx.session.dut.readState()
    } catch (err) {
      error = (err as Error).message
    }
    const readNs = systemTimeNs()
    out.reads.push(state ? { atNs: readNs, startNs, state } : { atNs: readNs, startNs, error: error ?? 'no answer' })
    if (state?.offsetFromMasterNs !== undefined && isSlave(state)) out.reports.push({ readNs, reportedNs: state.offsetFromMasterNs, expectedNs: m.master(master).expectedSlaveOffsetNs(readNs) })
    else out.missed++
    await ctx.sleep(READ_EVERY_MS)
  }
  return out
}


/**
 * The agreement check of one phase: median error against noise + a shrinking spread term.
 * `distinguishNs` is the smallest error a targeted fault makes, `what` names that fault.
 */
export function agreementCheck(label: string, reports: readonly OffsetReport[], floorNs: bigint, distinguishNs: bigint, what: string, asymmetryAllowanceNs = 0n): Check {
  const name = `${label}: |median reported − expected offsetFromMaster|`
  if (reports.length < MIN_REPORTS) {
    return { name, measured: reports.length, limit: `≥ ${MIN_REPORTS} reports while a slave`, source: SOURCE, verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${reports.length} times while a slave` }
  }
  const errors = reports.map((r) => r.reportedNs - r.expectedNs)
  const med = medianNs(errors)
  const mad = madNs(errors)
  const se = medianStandardErrorNs(errors)
  const tolerance = Number(floorNs) + COVERAGE * se
  const err = Number(absNs(med))
  const base = {
    name,
    measured: err,
    unit: 'ns',
    limit: `≤ ${formatNs(BigInt(Math.ceil(tolerance)))} (harness time-error floor + 3 × standard error of the median)`,
    noise: tolerance,
    source: SOURCE,
  }
  const detail = `expected ${formatNs(reports[0]!.expectedNs)}; median reported ${formatNs(medianNs(reports.map((r) => r.reportedNs)))}; n ${errors.length}, MAD ${formatNs(mad)}, standard error of the median ${formatNs(BigInt(Math.round(se)))}, harness time-error floor ${formatNs(floorNs)}`
  if (tolerance * 2 >= Number(distinguishNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; a tolerance this wide cannot tell ${what} (${formatNs(distinguishNs)}) apart` }
  }
  if (err <= tolerance) return { ...base, verdict: 'pass', detail }
  // A path asymmetry moves a two-way offset by half itself; beyond the tolerance but within the
  // asymmetry the noise allows, the harness cannot blame the DUT.
  if (err <= tolerance + Number(asymmetryAllowanceNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; within the ${formatNs(asymmetryAllowanceNs)} path asymmetry the harness noise allows beyond the tolerance (the lab's software paths, measured)` }
  }
  return { ...base, verdict: 'fail', detail }
}

const errorOf = (r: OffsetReport) => r.reportedNs - r.expectedNs

/**
 * The change of the median error (reported − expected) from `before` to `after`, and the
 * combined standard error of the two medians; or which phase had fewer than MIN_REPORTS.
 */
function errorChange(before: readonly OffsetReport[], after: readonly OffsetReport[]): { few: string } | { change: bigint; se: number; medBefore: bigint; medAfter: bigint } {
  const few = [before.length < MIN_REPORTS ? `${before.length} in the control phase` : '', after.length < MIN_REPORTS ? `${after.length} after the change` : ''].filter(Boolean)
  if (few.length) return { few: few.join(' and ') }
  const eb = before.map(errorOf)
  const ea = after.map(errorOf)
  const medBefore = medianNs(eb)
  const medAfter = medianNs(ea)
  return { change: medAfter - medBefore, se: Math.hypot(medianStandardErrorNs(eb), medianStandardErrorNs(ea)), medBefore, medAfter }
}

/**
 * Whether the DUT's offset error stayed where it was between a control phase and a changed one
 * (the expected offset moves with whatever the harness changed). A constant bias — the lab
 * link's path asymmetry, a DUT's fixed error that TE-08 judges — cancels, so the tolerance is
 * the time-error floor + 3 × the combined standard error of the two medians. An offset also
 * carries the lab link's software path asymmetry, which drifts between phases with the load (TE-08
 * runs measured 17–26 µs; consecutive phases here up to 18 µs apart): beyond the tolerance but
 * within `asymmetryAllowanceNs` of it the harness cannot blame the DUT (inconclusive).
 */
export function changeCheck(label: string, before: readonly OffsetReport[], after: readonly OffsetReport[], floorNs: bigint, distinguishNs: bigint, what: string, asymmetryAllowanceNs = 0n): Check {
  const name = `${label}: |change of the median error (reported − expected) from the control phase|`
  const x = errorChange(before, after)
  if ('few' in x) {
    return { name, measured: Math.min(before.length, after.length), limit: `≥ ${MIN_REPORTS} reports while a slave, in each phase`, source: SOURCE, verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${x.few} while a slave` }
  }
  const { change, se } = x
  const tolerance = Number(floorNs) + COVERAGE * se
  const base = {
    name,
    measured: Number(absNs(change)),
    unit: 'ns',
    limit: `≤ ${formatNs(BigInt(Math.ceil(tolerance)))} (harness time-error floor + 3 × combined standard error of the two medians)`,
    noise: tolerance,
    source: SOURCE,
  }
  const detail = `median error (reported − expected) ${formatNs(x.medBefore)} in the control phase (n ${before.length}), ${formatNs(x.medAfter)} after (n ${after.length}; expected there ${formatNs(after[0]!.expectedNs)}, median reported ${formatNs(medianNs(after.map((r) => r.reportedNs)))}); combined standard error ${formatNs(BigInt(Math.round(se)))}, harness time-error floor ${formatNs(floorNs)}`
  if (tolerance * 2 >= Number(distinguishNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; a tolerance this wide cannot tell ${what} (${formatNs(distinguishNs)}) apart` }
  }
  if (Number(absNs(change)) <= tolerance) return { ...base, verdict: 'pass', detail }
  if (Number(absNs(change)) <= tolerance + Number(asymmetryAllowanceNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; within the ${formatNs(asymmetryAllowanceNs)} the lab's software path asymmetry may drift between phases (measured; harness/verdict/lab_allowances.ts)` }
  }
  return { ...base, verdict: 'fail', detail }
}

/**
 * Did the DUT's median offset error move from the control phase by what a misuse of a fault
 * makes (`distinguishNs`: a step a DUT no longer using the stream misses, a Sync interval, an
 * intruder's offset)? The boundary is half that error, not the noise (changeCheck): a DUT that
 * handles the fault right may still settle for a while (a delay filter catches a step's one odd
 * exchange: ptpd's reported offset took ~5 s to come back from 300 µs), which is not the
 * question. Noise (time-error floor, path asymmetry, 3 combined standard errors of the medians)
 * at or above that boundary cannot tell: inconclusive.
 */
export function misuseChangeCheck(label: string, control: readonly OffsetReport[], phase: readonly OffsetReport[], noiseNs: bigint, distinguishNs: bigint, what: string): Check {
  const half = distinguishNs / 2n
  const base = { name: `${label}: |change of the median error (reported − expected) from the control phase|`, unit: 'ns', limit: `< ${formatNs(half)} (half the ${formatNs(distinguishNs)} a misuse makes)`, source: SOURCE }
  const x = errorChange(control, phase)
  if ('few' in x) return { ...base, measured: Math.min(control.length, phase.length), verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${x.few} while a slave (≥ ${MIN_REPORTS} wanted)` }
  const noise = Number(noiseNs) + COVERAGE * x.se
  const measured = Number(absNs(x.change))
  const detail = `median error ${formatNs(x.medBefore)} in the control phase (n ${control.length}), ${formatNs(x.medAfter)} here (n ${phase.length}); noise ${formatNs(BigInt(Math.round(noise)))} (time-error floor, path asymmetry, 3 combined standard errors of the medians)`
  if (noise >= Number(half)) return { ...base, measured, noise, verdict: 'inconclusive', detail: `${detail}: noise this wide cannot tell ${what} (${formatNs(distinguishNs)}) apart` }
  if (measured < Number(half)) return { ...base, measured, noise, verdict: 'pass', detail: measured > noise ? `${detail}; moved beyond the noise, but by less than half of what a misuse makes (a DUT settling after the fault)` : detail }
  return { ...base, measured, noise, verdict: 'fail', detail: `${detail}: ${what}` }
}

/**
 * A DUT that misuses a fault only now and then (a Follow_Up paired with the wrong Sync every
 * other interval) leaves the median alone but shows in single reports: each report's error
 * against the control phase's median, off by more than half the misuse error. Two or more such
 * reports fail; a single one could be a stalled timestamp (inconclusive, with its value); half
 * the misuse error within the noise cannot tell.
 */
export function misusedReportsCheck(label: string, control: readonly OffsetReport[], reports: readonly OffsetReport[], misuse: { errorNs: bigint; what: string }, noiseNs: bigint): Check {
  const half = misuse.errorNs / 2n
  const base = { name: `${label}: reports off by about the misuse error`, limit: `no report's error more than ${formatNs(half)} from the control phase's median (half the ${formatNs(misuse.errorNs)} a misuse makes)`, source: SOURCE, unit: 'reports' }
  if (control.length === 0 || reports.length === 0) return { ...base, measured: 0, verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${control.length} times in the control phase and ${reports.length} times in this one` }
  if (half <= noiseNs) return { ...base, measured: 0, verdict: 'inconclusive', detail: `half the misuse error (${formatNs(half)}) is within the harness's time-error floor and path asymmetry (${formatNs(noiseNs)}): cannot tell ${misuse.what} apart` }
  const mid = medianNs(control.map(errorOf))
  const off = reports.map((r) => errorOf(r) - mid).filter((e) => absNs(e) > half)
  const detail = `${off.length} of ${reports.length} reports off by more than ${formatNs(half)}${off.length ? `: ${off.slice(0, 5).map((e) => formatNs(e)).join(', ')}${off.length > 5 ? ', …' : ''}` : ''}; control median error ${formatNs(mid)}`
  if (off.length >= 2) return { ...base, measured: off.length, verdict: 'fail', detail: `${detail}: ${misuse.what}` }
  if (off.length === 1) return { ...base, measured: 1, verdict: 'inconclusive', detail: `${detail}: one report alone could be a stalled timestamp` }
  return { ...base, measured: 0, verdict: 'pass', detail }
}
