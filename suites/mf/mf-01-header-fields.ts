/**
 * MF-01 — header fields of everything the DUT sends: versionPTP, the edition it speaks
 * (minorVersionPTP, controlField convention) against what the profile accepts, and every
 * finding the codec raised, each sorted by what the standard says of it: a broken "shall"
 * (reserved bits or fields not zero, a flag set on a message type it does not apply to,
 * messageLength not matching the message, correctionField not zero where it carries
 * nothing) fails; what is advisory, or judged by another test, is reported only.
 */
import type { Finding } from '../../harness/codec/types.ts'
import { type Check, frameRef, dutFrames, exactCheck, type RecordedFrame, passiveOnDutMaster } from '../kit.ts'

const LEGACY_CONTROL: Record<string, number> = { Sync: 0, Delay_Req: 1, Follow_Up: 2, Delay_Resp: 3, Management: 4 }

/** What a codec finding means for this test. */
type Rule =
  /** A "shall" of the standard: the DUT fails. */
  | { kind: 'shall'; group: ShallGroup; source: string }
  /** Not a requirement on the sender, or a requirement another test owns: reported. */
  | { kind: 'reported'; why: string }

type ShallGroup = 'reserved' | 'flags' | 'length' | 'transport' | 'structure'

const GROUPS: Record<ShallGroup, { name: string; source: string }> = {
  reserved: { name: 'reserved bits and fields not zero', source: 'IEEE 1588-2019 13.3.2.8 (Table 37: reserved flags FALSE), 13.3.2.10, 13.5–13.12 (reserved octets transmitted as 0)' },
  flags: { name: 'flags set on a message type they do not apply to', source: 'IEEE 1588-2019 13.3.2.8, Table 37 (a flag not defined for the messageType shall be FALSE)' },
  length: { name: 'messageLength or TLV lengthField not matching the octets', source: 'IEEE 1588-2019 13.3.2.5 (messageLength), 14.1.2 (lengthField)' },
  transport: { name: 'IP/UDP framing errors (length, checksum)', source: 'IEEE 1588-2019 Annex C, E; RFC 768, RFC 8200 8.1' },
  structure: { name: 'other malformed fields (timestamps, TLVs, Management, Signaling)', source: 'IEEE 1588-2019 5.3.3, 13.12, 14.1, 15.4, 15.5' },
}

/**
 * The per-kind decision, keyed on the finding's field (and text where one field carries
 * several kinds). Everything the codec marks that is not listed as reported is a "shall".
 */
export function ruleOf(f: Finding, transport: string): Rule {
  const field = f.field
  if (field === 'minorVersionPTP') return { kind: 'reported', why: 'a newer edition than 1588-2019 is reported by the edition check' }
  if (field === 'controlField') return { kind: 'reported', why: 'judged by the controlField convention check' }
  if (field === 'logMessageInterval') return { kind: 'reported', why: 'judged by MF-07' }
  if (/^(eth\.dst|ipv4\.dst|ipv6\.dst|ipv4\.ttl|udp\.dstPort)$/.test(field)) return { kind: 'reported', why: 'addressing is judged by MF-05' }
  if (field === 'messageLength' && f.severity === 'warning') {
    // linuxptp (and 1588-2008 Annex E practice) appends 2 octets to IPv6 payloads for checksum correction.
    const trailing = Number(/^(\d+) octet/.exec(f.message)?.[1])
    if (transport === 'udp6' && trailing === 2) return { kind: 'reported', why: '2 octets after the message on UDP/IPv6 are the checksum-correction suffix' }
    return { kind: 'shall', group: 'length', source: GROUPS.length.source }
  }
  if (field === 'flagField' && /where it does not apply/.test(f.message)) return { kind: 'shall', group: 'flags', source: f.clause }
  if (field === 'flagField' || field === 'messageTypeSpecific' || /reserved/i.test(field) || /reserved/i.test(f.message)) return { kind: 'shall', group: 'reserved', source: f.clause }
  if (field === 'messageLength' || /lengthField/.test(field)) return { kind: 'shall', group: 'length', source: f.clause }
  if (/^(ipv4|ipv6|udp)\./.test(field)) return { kind: 'shall', group: 'transport', source: f.clause }
  return { kind: 'shall', group: 'structure', source: f.clause }
}

interface Located extends Finding {
  frame: string
  type: string
}

const example = (l: Located[]) => (l[0] ? `${l.length} finding(s), e.g. ${l[0].type} ${l[0].frame}: ${l[0].field} at octet ${l[0].offset}: ${l[0].message} (${l[0].clause})` : undefined)

export default passiveOnDutMaster({
  id: 'MF-01',
  title: 'Header fields: version, lengths, reserved fields, flags, correctionField',
  area: 'MF',
  clause: 'IEEE 1588-2019 13.3.2, 13.3.2.8 (flagField), 13.3.2.9 (correctionField), 13.3.2.13 (controlField)',
  mapsTo: ['Wireshark PTP expert info'],
  tags: ['passive', 'format', 'fast'],
  severity: 'critical',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every message the DUT sends decodes, has versionPTP 2, an accepted edition and controlField convention, zero reserved fields, only the flags its type defines, a messageLength matching its octets and correctionField 0 in Announce/Signaling/Management',
    fail: 'any message breaks one of those "shall"s; advisory codec findings are reported without failing',
  },
  judgeObserved(ev, profile) {
    const v = profile.version
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber)
    const decoded = frames.filter((f): f is RecordedFrame & { message: NonNullable<RecordedFrame['message']> } => !!f.message)
    const checks: Check[] = []
    const undecodable = frames.find((f) => !f.message)
    checks.push(exactCheck('undecodable frames from the DUT', frames.length - decoded.length, 0, 'IEEE 1588-2019 13.3', undecodable ? { detail: `${frameRef(undecodable)}: ${undecodable.decodeError}` } : {}))

    const badVersion = decoded.filter((f) => f.message.header.versionPTP !== v.versionPTP.value)
    checks.push(exactCheck(`messages with versionPTP ≠ ${v.versionPTP.value}`, badVersion.length, 0, v.versionPTP.source, badVersion[0] ? { detail: `e.g. ${badVersion[0].message.type} ${frameRef(badVersion[0])} has versionPTP ${badVersion[0].message.header.versionPTP}` } : {}))

    const minors = [...new Set(decoded.map((f) => f.message.header.minorVersionPTP))]
    const edition = minors.map((m) => (m === 0 ? '1588-2008 (minorVersionPTP 0)' : m === 1 ? '1588-2019 (minorVersionPTP 1)' : `minorVersionPTP ${m}`)).join(', ')
    checks.push({ name: 'edition spoken (minorVersionPTP)', measured: edition, limit: `one of ${v.minorVersionsAccepted.join(', ')}`, source: v.source, verdict: minors.every((m) => v.minorVersionsAccepted.includes(m)) ? 'pass' : 'fail' })

    const legacy = decoded.every((f) => f.message.header.controlField === (LEGACY_CONTROL[f.message.type] ?? 5))
    const zero = decoded.every((f) => f.message.header.controlField === 0)
    const convention = legacy ? 'legacy' : zero ? 'zero' : 'mixed'
    const offConvention = decoded.find((f) => f.message.header.controlField !== 0 && f.message.header.controlField !== (LEGACY_CONTROL[f.message.type] ?? 5))
    checks.push({
      name: 'controlField convention',
      measured: convention,
      limit: `one of ${v.controlFieldAccepted.join(', ')}`,
      source: 'IEEE 1588-2019 13.3.2.13; 1588-2008 Table 23',
      verdict: convention !== 'mixed' && v.controlFieldAccepted.includes(convention) ? 'pass' : 'fail',
      ...(convention === 'mixed' && offConvention ? { detail: `e.g. ${offConvention.message.type} ${frameRef(offConvention)} has controlField ${offConvention.message.header.controlField}` } : {}),
    })

    // correctionField carries residence and asymmetry corrections of event messages only.
    const mustBeZero = decoded.filter((f) => ['Announce', 'Signaling', 'Management'].includes(f.message.type) && f.message.header.correctionField !== 0n)
    checks.push(exactCheck('Announce/Signaling/Management with correctionField ≠ 0', mustBeZero.length, 0, 'IEEE 1588-2019 13.3.2.9', mustBeZero[0] ? { detail: `e.g. ${mustBeZero[0].message.type} ${frameRef(mustBeZero[0])} carries correctionField ${mustBeZero[0].message.header.correctionField}` } : {}))

    const all: Located[] = decoded.flatMap((f) => f.findings.map((x) => ({ ...x, frame: frameRef(f), type: f.message.type })))
    const byGroup = new Map<ShallGroup, Located[]>()
    const reported: (Located & { why: string })[] = []
    for (const x of all) {
      const r = ruleOf(x, ev.session.transport)
      if (r.kind === 'shall') byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), x])
      else reported.push({ ...x, why: r.why })
    }
    for (const [group, g] of Object.entries(GROUPS) as [ShallGroup, (typeof GROUPS)[ShallGroup]][]) {
      const list = byGroup.get(group) ?? []
      checks.push(exactCheck(g.name, list.length, 0, g.source, list.length ? { detail: example(list) } : {}))
    }
    return {
      checks,
      measurements: {
        framesFromDut: frames.length,
        byType: Object.fromEntries([...new Set(decoded.map((f) => f.message.type))].map((t) => [t, decoded.filter((f) => f.message.type === t).length])),
        editionSeen: edition,
        controlFieldConvention: convention,
        failingFindings: [...byGroup.values()].flat().slice(0, 50),
        reportedFindings: reported.slice(0, 50),
      },
    }
  },
})
