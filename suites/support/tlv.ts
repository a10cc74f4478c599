/**
 * Pure helpers for the TLV judges: name a decoded TLV the way profiles name them (TlvName),
 * find a profile's required TLV, count the messages that lack it, and say what an
 * organization extension carried instead (another OUI, subtype or length) so a failing
 * check names what arrived.
 */
import type { PtpMessage, Tlv } from '../../harness/codec/types.ts'
import type { MessageName, Profile, TlvRef } from '../../harness/profiles/types.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import { tlvName } from '../../harness/codec/tlvs/index.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import type { Observation } from './observation.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'

/** tlvType of an organization extension (1588-2019 Table 52: 0x0003, and the 2019 propagate / do-not-propagate variants). */
const ORG_TLV_TYPES = new Set([0x0003, 0x4000, 0x8000])


export function tlvsNamed(m: PtpMessage, name: string): Tlv[] {
  return m.tlvs.filter((t) => tlvName(t) === name)
}

/** The profile's required TLV of this name in this message type, if any. */
export function requiredTlv(profile: Profile, message: MessageName, name: string): TlvRef | undefined {
  return profile.tlvs[message]?.required.find((r) => r.tlv === name)
}

/** The profile's allowed (optional) TLV of this name in this message type, if any. */
export function allowedTlv(profile: Profile, message: MessageName, name: string): TlvRef | undefined {
  return profile.tlvs[message]?.allowed.find((r) => r.tlv === name)
}

/** 0x0080c2 → "00-80-C2". */
export function hex3(n: number): string {
  return [16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0').toUpperCase()).join('-')
}

/** An organization extension's identity as on the wire, also for one the decoder could not lay out (UNKNOWN). */
export interface OrgIdentity {
  tlvType: number
  organizationId: number
  organizationSubType: number
  lengthField: number
}

export function orgIdentityOf(t: Tlv): OrgIdentity | undefined {
  if (t.kind === 'ORGANIZATION_EXTENSION') return { tlvType: t.tlvType, organizationId: t.organizationId, organizationSubType: t.organizationSubType, lengthField: t.lengthField }
  // A known OUI/subtype whose length does not fit its layout decodes as UNKNOWN with the raw value.
  if (t.kind === 'UNKNOWN' && ORG_TLV_TYPES.has(t.tlvType) && t.value.length >= 6) {
    const v = t.value
    return { tlvType: t.tlvType, organizationId: (v[0]! << 16) | (v[1]! << 8) | v[2]!, organizationSubType: (v[3]! << 16) | (v[4]! << 8) | v[5]!, lengthField: t.lengthField }
  }
  return undefined
}

export function describeOrg(o: OrgIdentity): string {
  return `ORGANIZATION_EXTENSION ${hex3(o.organizationId)} subtype ${o.organizationSubType} lengthField ${o.lengthField}`
}

/** "12 × ORGANIZATION_EXTENSION 00-80-C3 subtype 1 lengthField 28; 3 × no TLV" — what messages carried. */
export function describeCarried(messages: readonly PtpMessage[]): string {
  const groups = new Map<string, number>()
  for (const m of messages) {
    const key = m.tlvs.length ? m.tlvs.map((t) => { const o = orgIdentityOf(t); return o ? describeOrg(o) : `${t.kind} lengthField ${t.lengthField}` }).join(' + ') : 'no TLV'
    groups.set(key, (groups.get(key) ?? 0) + 1)
  }
  return [...groups].map(([k, n]) => `${n} × ${k}`).join('; ')
}

/** What an organization TLV must be: OUI, subtype and the lengthField values accepted. */
export interface OrgExpectation {
  organizationId: number
  organizationSubType: number
  lengthFields: readonly number[]
  source: string
  unconfirmedLength?: boolean
}

/**
 * One check per identity field (organizationId, organizationSubType, lengthField) over the
 * organization extension each message carries — the expected one when present, else the
 * first organization extension — so a wrong OUI, subtype or length is named as such.
 */
export function orgIdentityChecks(messages: readonly PtpMessage[], what: string, e: OrgExpectation): Check[] {
  const candidates = messages.map((m) => m.tlvs.map(orgIdentityOf).find((o) => o && o.organizationId === e.organizationId && o.organizationSubType === e.organizationSubType) ?? m.tlvs.map(orgIdentityOf).find((o) => o))
  const present = candidates.filter((o): o is OrgIdentity => !!o)
  if (!present.length) return []
  const count = (bad: (o: OrgIdentity) => boolean) => present.filter(bad)
  const one = (name: string, bad: OrgIdentity[], limit: string, source: string, extra: Partial<Check> = {}): Check => ({
    name: `${what}: ${name}`,
    measured: bad.length,
    limit: `0 of ${present.length} (${limit})`,
    source,
    verdict: bad.length ? 'fail' : 'pass',
    ...(bad.length ? { detail: `seen: ${describeOrg(bad[0]!)}` } : {}),
    ...extra,
  })
  return [
    one('organizationId other than expected', count((o) => o.organizationId !== e.organizationId), `organizationId ${hex3(e.organizationId)}`, e.source),
    one('organizationSubType other than expected', count((o) => o.organizationSubType !== e.organizationSubType), `organizationSubType ${e.organizationSubType}`, e.source),
    one('lengthField other than expected', count((o) => !e.lengthFields.includes(o.lengthField)), `lengthField ${e.lengthFields.join(' or ')}`, e.source, e.unconfirmedLength ? { unconfirmed: true } : {}),
  ]
}

/** How long the DUT was watched after it began serving, and how long it takes to be sure a message type is missing. */
export interface Watch {
  ms: number
  neededMs: number
  why: string
}

/**
 * The watch for one message type: from the DUT's first Sync to the end of the observation,
 * against the receipt timeout of that type as the DUT is configured (1588-2019 7.7.3: a port
 * that hears no Announce for announceReceiptTimeout intervals declares the master gone).
 */
export function watchOf(ev: Evidence<{ observation: Observation }>, message: 'Announce' | 'Follow_Up'): Watch {
  const o = ev.data.observation
  const ms = o.durationMs - (o.firstSyncAfterMs ?? 0)
  const [interval, timeout] = message === 'Announce' ? [ev.dut.intervals.announce, ev.dut.announceReceiptTimeout] : [ev.dut.intervals.sync, ev.dut.syncReceiptTimeout ?? { value: 3, origin: 'profile default' }]
  const neededMs = Math.ceil(timeout.value * logIntervalToMs(interval.value))
  return { ms, neededMs, why: `${timeout.value} × the configured 2^${interval.value} s ${message === 'Announce' ? 'Announce' : 'Sync'} interval (receipt timeout, IEEE 1588-2019 7.7.3.1)` }
}

/**
 * Presence of a profile-required TLV in every message of a type the DUT sent. Returns
 * the checks and the TLVs found (one list per message) for content checks. No message of
 * the type is a FAIL naming what the DUT did send, unless the harness watched for less than
 * the receipt timeout: then it could not tell, and says so (inconclusive).
 */
export function presenceChecks(
  frames: readonly RecordedFrame[],
  message: MessageName,
  name: string,
  source: string,
  watch: Watch,
  unconfirmed?: boolean,
): { checks: Check[]; found: { frame: RecordedFrame; tlvs: Tlv[] }[] } {
  const of = frames.filter((f) => f.message?.type === message)
  const found = of.map((frame) => ({ frame, tlvs: tlvsNamed(frame.message!, name) }))
  const missing = found.filter((x) => x.tlvs.length === 0)
  const checks: Check[] = []
  if (of.length === 0) {
    const types = [...new Set(frames.map((f) => f.message?.type ?? 'undecodable'))].join(', ') || 'nothing'
    const short = watch.ms < watch.neededMs
    checks.push({
      name: `${message} messages from the DUT`,
      measured: 0,
      limit: '≥ 1',
      source: short ? 'harness observation length' : `${source}; IEEE 1588-2019 7.7.3.1`,
      verdict: short ? 'inconclusive' : 'fail',
      detail: short
        ? `the harness watched the serving DUT for ${watch.ms} ms, less than ${watch.neededMs} ms (${watch.why}): too short to say the DUT sends no ${message}; it sent: ${types}`
        : `no ${message} in ${watch.ms} ms (≥ ${watch.neededMs} ms, ${watch.why}); the DUT sent: ${types}`,
    })
    return { checks, found }
  }
  checks.push({
    name: `${message} without ${name}`,
    measured: missing.length,
    limit: `0 of ${of.length}`,
    source,
    ...(unconfirmed ? { unconfirmed } : {}),
    verdict: missing.length === 0 ? 'pass' : 'fail',
    ...(missing.length ? { detail: `those carried: ${describeCarried(missing.map((x) => x.frame.message!))}` } : {}),
  })
  return { checks, found }
}
