/**
 * TLV-PWR-02 — a power-profile grandmaster's Announce carries the
 * ALTERNATE_TIME_OFFSET_INDICATOR TLV (1588-2019 16.3) with sane contents that match the
 * DUT's local-time configuration. C37.238-2011 makes the TLV mandatory (5.12.2: required
 * in the profile); C37.238-2017 makes local time optional (allowed in the profile), so
 * there the test applies only when the DUT is configured with local time.
 *
 * The local-time configuration is what the DUT was told, never what it advertises: the
 * `--dut-option`s atoi.keyField, atoi.currentOffset, atoi.jumpSeconds, atoi.timeOfNextJump
 * and atoi.displayName (or the same keys in a DUT file), read in acquire.
 */
import type { AlternateTimeOffsetIndicatorTlv, AnnounceMessage } from '../../harness/codec/types.ts'
import type { DutOptions } from '../../harness/dut/types.ts'
import { type Check, conformance, dutFrames, exactCheck, type Observation, observationFault, observeDutMaster } from '../kit.ts'
import { allowedTlv, presenceChecks, requiredTlv, watchOf } from '../support/tlv.ts'

const NAME = 'ALTERNATE_TIME_OFFSET_INDICATOR'
/** Civil UTC offsets span −12 h … +14 h (IANA tz database: Etc/GMT+12 … Pacific/Kiritimati). */
const CIVIL: [number, number] = [-12 * 3600, 14 * 3600]
const CIVIL_SOURCE = 'IEEE 1588-2019 16.3.3.3–16.3.3.4 (offset of the alternate timescale); civil offsets −12 h … +14 h (IANA tz)'

/** The local time the DUT is configured with; absent fields are not configured. */
export interface LocalTime {
  keyField?: number
  currentOffset?: number
  jumpSeconds?: number
  /** PTP seconds. */
  timeOfNextJump?: string
  displayName?: string
  origin: string
}

export const ATOI_OPTIONS = ['keyField', 'currentOffset', 'jumpSeconds', 'timeOfNextJump', 'displayName'] as const

/** Local time from DUT options (atoi.*): null when none is configured. */
export function localTimeFrom(options: DutOptions, origin: string): LocalTime | null {
  const get = (k: (typeof ATOI_OPTIONS)[number]) => options[`atoi.${k}`]
  if (!ATOI_OPTIONS.some((k) => get(k) !== undefined)) return null
  const num = (k: (typeof ATOI_OPTIONS)[number]) => (get(k) === undefined ? {} : { [k]: Number(get(k)) })
  return {
    ...num('keyField'),
    ...num('currentOffset'),
    ...num('jumpSeconds'),
    ...(get('timeOfNextJump') !== undefined ? { timeOfNextJump: String(get('timeOfNextJump')) } : {}),
    ...(get('displayName') !== undefined ? { displayName: String(get('displayName')) } : {}),
    origin,
  }
}

export default conformance<{ observation: Observation; localTime: LocalTime | null }>({
  id: 'TLV-PWR-02',
  title: 'ALTERNATE_TIME_OFFSET_INDICATOR TLV in the Announce',
  area: 'TLV',
  clause: 'IEEE C37.238-2011 5.12.2; IEEE C37.238-2017; IEEE 1588-2019 16.3',
  mapsTo: ['UNH PWR.c.3.x', 'linuxptp-testsuite 33-power'],
  tags: ['passive', 'tlv', 'power', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Announce carries ATOI with an even length, a civil offset, valid UTF-8 displayName and the configured keyField/offset/jump/name',
    fail: 'an Announce lacks ATOI where the profile (2011) or the DUT\'s local-time configuration (2017) requires it, or its contents are malformed or differ from the configuration',
  },
  appliesTo: (p) => (requiredTlv(p, 'Announce', NAME) || allowedTlv(p, 'Announce', NAME) ? true : `profile ${p.id} neither requires nor allows the ATOI TLV`),
  async acquire(ctx) {
    const localTime = localTimeFrom(ctx.session.dutOptions, ctx.session.mode === 'lab' ? 'dut option' : 'dut option / DUT file')
    return { observation: await observeDutMaster(ctx), localTime }
  },
  judge(ev, profile) {
    const required = requiredTlv(profile, 'Announce', NAME)
    const ref = required ?? allowedTlv(profile, 'Announce', NAME)
    const local = ev.data.localTime
    if (!required && !local) {
      return {
        checks: [{ name: 'the DUT is configured with local time', measured: 'no', limit: 'local time configured (atoi.* DUT options)', source: ref?.source ?? profile.standard, verdict: 'not-applicable', detail: `${profile.id} makes local time (ATOI) optional and the DUT is not configured with one` }],
        reason: `${profile.id} makes ATOI optional and the DUT is not configured with local time`,
      }
    }
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const source = required ? required.source : `${ref?.source ?? profile.standard}; required because the DUT is configured with local time (${local!.origin})`
    const { checks, found } = presenceChecks(dutFrames(ev.data.observation, ev.session.domainNumber), 'Announce', NAME, source, watchOf(ev, 'Announce'), required?.unconfirmed)
    const tlvs = found.flatMap(({ frame, tlvs }) => (tlvs as AlternateTimeOffsetIndicatorTlv[]).map((t) => ({ m: frame.message as AnnounceMessage, t })))
    if (!tlvs.length) return { checks, measurements: { announces: found.length, tlvs: 0, configured: local } }
    checks.push(...contentChecks(tlvs, local))
    const first = tlvs[0]!.t
    return {
      checks,
      measurements: {
        announces: found.length,
        tlvs: tlvs.length,
        configured: local,
        first: { keyField: first.keyField, currentOffset: first.currentOffset, jumpSeconds: first.jumpSeconds, timeOfNextJump: String(first.timeOfNextJump), displayName: text(first.displayName) ?? '(invalid UTF-8)' },
      },
    }
  },
})

function text(b: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b)
  } catch {
    return undefined
  }
}

function contentChecks(tlvs: { m: AnnounceMessage; t: AlternateTimeOffsetIndicatorTlv }[], local: LocalTime | null): Check[] {
  const count = (name: string, bad: typeof tlvs, limit: string, source: string, show: (t: AlternateTimeOffsetIndicatorTlv) => string): Check => ({
    name,
    measured: bad.length,
    limit: `0 of ${tlvs.length} (${limit})`,
    source,
    verdict: bad.length ? 'fail' : 'pass',
    ...(bad.length ? { detail: `Announce #${bad[0]!.m.header.sequenceId}: ${show(bad[0]!.t)}` } : {}),
  })
  const inCivil = (s: number) => s >= CIVIL[0] && s <= CIVIL[1]
  const checks: Check[] = [
    count('ATOI with an odd lengthField', tlvs.filter(({ t }) => t.lengthField % 2 !== 0), 'even', 'IEEE 1588-2019 14.1.2 (TLV length even), 16.3.2', (t) => `lengthField ${t.lengthField}`),
    count('ATOI currentOffset outside civil UTC offsets', tlvs.filter(({ t }) => !inCivil(t.currentOffset)), `${CIVIL[0]} … ${CIVIL[1]} s`, CIVIL_SOURCE, (t) => `currentOffset ${t.currentOffset} s`),
    count('ATOI offset after the announced jump outside civil UTC offsets', tlvs.filter(({ t }) => !inCivil(t.currentOffset + t.jumpSeconds)), `currentOffset + jumpSeconds in ${CIVIL[0]} … ${CIVIL[1]} s`, `${CIVIL_SOURCE}; 16.3.3.5 (jumpSeconds)`, (t) => `currentOffset ${t.currentOffset} s + jumpSeconds ${t.jumpSeconds} s`),
    count('ATOI displayName not valid UTF-8', tlvs.filter(({ t }) => text(t.displayName) === undefined), 'PTPText is UTF-8', 'IEEE 1588-2019 5.3.9 (PTPText), 16.3.3.7', (t) => `${t.displayName.length} octets`),
  ]
  if (!local) return checks
  // Each configured field, as every Announce carries it.
  const src = `IEEE 1588-2019 16.3.3 (the TLV carries the alternate timescale as configured); configured by ${local.origin}`
  const cmp = (field: string, configured: string | number | undefined, seen: (t: AlternateTimeOffsetIndicatorTlv) => string | number) => {
    if (configured === undefined) return
    const values = tlvs.map(({ t }) => seen(t))
    const off = values.find((v) => v !== configured)
    checks.push(exactCheck(`ATOI ${field} = configured`, off ?? values[0]!, configured, src, off !== undefined ? { detail: `${values.filter((v) => v !== configured).length} of ${values.length} Announces differ` } : {}))
  }
  cmp('keyField', local.keyField, (t) => t.keyField)
  cmp('currentOffset', local.currentOffset, (t) => t.currentOffset)
  cmp('jumpSeconds', local.jumpSeconds, (t) => t.jumpSeconds)
  cmp('timeOfNextJump', local.timeOfNextJump, (t) => String(t.timeOfNextJump))
  cmp('displayName', local.displayName, (t) => text(t.displayName) ?? '(invalid UTF-8)')
  return checks
}
