/**
 * The time an emulated clock claims to have.
 *
 * An engine never reads a clock: it is handed the timestamps of the native ports (the
 * "timestamp clock", CLOCK_REALTIME with software timestamping). The time it *sends* is
 * this timestamp clock seen through a TimeBase:
 *
 *   master(t) = t + offsetNs + (t − referenceNs) × frequencyError + Σ steps with atNs ≤ t
 *
 * In the virtual lab every namespace shares CLOCK_REALTIME, so the true offset between a
 * DUT and the harness is 0 and the DUT sees exactly what the TimeBase adds. Note the sign:
 * a slave computes offsetFromMaster = slave − master, so a master running `offsetNs`
 * ahead makes a DUT slave report −offsetNs (see `timeBaseShowingSlaveOffset`).
 *
 * All arithmetic is integer: the frequency error is kept in parts per 10^12.
 */

const PPT_SCALE = 1_000_000_000_000n

export interface TimeStep {
  /** Timestamp-clock time from which the step applies. */
  atNs: bigint
  deltaNs: bigint
}

export interface TimeBaseConfig {
  /** master − timestamp clock at referenceNs. */
  offsetNs?: bigint
  /** Fractional frequency error of the emulated clock, parts per billion (may be fractional). */
  frequencyPpb?: number
  /** Timestamp-clock instant at which the frequency error has accumulated nothing. */
  referenceNs?: bigint
  /** Phase steps (time jumps) of the emulated clock. */
  steps?: readonly TimeStep[]
}

export class TimeBase {
  readonly offsetNs: bigint
  readonly frequencyPpb: number
  readonly referenceNs: bigint
  readonly steps: readonly TimeStep[]
  /** frequency error in parts per 10^12 (integer, so the mapping stays exact). */
  private readonly ppt: bigint

  constructor(config: TimeBaseConfig = {}) {
    this.offsetNs = config.offsetNs ?? 0n
    this.frequencyPpb = config.frequencyPpb ?? 0
    if (!Number.isFinite(this.frequencyPpb) || Math.abs(this.frequencyPpb) >= 1e9) {
      throw new RangeError(`frequencyPpb ${this.frequencyPpb} is not a usable frequency error`)
    }
    this.referenceNs = config.referenceNs ?? 0n
    this.steps = [...(config.steps ?? [])].sort((a, b) => (a.atNs < b.atNs ? -1 : a.atNs > b.atNs ? 1 : 0))
    this.ppt = BigInt(Math.round(this.frequencyPpb * 1000))
  }

  /** The emulated clock's time at timestamp-clock time t. */
  toMaster(t: bigint): bigint {
    let m = t + this.offsetNs + floorDiv((t - this.referenceNs) * this.ppt, PPT_SCALE)
    for (const s of this.steps) if (t >= s.atNs) m += s.deltaNs
    return m
  }

  /**
   * The timestamp-clock time at which the emulated clock reads m (inverse of toMaster;
   * used to schedule a send "at master time m"). With steps the inverse may not be unique;
   * the earliest solution consistent with the steps in force is returned.
   */
  toLocal(m: bigint): bigint {
    // toMaster is non-decreasing inside each segment between steps; solve in each segment
    // and keep the earliest solution that lies in its segment.
    let best: bigint | undefined
    let applied = 0n
    for (let k = 0; k <= this.steps.length; k++) {
      if (k > 0) applied += this.steps[k - 1]!.deltaNs
      const segStart = k > 0 ? this.steps[k - 1]!.atNs : undefined
      const segEnd = k < this.steps.length ? this.steps[k]!.atNs : undefined
      const x = m - this.offsetNs - applied
      let t = this.referenceNs + floorDiv((x - this.referenceNs) * PPT_SCALE, PPT_SCALE + this.ppt)
      while (this.segmentValue(t, applied) < m) t += 1n
      while (this.segmentValue(t - 1n, applied) >= m) t -= 1n
      if (segStart !== undefined && t < segStart) t = segStart
      if (segEnd !== undefined && t >= segEnd) continue
      if (best === undefined || t < best) best = t
    }
    return best ?? m - this.offsetNs
  }

  private segmentValue(t: bigint, applied: bigint): bigint {
    return t + this.offsetNs + floorDiv((t - this.referenceNs) * this.ppt, PPT_SCALE) + applied
  }

  /** A copy with some fields changed. */
  with(changes: TimeBaseConfig): TimeBase {
    return new TimeBase({
      offsetNs: changes.offsetNs ?? this.offsetNs,
      frequencyPpb: changes.frequencyPpb ?? this.frequencyPpb,
      referenceNs: changes.referenceNs ?? this.referenceNs,
      steps: changes.steps ?? this.steps,
    })
  }

  /** A copy with one more phase step (a time jump of deltaNs from timestamp-clock time atNs on). */
  withStep(atNs: bigint, deltaNs: bigint): TimeBase {
    return this.with({ steps: [...this.steps, { atNs, deltaNs }] })
  }

  /**
   * 802.1AS cumulativeScaledRateOffset of this clock relative to the timestamp clock:
   * (rateRatio − 1) × 2^41, rateRatio = 1 + frequencyError.
   */
  cumulativeScaledRateOffset(): number {
    return Number((this.ppt << 41n) / PPT_SCALE)
  }
}

/**
 * The TimeBase that makes a DUT slave report `slaveOffsetNs` as offsetFromMaster
 * (offsetFromMaster = slave − master, and the true offset in the lab is 0).
 */
export function timeBaseShowingSlaveOffset(slaveOffsetNs: bigint, config: Omit<TimeBaseConfig, 'offsetNs'> = {}): TimeBase {
  return new TimeBase({ ...config, offsetNs: -slaveOffsetNs })
}

/** Floor division for bigint (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q
}
