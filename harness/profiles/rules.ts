/**
 * Cross-field rules: what a JSON Schema cannot say about one profile. They run
 * on a resolved profile that already passed the schema, and each finding points
 * at the field to change.
 */
import { PTP4L_311_KEYS, LAB_OWNED_KEYS, PTP4L_TRANSPORT, PTP4L_VALUE_KEYS, normaliseMac, ptp4lNumber } from './ptp4l_keys.ts'
import { getPath, parseDisplayPath, type Segment } from './paths.ts'
import { closest } from './suggest.ts'
import { TLV_CATALOGUE } from './tlv_catalogue.ts'
import { diagnosticAt, type Located } from './yaml_source.ts'
import type { MessageName, Profile, ProfileDiagnostic, TlvRules, ValueSpec } from './types.ts'

type Report = (segs: Segment[], message: string, prefer?: 'key' | 'value') => void

const fmtRange = (r: [number, number]): string => `[${r[0]}, ${r[1]}]`
const inRange = (v: number, r: [number, number]): boolean => v >= r[0] && v <= r[1]

export function checkRules(p: Profile, positions: Map<string, Located>): ProfileDiagnostic[] {
  const out: ProfileDiagnostic[] = []
  const report: Report = (segs, message, prefer = 'value') => out.push(diagnosticAt(positions, segs, message, prefer))

  identity(p, report)
  valueSpecs(p, report)
  transport(p, report)
  version(p, report)
  delayAndMessages(p, report)
  tlvs(p, report)
  clockAndBmca(p, report)
  tolerances(p, report)
  suites(p, report)
  lab(p, report)
  editionDifferences(p, report)
  return out.sort((a, b) => a.line - b.line || a.col - b.col)
}

function identity(p: Profile, report: Report): void {
  if (p.profileIdentifier.value === null && !p.profileIdentifier.unconfirmed) {
    report(['profileIdentifier', 'value'], 'is null (unknown) but not marked unconfirmed: true')
  }
}

/** Every ValueSpec in the profile, with its path. */
function specsOf(p: Profile): Array<[Segment[], ValueSpec]> {
  const specs: Array<[Segment[], ValueSpec | undefined]> = [
    [['domain'], p.domain],
    [['intervals', 'announce'], p.intervals.announce],
    [['intervals', 'sync'], p.intervals.sync],
    [['intervals', 'delayReq'], p.intervals.delayReq],
    [['intervals', 'pdelayReq'], p.intervals.pdelayReq],
    [['timeouts', 'announceReceiptTimeout'], p.timeouts.announceReceiptTimeout],
    [['timeouts', 'syncReceiptTimeout'], p.timeouts.syncReceiptTimeout],
    [['priorities', 'priority1'], p.priorities.priority1],
    [['priorities', 'priority2'], p.priorities.priority2],
    [['priorities', 'localPriority'], p.priorities.localPriority],
  ]
  return specs.filter((s): s is [Segment[], ValueSpec] => s[1] !== undefined)
}

function valueSpecs(p: Profile, report: Report): void {
  for (const [segs, spec] of specsOf(p)) {
    const r = spec.range.value
    if (r[0] > r[1]) report([...segs, 'range', 'value'], `range ${fmtRange(r)} is empty: min > max`)
    const d = spec.default.value
    if (!inRange(d, r)) {
      report([...segs, 'default', 'value'], `default ${d} is outside its allowed range ${fmtRange(r)}`)
    }
    if (spec.fixed && (r[0] !== d || r[1] !== d)) {
      report([...segs, 'fixed'], `is true, so ${segs.join('.')}.range must be [${d}, ${d}] (got ${fmtRange(r)})`)
    }
    if (spec.allowed) {
      spec.allowed.value.forEach((v, i) => {
        if (!inRange(v, r)) report([...segs, 'allowed', 'value', i], `allowed value ${v} is outside the range ${fmtRange(r)}`)
      })
      if (!spec.allowed.value.includes(d)) {
        report([...segs, 'default', 'value'], `default ${d} is not one of the allowed values ${spec.allowed.value.join(', ')}`)
      }
    }
  }
}

function transport(p: Profile, report: Report): void {
  const t = p.transport
  if (!t.allowed.includes(t.default)) {
    report(['transport', 'default'], `default transport '${t.default}' is not in transport.allowed (${t.allowed.join(', ')})`)
  }
  const mappings = { l2: t.l2, udp4: t.udp4, udp6: t.udp6 } as const
  for (const name of ['l2', 'udp4', 'udp6'] as const) {
    const m = mappings[name]
    if (t.allowed.includes(name) && !m) report(['transport', 'allowed'], `allows ${name} but transport.${name} is missing`)
    if (!t.allowed.includes(name) && m) {
      report(['transport', name], `is given but ${name} is not in transport.allowed (delete it with null when inheriting)`, 'key')
    }
  }
  if (t.multicast === 'forbidden' && t.unicast === 'forbidden') {
    report(['transport', 'unicast'], 'multicast and unicast are both forbidden: no message could be sent')
  }
  if (t.unicastNegotiation !== 'forbidden' && t.unicast === 'forbidden') {
    report(['transport', 'unicastNegotiation'], `is ${t.unicastNegotiation} but transport.unicast is forbidden`)
  }
  // A requester asks for a duration and a grantor keeps to a range: both are the profile's.
  if (t.unicastNegotiation === 'required' && !t.grantDuration) {
    report(['transport'], 'unicastNegotiation is required: give transport.grantDuration (default and range, cited)', 'key')
  }
  const multicast = t.multicast !== 'forbidden'
  const p2p = p.delayMechanism.allowed.includes('P2P')
  if (multicast) {
    for (const name of ['udp4', 'udp6'] as const) {
      const m = mappings[name]
      if (m && !m.primary) report(['transport', name], 'multicast is used but no primary multicast address is given', 'key')
      if (m && p2p && !m.pdelay) report(['transport', name], 'P2P is allowed but no peer-delay multicast address is given', 'key')
    }
    if (t.l2 && p2p && !t.l2.pdelayMac) report(['transport', 'l2'], 'P2P is allowed but l2.pdelayMac is missing', 'key')
  }
  if (t.udp4?.pdelayTtl && t.udp4.pdelayTtl.value !== 1) {
    report(['transport', 'udp4', 'pdelayTtl', 'value'], `must be 1: 224.0.0.107 is link-local (got ${t.udp4.pdelayTtl.value})`)
  }
  const v = t.vlan
  if (v.rule === 'forbidden' && (v.priority || v.vid)) {
    report(['transport', 'vlan', v.priority ? 'priority' : 'vid'], 'is given but VLAN tagging is forbidden', 'key')
  }
  if (v.rule === 'required' && !v.priority) report(['transport', 'vlan'], 'tagging is required but no priority is given', 'key')
  if (t.l2?.acceptedMacs && !t.l2.acceptedMacs.value.includes(t.l2.primaryMac.value)) {
    report(['transport', 'l2', 'acceptedMacs', 'value'], `must include primaryMac ${t.l2.primaryMac.value}`)
  }
}

function version(p: Profile, report: Report): void {
  const v = p.version
  if (!v.minorVersionsAccepted.includes(v.minorVersionPTP.value)) {
    report(['version', 'minorVersionsAccepted'], `must include the profile's own minorVersionPTP ${v.minorVersionPTP.value}`)
  }
  // IEEE 1588-2008 sends minorVersionPTP 0 and legacy controlField codes; 2019 sends 1 and 0.
  const pairs: Array<['2008' | '2019', number]> = [
    ['2008', 0],
    ['2019', 1],
  ]
  for (const [edition, minor] of pairs) {
    const ed = v.editionsAccepted.includes(edition)
    const mi = v.minorVersionsAccepted.includes(minor)
    if (ed !== mi) {
      report(
        ['version', ed ? 'minorVersionsAccepted' : 'editionsAccepted'],
        ed
          ? `accepts edition ${edition} but not its minorVersionPTP ${minor}`
          : `accepts minorVersionPTP ${minor} but not edition ${edition}`,
      )
    }
  }
  if (v.editionsAccepted.includes('2008') && !v.controlFieldAccepted.includes('legacy')) {
    report(['version', 'controlFieldAccepted'], "accepts edition 2008 but not its legacy controlField codes ('legacy')")
  }
}

function delayAndMessages(p: Profile, report: Report): void {
  const d = p.delayMechanism
  if (!d.allowed.includes(d.default)) {
    report(['delayMechanism', 'default'], `default '${d.default}' is not in delayMechanism.allowed (${d.allowed.join(', ')})`)
  }
  const e2e = d.allowed.includes('E2E')
  const p2p = d.allowed.includes('P2P')
  if (p2p && !p.intervals.pdelayReq) {
    report(['intervals'], 'P2P is an allowed delay mechanism but intervals.pdelayReq is missing', 'key')
  }
  if (e2e && !p.intervals.delayReq) report(['intervals'], 'E2E is an allowed delay mechanism but intervals.delayReq is missing', 'key')
  if (!p2p && p.intervals.pdelayReq) report(['intervals', 'pdelayReq'], 'is given but P2P is not an allowed delay mechanism', 'key')
  if (!e2e && p.intervals.delayReq) report(['intervals', 'delayReq'], 'is given but E2E is not an allowed delay mechanism', 'key')
  if (p.peerDelay && !p2p) report(['peerDelay'], 'is given but P2P is not an allowed delay mechanism', 'key')

  const s = p.steps
  if (s.oneStep === 'forbidden' && s.twoStep === 'forbidden') report(['steps', 'twoStep'], 'one-step and two-step are both forbidden')
  if (s.oneStep === 'required' && s.twoStep === 'required') report(['steps', 'twoStep'], 'one-step and two-step cannot both be required')

  const seen = new Map<MessageName, number>()
  p.unusedMessages.forEach((u, i) => {
    const at: Segment[] = ['unusedMessages', i, 'message']
    if (seen.has(u.message)) report(at, `${u.message} is listed twice (first at unusedMessages[${seen.get(u.message)}])`)
    seen.set(u.message, i)
    if (e2e && (u.message === 'Delay_Req' || u.message === 'Delay_Resp')) {
      report(at, `${u.message} cannot be unused: E2E is an allowed delay mechanism`)
    }
    if (p2p && u.message.startsWith('Pdelay_')) report(at, `${u.message} cannot be unused: P2P is an allowed delay mechanism`)
    if (u.message === 'Sync' || u.message === 'Announce') report(at, `${u.message} cannot be unused: every profile synchronises with it`)
    if (u.message === 'Follow_Up' && s.twoStep !== 'forbidden') report(at, 'Follow_Up cannot be unused while two-step is not forbidden')
  })
}

function tlvs(p: Profile, report: Report): void {
  const unused = new Set(p.unusedMessages.map((u) => u.message))
  for (const [message, rules] of Object.entries(p.tlvs) as Array<[MessageName, TlvRules | undefined]>) {
    if (!rules) continue
    const where = new Map<string, string>()
    for (const list of ['required', 'allowed', 'forbidden'] as const) {
      ;(rules[list] ?? []).forEach((ref, i) => {
        const at: Segment[] = ['tlvs', message, list, i, 'tlv']
        const facts = TLV_CATALOGUE[ref.tlv]
        const prev = where.get(ref.tlv)
        if (prev) report(at, `${ref.tlv} is listed twice for ${message} (also in ${prev})`)
        where.set(ref.tlv, `${list}[${i}]`)
        if (list === 'forbidden') return
        if (!facts.carriers.includes(message)) {
          report(at, `${ref.tlv} cannot be carried in ${message} (it belongs in ${facts.carriers.join(', ')})`)
        }
        if (list === 'required' && unused.has(message)) {
          report(at, `${ref.tlv} is required in ${message}, but ${message} is listed in unusedMessages`)
        }
        if (facts.transports && !p.transport.allowed.some((t) => facts.transports!.includes(t))) {
          report(
            at,
            `${ref.tlv} is ${list} but defined only for ${facts.transports.join(', ')}, which transport.allowed (${p.transport.allowed.join(', ')}) does not include`,
          )
        }
        if (facts.needsUnicast && p.transport.unicast === 'forbidden') {
          report(at, `${ref.tlv} is ${list} but is sent only in unicast operation, which transport.unicast forbids`)
        }
        if (ref.lengthField) {
          const lf: Segment[] = ['tlvs', message, list, i, 'lengthField']
          if (!facts.lengthFieldVariants) report(lf, `${ref.tlv} has no lengthField variants to choose from`, 'key')
          else {
            ref.lengthField.accept.value.forEach((n, j) => {
              if (!facts.lengthFieldVariants!.includes(n)) {
                report([...lf, 'accept', 'value', j], `${n} is not a lengthField convention of ${ref.tlv} (${facts.lengthFieldVariants!.join(' or ')})`)
              }
            })
          }
          if (!ref.lengthField.accept.value.includes(ref.lengthField.send.value)) {
            report([...lf, 'send', 'value'], `sends lengthField ${ref.lengthField.send.value}, which its own accept list does not include`)
          }
        }
      })
    }
  }
  if (p.bmca.ignoreAnnounceWithoutRequiredTlvs && !(p.tlvs.Announce?.required?.length)) {
    report(['bmca', 'ignoreAnnounceWithoutRequiredTlvs'], 'is true but tlvs.Announce.required is empty')
  }
}

function clockAndBmca(p: Profile, report: Report): void {
  const cc = p.clockClass
  const inRanges = (v: number): boolean => (cc.allowedRanges?.value ?? []).some((r) => inRange(v, r))
  if (!cc.allowed.value.includes(cc.default.value) && !inRanges(cc.default.value)) {
    report(['clockClass', 'default', 'value'], `default clockClass ${cc.default.value} is not among the allowed values`)
  }
  cc.allowedRanges?.value.forEach((r, i) => {
    if (r[0] > r[1]) report(['clockClass', 'allowedRanges', 'value', i], `range ${fmtRange(r)} is empty: min > max`)
  })
  const b = p.bmca
  if (b.variant === 'g8275x') {
    if (!p.priorities.localPriority) report(['priorities'], 'the G.8275.x BMCA needs priorities.localPriority', 'key')
    if (b.priority1Compared) report(['bmca', 'priority1Compared'], 'the G.8275.x BMCA does not compare priority1')
  } else if (!b.priority1Compared) {
    report(['bmca', 'priority1Compared'], `the ${b.variant} BMCA compares priority1`)
  }
  if (b.maxStepsRemoved.value < 1) report(['bmca', 'maxStepsRemoved', 'value'], 'must be at least 1')
}

function tolerances(p: Profile, report: Report): void {
  const s = p.tolerances.delayReqSpacing
  if (p.delayMechanism.allowed.includes('E2E') && !s) {
    report(['tolerances'], 'E2E is allowed but tolerances.delayReqSpacing is missing', 'key')
  }
  if (!s) return
  if (s.rule === 'pct-of-nominal' && !s.pct) report(['tolerances', 'delayReqSpacing'], "rule 'pct-of-nominal' needs pct", 'key')
  if (s.rule === 'uniform-0-2x' && (s.pct || s.fractionWithin)) {
    report(['tolerances', 'delayReqSpacing', s.pct ? 'pct' : 'fractionWithin'], "is not used by rule 'uniform-0-2x'", 'key')
  }
  if (!p.delayMechanism.allowed.includes('E2E')) {
    report(['tolerances', 'delayReqSpacing'], 'is given but E2E is not an allowed delay mechanism', 'key')
  }
}

/** Does a test ID or glob match another ID or glob? Globs use `*` for any run of characters. */
export function testIdMatches(pattern: string, id: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
  return re.test(id)
}

/** Case-insensitive, as test selection (--tests, suites.apply) compares IDs. */
function idMatches(pattern: string, id: string): boolean {
  return testIdMatches(pattern.toUpperCase(), id.toUpperCase())
}

function suites(p: Profile, report: Report): void {
  for (const id of Object.keys(p.suites.overrides ?? {})) {
    if (id.includes('*')) {
      report(['suites', 'overrides', id], `'${id}' is a glob; an override names one test ID`, 'key')
      continue
    }
    if (!p.suites.apply.some((pat) => idMatches(pat, id))) {
      report(['suites', 'overrides', id], `overrides test ${id}, which suites.apply does not select`, 'key')
    }
    if ((p.suites.skip ?? []).some((pat) => idMatches(pat, id))) {
      report(['suites', 'overrides', id], `overrides test ${id}, which suites.skip removes`, 'key')
    }
  }
}

/** A test as the override check knows it: its ID and the parameters it reads (its defaults object). */
export interface KnownTest {
  id: string
  params?: Readonly<Record<string, unknown>>
}

/** Keys every override may carry besides parameters: the citation of its values. */
const OVERRIDE_CITATION_KEYS = new Set(['source', 'unconfirmed', 'note'])

/**
 * suites.overrides against the tests that exist: an entry naming no test, or a parameter
 * the named test does not read (its `params` defaults), would silently do nothing.
 */
export function checkOverrides(p: Profile, positions: Map<string, Located>, tests: readonly KnownTest[]): ProfileDiagnostic[] {
  const out: ProfileDiagnostic[] = []
  const ids = tests.map((t) => t.id)
  for (const [key, entry] of Object.entries(p.suites.overrides ?? {})) {
    const test = tests.find((t) => idMatches(key, t.id))
    if (!test) {
      const hint = closest(key.toUpperCase(), ids)
      out.push(diagnosticAt(positions, ['suites', 'overrides', key], `names no test: there is no test ${key}${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key'))
      continue
    }
    const reads = Object.keys(test.params ?? {})
    for (const param of Object.keys(entry ?? {})) {
      if (OVERRIDE_CITATION_KEYS.has(param) || reads.includes(param)) continue
      const hint = closest(param, reads)
      const what = reads.length ? `it reads ${reads.join(', ')}` : 'it reads no parameters'
      out.push(diagnosticAt(positions, ['suites', 'overrides', key, param], `'${param}' is not a parameter of ${test.id} (${what})${hint ? `; did you mean '${hint}'?` : ''}`, 'key'))
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col)
}

function lab(p: Profile, report: Report): void {
  const l = p.lab
  const outside = new Set((l.outsideProfile ?? []).map((o) => o.key))
  const outsideMsg = (key: string, what: string): string =>
    `${what}; use a value inside the profile or list '${key}' in lab.outsideProfile with a reason`
  for (const [key, raw] of Object.entries(l.ptp4l)) {
    const at: Segment[] = ['lab', 'ptp4l', key]
    if (LAB_OWNED_KEYS.has(key)) {
      report(at, `'${key}' is set by the lab itself for every DUT; remove it from the profile`, 'key')
      continue
    }
    if (!PTP4L_311_KEYS.has(key)) {
      const hint = closest(key, [...PTP4L_311_KEYS])
      report(at, `'${key}' is not a ptp4l 3.1.1 configuration option${hint ? ` (did you mean '${hint}'?)` : ''}`, 'key')
      continue
    }
    if (outside.has(key)) continue
    const n = ptp4lNumber(raw)
    const specPath = PTP4L_VALUE_KEYS[key]
    if (specPath) {
      const spec = getPath(p, specPath) as ValueSpec | undefined
      if (n === undefined) report(at, `must be a number (got ${JSON.stringify(raw)})`)
      else if (!spec) report(at, `sets ${key} but the profile has no ${specPath.join('.')}`, 'key')
      else if (!inRange(n, spec.range.value)) {
        report(at, outsideMsg(key, `${n} is outside ${specPath.join('.')}.range ${fmtRange(spec.range.value)}`))
      }
      continue
    }
    switch (key) {
      case 'network_transport': {
        const t = PTP4L_TRANSPORT[String(raw)]
        if (!t) report(at, `must be L2, UDPv4 or UDPv6 (got ${JSON.stringify(raw)})`)
        else if (!p.transport.allowed.includes(t)) report(at, outsideMsg(key, `${raw} is not an allowed transport`))
        break
      }
      case 'delay_mechanism':
        if (raw !== 'E2E' && raw !== 'P2P') report(at, `must be E2E or P2P for a profile DUT (got ${JSON.stringify(raw)})`)
        else if (!p.delayMechanism.allowed.includes(raw)) report(at, outsideMsg(key, `${raw} is not an allowed delay mechanism`))
        break
      case 'transportSpecific':
        if (n !== p.sdo.majorSdoId.value) report(at, outsideMsg(key, `${raw} differs from sdo.majorSdoId ${p.sdo.majorSdoId.value}`))
        break
      case 'clockClass': {
        const inR = (p.clockClass.allowedRanges?.value ?? []).some((r) => n !== undefined && inRange(n, r))
        if (n === undefined || (!p.clockClass.allowed.value.includes(n) && !inR)) {
          report(at, outsideMsg(key, `${raw} is not an allowed clockClass`))
        }
        break
      }
      case 'twoStepFlag':
        if (n === 1 && p.steps.twoStep === 'forbidden') report(at, outsideMsg(key, 'two-step is forbidden by the profile'))
        if (n === 0 && p.steps.oneStep === 'forbidden') report(at, outsideMsg(key, 'one-step is forbidden by the profile'))
        break
      case 'dataset_comparison': {
        const want = p.bmca.variant === 'g8275x' ? 'G.8275.x' : 'ieee1588'
        if (raw !== want) report(at, outsideMsg(key, `${raw} does not match bmca.variant ${p.bmca.variant} (ptp4l: ${want})`))
        break
      }
      case 'ptp_dst_mac':
        if (!p.transport.l2 || normaliseMac(String(raw)) !== p.transport.l2.primaryMac.value) {
          report(at, outsideMsg(key, `${raw} differs from transport.l2.primaryMac`))
        }
        break
      case 'p2p_dst_mac':
        if (!p.transport.l2?.pdelayMac || normaliseMac(String(raw)) !== p.transport.l2.pdelayMac.value) {
          report(at, outsideMsg(key, `${raw} differs from transport.l2.pdelayMac`))
        }
        break
      case 'neighborPropDelayThresh': {
        const th = p.peerDelay?.neighborPropDelayThreshNs?.value
        if (th !== undefined && n !== th) report(at, outsideMsg(key, `${raw} differs from peerDelay.neighborPropDelayThreshNs ${th}`))
        break
      }
      case 'maxStepsRemoved':
        if (n !== p.bmca.maxStepsRemoved.value) report(at, outsideMsg(key, `${raw} differs from bmca.maxStepsRemoved ${p.bmca.maxStepsRemoved.value}`))
        break
    }
  }
  ;(l.outsideProfile ?? []).forEach((o, i) => {
    if (!(o.key in l.ptp4l)) report(['lab', 'outsideProfile', i, 'key'], `names '${o.key}', which lab.ptp4l does not set`)
    const isInterval = ['logAnnounceInterval', 'logSyncInterval', 'logMinDelayReqInterval', 'logMinPdelayReqInterval'].includes(o.key)
    if (isInterval && l.judgeIntervalsAgainst !== 'advertised') {
      report(
        ['lab', 'outsideProfile', i, 'key'],
        `lists the interval key '${o.key}', so lab.judgeIntervalsAgainst must be 'advertised' (got '${l.judgeIntervalsAgainst}')`,
      )
    }
  })
  if (p.transport.unicast === 'required' && !l.needsUnicastMasterTable && p.transport.unicastNegotiation === 'required') {
    report(['lab'], 'the profile is unicast-only with negotiation: set lab.needsUnicastMasterTable: true', 'key')
  }
}

function editionDifferences(p: Profile, report: Report): void {
  ;(p.editionDifferences ?? []).forEach((d, i) => {
    const segs = parseDisplayPath(d.path)
    if (!segs || segs.length === 0 || getPath(p, segs) === undefined) {
      report(['editionDifferences', i, 'path'], `'${d.path}' does not name a field of this profile`)
    }
  })
}
