/**
 * Derived data types of IEEE 1588-2019 5.3: Timestamp (10 octets), PortIdentity (10),
 * ClockQuality (4), PTPText (1 + n). Read/write helpers shared by messages, TLVs and management data.
 */
import type { PtpTimestamp } from '../time/timestamp.ts'
import type { ClockQuality, Finding, PortIdentity } from './types.ts'
import { u16, u32, u48, w16, w32, w48 } from './bytes.ts'
import { readClockIdentity, writeClockIdentity } from './clock_identity.ts'
import { Clause } from './findings/clauses.ts'
import { error } from './findings/finding.ts'

export const TIMESTAMP_LENGTH = 10
export const PORT_IDENTITY_LENGTH = 10
export const CLOCK_QUALITY_LENGTH = 4

/** Reads a Timestamp; a nanosecondsField >= 10^9 is kept and reported. */
export function readTimestamp(
  b: Uint8Array,
  o: number,
  base: number,
  field: string,
  findings: Finding[],
): PtpTimestamp {
  const nanosecondsField = u32(b, o + 6)
  if (nanosecondsField >= 1_000_000_000) {
    findings.push(
      error(`${field}.nanosecondsField`, o + 6 - base, `nanosecondsField ${nanosecondsField} is not below 10^9`, Clause.timestamp),
    )
  }
  const seconds = u48(b, o)
  // Consecutive messages mostly carry the same secondsField: reuse its (immutable) bigint.
  if (seconds !== lastSeconds) {
    lastSeconds = seconds
    lastSecondsBig = BigInt(seconds)
  }
  return { secondsField: lastSecondsBig, nanosecondsField }
}

let lastSeconds = 0
let lastSecondsBig = 0n

export function writeTimestamp(b: Uint8Array, o: number, ts: PtpTimestamp): void {
  w48(b, o, ts.secondsField)
  w32(b, o + 6, ts.nanosecondsField)
}

export function readPortIdentity(b: Uint8Array, o: number): PortIdentity {
  return { clockIdentity: readClockIdentity(b, o), portNumber: u16(b, o + 8) }
}

export function writePortIdentity(b: Uint8Array, o: number, p: PortIdentity): void {
  writeClockIdentity(b, o, p.clockIdentity)
  w16(b, o + 8, p.portNumber)
}

export function readClockQuality(b: Uint8Array, o: number): ClockQuality {
  return { clockClass: b[o]!, clockAccuracy: b[o + 1]!, offsetScaledLogVariance: u16(b, o + 2) }
}

export function writeClockQuality(b: Uint8Array, o: number, q: ClockQuality): void {
  b[o] = q.clockClass
  b[o + 1] = q.clockAccuracy
  w16(b, o + 2, q.offsetScaledLogVariance)
}

/** PortIdentity with all octets 0xFF: "all ports of all clocks" (1588-2019 7.5.2.4). */
export const WILDCARD_PORT_IDENTITY: Readonly<PortIdentity> = Object.freeze({
  clockIdentity: 'ffffff.ffff.ffffff',
  portNumber: 0xffff,
})

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: false })

/** UTF-8 octets of a string, for PTPText fields (displayData, displayName). */
export function ptpTextBytes(text: string): Uint8Array {
  return utf8.encode(text)
}

/** The text of PTPText octets (invalid UTF-8 becomes U+FFFD; the codec keeps the octets). */
export function ptpTextString(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes)
}
