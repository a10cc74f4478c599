/**
 * Announce (IEEE 1588-2019 13.5): originTimestamp, currentUtcOffset, reserved, grandmaster
 * priorities / clockQuality / identity, stepsRemoved, timeSource; 64 octets + TLVs.
 */
import type { AnnounceMessage, ClockIdentity, ClockQuality, Finding, Header, PtpTimestamp, Tlv } from '../types.ts'
import { i16, u16, w16 } from '../bytes.ts'
import { readClockIdentity, writeClockIdentity } from '../clock_identity.ts'
import { readClockQuality, readTimestamp, writeClockQuality, writeTimestamp } from '../fields.ts'
import { TimeSource } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { builderHeader, ts, type BuildCommon } from './common.ts'

export function decodeAnnounce(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): AnnounceMessage {
  const reserved = b[o + 46]!
  if (reserved !== 0) findings.push(error('reserved', 46, `reserved octet 46 of Announce is ${reserved}, shall be 0`, Clause.announce))
  return {
    type: 'Announce',
    header,
    originTimestamp: readTimestamp(b, o + 34, o, 'originTimestamp', findings),
    currentUtcOffset: i16(b, o + 44),
    reserved,
    grandmasterPriority1: b[o + 47]!,
    grandmasterClockQuality: readClockQuality(b, o + 48),
    grandmasterPriority2: b[o + 52]!,
    grandmasterIdentity: readClockIdentity(b, o + 53),
    stepsRemoved: u16(b, o + 61),
    timeSource: b[o + 63]!,
    tlvs,
  }
}

export function writeAnnounce(m: AnnounceMessage, b: Uint8Array, o: number): void {
  writeTimestamp(b, o + 34, m.originTimestamp)
  w16(b, o + 44, m.currentUtcOffset)
  b[o + 46] = m.reserved
  b[o + 47] = m.grandmasterPriority1
  writeClockQuality(b, o + 48, m.grandmasterClockQuality)
  b[o + 52] = m.grandmasterPriority2
  writeClockIdentity(b, o + 53, m.grandmasterIdentity)
  w16(b, o + 61, m.stepsRemoved)
  b[o + 63] = m.timeSource
}

/**
 * Defaults: a free-running default-profile grandmaster (priority 128/128, clockClass 248,
 * clockAccuracy 0xFE unknown, offsetScaledLogVariance 0xFFFF, INTERNAL_OSCILLATOR, currentUtcOffset 37),
 * grandmasterIdentity = the header's clockIdentity.
 */
export function buildAnnounce(
  p: BuildCommon & {
    originTimestamp?: PtpTimestamp
    currentUtcOffset?: number
    grandmasterPriority1?: number
    grandmasterClockQuality?: Partial<ClockQuality>
    grandmasterPriority2?: number
    grandmasterIdentity?: ClockIdentity
    stepsRemoved?: number
    timeSource?: number
  } = {},
): AnnounceMessage {
  const tlvs = p.tlvs ?? []
  const header = builderHeader('Announce', p.header, tlvs)
  return {
    type: 'Announce',
    header,
    originTimestamp: ts(p.originTimestamp),
    currentUtcOffset: p.currentUtcOffset ?? 37,
    reserved: 0,
    grandmasterPriority1: p.grandmasterPriority1 ?? 128,
    grandmasterClockQuality: {
      clockClass: p.grandmasterClockQuality?.clockClass ?? 248,
      clockAccuracy: p.grandmasterClockQuality?.clockAccuracy ?? 0xfe,
      offsetScaledLogVariance: p.grandmasterClockQuality?.offsetScaledLogVariance ?? 0xffff,
    },
    grandmasterPriority2: p.grandmasterPriority2 ?? 128,
    grandmasterIdentity: p.grandmasterIdentity ?? header.sourcePortIdentity.clockIdentity,
    stepsRemoved: p.stepsRemoved ?? 0,
    timeSource: p.timeSource ?? TimeSource.INTERNAL_OSCILLATOR,
    tlvs,
  }
}
