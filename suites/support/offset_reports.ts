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
  const few = [before.length < MIN_REPORTS ? `${before.length} in the control phase` : '', after.length < MIN_REPORTS ? `${after.length} after the change` : ''].filter(Boolean)
  if (few.length) {
    return { name, measured: Math.min(before.length, after.length), limit: `≥ ${MIN_REPORTS} reports while a slave, in each phase`, source: SOURCE, verdict: 'fail', detail: `the DUT reported its offsetFromMaster ${few.join(' and ')} while a slave` }
  }
  const eb = before.map((r) => r.reportedNs - r.expectedNs)
  const ea = after.map((r) => r.reportedNs - r.expectedNs)
  const change = medianNs(ea) - medianNs(eb)
  const se = Math.hypot(medianStandardErrorNs(eb), medianStandardErrorNs(ea))
  const tolerance = Number(floorNs) + COVERAGE * se
  const base = {
    name,
    measured: Number(absNs(change)),
    unit: 'ns',
    limit: `≤ ${formatNs(BigInt(Math.ceil(tolerance)))} (harness time-error floor + 3 × combined standard error of the two medians)`,
    noise: tolerance,
    source: SOURCE,
  }
  const detail = `median error (reported − expected) ${formatNs(medianNs(eb))} in the control phase (n ${eb.length}), ${formatNs(medianNs(ea))} after (n ${ea.length}; expected there ${formatNs(after[0]!.expectedNs)}, median reported ${formatNs(medianNs(after.map((r) => r.reportedNs)))}); combined standard error ${formatNs(BigInt(Math.round(se)))}, harness time-error floor ${formatNs(floorNs)}`
  if (tolerance * 2 >= Number(distinguishNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; a tolerance this wide cannot tell ${what} (${formatNs(distinguishNs)}) apart` }
  }
  if (Number(absNs(change)) <= tolerance) return { ...base, verdict: 'pass', detail }
  if (Number(absNs(change)) <= tolerance + Number(asymmetryAllowanceNs)) {
    return { ...base, verdict: 'inconclusive', detail: `${detail}; within the ${formatNs(asymmetryAllowanceNs)} the lab's software path asymmetry may drift between phases (measured; harness/verdict/lab_allowances.ts)` }
  }
  return { ...base, verdict: 'fail', detail }
}
