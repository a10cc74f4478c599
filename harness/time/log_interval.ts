/**
 * PTP log intervals: every logMessageInterval, logAnnounceInterval, logSyncInterval, … is a
 * signed Integer8 exponent of 2 seconds (IEEE 1588-2019 7.7.2.1). The one place that turns
 * one into time: nanoseconds for protocol timing, milliseconds only for how long Node waits.
 */

/** 2^logInterval seconds in integer nanoseconds (exact; below 1 ns it rounds down to 0). */
export function logIntervalToNs(logInterval: number): bigint {
  if (!Number.isInteger(logInterval) || logInterval < -128 || logInterval > 127) {
    throw new RangeError(`log interval ${logInterval} is not an Integer8`)
  }
  return logInterval >= 0 ? 1_000_000_000n << BigInt(logInterval) : 1_000_000_000n >> BigInt(-logInterval)
}

/** 2^logInterval seconds in milliseconds, for observation and wait durations (never for judging). */
export function logIntervalToMs(logInterval: number): number {
  return Number(logIntervalToNs(logInterval)) / 1e6
}
