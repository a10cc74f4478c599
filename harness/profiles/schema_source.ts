/**
 * The profile JSON Schema (2020-12), built here and written to profiles/schema.json
 * by `ptp-conform profiles schema --write`. A unit test keeps the two identical.
 *
 * Two views of one definition:
 *   $defs/profile          a complete profile (a file without `extends:`, or the
 *                          result of resolving one) — every block required;
 *   $defs/partial_profile  a file with `extends:` — every key optional and `null`
 *                          allowed (it deletes the inherited key).
 * The schema's root picks one by the presence of `extends`, so an editor that
 * honours the `yaml-language-server` comment validates both kinds of file.
 *
 * Cited values ({ value, source, unconfirmed?, note? }) are atomic: a child that
 * changes a value must restate its source, so the partial view keeps them whole.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Schema = { [k: string]: Json }

export const SCHEMA_ID = 'urn:ptp-conform:profile-schema'

/** Patterns, with the words an error message uses for them. */
export const PATTERNS = {
  /** A citation must name its source key in brackets, e.g. 'IEEE 1588-2019 I.3 [I19]'. */
  source: '\\[[A-Za-z0-9][A-Za-z0-9 ,./+-]*\\]',
  mac: '^[0-9A-F]{2}(-[0-9A-F]{2}){5}$',
  id: '^[a-z0-9][a-z0-9.-]*$',
  testId: '^[A-Za-z*][A-Za-z0-9.*-]*$',
  accuracyKey: '^[a-z][A-Za-z0-9]*$',
  edition: '^[0-9A-Za-z][0-9A-Za-z .,+/()-]*$',
} as const

export const PATTERN_HINTS: Record<string, string> = {
  [PATTERNS.source]: "a citation naming its source key in brackets, e.g. 'IEEE 1588-2019 I.3 [I19]'",
  [PATTERNS.mac]: 'six upper-case hex octets joined by dashes, e.g. 01-1B-19-00-00-00',
  [PATTERNS.id]: 'a profile id of lower-case letters, digits, dots and dashes',
  [PATTERNS.testId]: "a test ID or glob, e.g. 'INT-01' or 'BMCA-*'",
  [PATTERNS.accuracyKey]: "a camelCase name, e.g. 'maxAbsTimeError'",
  [PATTERNS.edition]: "an edition such as '2019'",
}

export const TRANSPORTS = ['l2', 'udp4', 'udp6'] as const
export const DELAY_MECHANISMS = ['E2E', 'P2P'] as const
export const STEP_RULES = ['allowed', 'required', 'forbidden'] as const
export const USAGE_RULES = ['required', 'optional', 'forbidden'] as const
export const MESSAGES = [
  'Sync',
  'Delay_Req',
  'Pdelay_Req',
  'Pdelay_Resp',
  'Follow_Up',
  'Delay_Resp',
  'Pdelay_Resp_Follow_Up',
  'Announce',
  'Signaling',
  'Management',
] as const
export const TLV_NAMES = [
  'PATH_TRACE',
  'ALTERNATE_TIME_OFFSET_INDICATOR',
  'IEEE_C37_238_2011',
  'IEEE_C37_238_2017',
  'IEEE_802_1AS_FOLLOW_UP_INFO',
  'IEEE_802_1AS_MESSAGE_INTERVAL_REQUEST',
  'IEEE_802_1AS_GPTP_CAPABLE',
  'IEEE_802_1AS_GPTP_CAPABLE_INTERVAL',
  'REQUEST_UNICAST_TRANSMISSION',
  'GRANT_UNICAST_TRANSMISSION',
  'CANCEL_UNICAST_TRANSMISSION',
  'ACKNOWLEDGE_CANCEL_UNICAST_TRANSMISSION',
  'ITU_T_INTERFACE_RATE',
  'L1_SYNC',
  'MANAGEMENT',
  'MANAGEMENT_ERROR_STATUS',
  'SMPTE_SM',
] as const
export const BMCA_VARIANTS = ['default-1588', 'g8275x', '802.1as'] as const
export const EDITIONS_1588 = ['2008', '2019'] as const

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` })
const str = (extra: Schema = {}): Schema => ({ type: 'string', minLength: 1, ...extra })
const int = (minimum: number, maximum: number): Schema => ({ type: 'integer', minimum, maximum })
const num = (minimum: number, maximum?: number): Schema =>
  maximum === undefined ? { type: 'number', minimum } : { type: 'number', minimum, maximum }
const enumOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] })
const uniqueList = (items: Schema, minItems = 1): Schema => ({ type: 'array', items, minItems, uniqueItems: true })
const pair = (item: Schema): Schema => ({ type: 'array', prefixItems: [item, item], items: false, minItems: 2 })

function obj(properties: Record<string, Schema>, required: string[], extra: Schema = {}): Schema {
  return { type: 'object', additionalProperties: false, properties, required, ...extra }
}

/** Citation fields shared by every cited value and every sourced block. */
const citation = { source: ref('source'), unconfirmed: { type: 'boolean' }, note: ref('note') }

function cited(value: Schema, description: string): Schema {
  return obj({ value, ...citation }, ['value', 'source'], { description })
}

function sourced(properties: Record<string, Schema>, required: string[], description: string): Schema {
  return obj({ ...properties, ...citation }, [...required, 'source'], { description })
}

/** A ValueSpec for one integer domain, plus its cited helpers. */
function valueSpecDefs(name: string, value: Schema, label: string): Record<string, Schema> {
  return {
    [`cited_${name}`]: cited(value, `${label}, cited`),
    [`cited_${name}_range`]: cited(pair(value), `inclusive range [min, max] of ${label}, cited`),
    [`cited_${name}_list`]: cited(uniqueList(value), `list of ${label} values, cited`),
    [`${name}_spec`]: obj(
      {
        default: ref(`cited_${name}`),
        range: ref(`cited_${name}_range`),
        fixed: { type: 'boolean' },
        allowed: ref(`cited_${name}_list`),
      },
      ['default', 'range'],
      { description: `default and permitted range of ${label}` },
    ),
  }
}

function definitions(): Record<string, Schema> {
  const macValue = str({ pattern: PATTERNS.mac })
  return {
    source: str({ pattern: PATTERNS.source, description: 'clause or document, with the source key in brackets' }),
    note: str({ description: 'how the profile treats the value' }),

    ...valueSpecDefs('int8', int(-128, 127), 'a log2 interval (Integer8)'),
    ...valueSpecDefs('uint8', int(0, 255), 'an UInteger8'),
    ...valueSpecDefs('local_priority', int(1, 255), 'localPriority (1-255)'),
    ...valueSpecDefs('timeout', int(1, 255), 'a receipt timeout in message intervals'),
    ...valueSpecDefs('grant_duration', int(1, 4294967295), 'a unicast grant durationField in seconds (UInteger32)'),
    interval_spec: obj(
      {
        default: ref('cited_int8'),
        range: ref('cited_int8_range'),
        fixed: { type: 'boolean' },
        allowed: ref('cited_int8_list'),
      },
      ['default', 'range', 'fixed'],
      { description: 'a message interval, log2 seconds' },
    ),
    cited_uint4: cited(int(0, 15), 'a 4-bit field, cited'),
    cited_uint16: cited(int(0, 65535), 'an UInteger16, cited'),
    cited_uint16_list: cited(uniqueList(int(0, 65535)), 'list of UInteger16, cited'),
    cited_uint32: cited(int(0, 4294967295), 'an UInteger32, cited'),
    cited_uint8_range_list: cited({ type: 'array', items: pair(int(0, 255)), minItems: 1 }, 'list of inclusive ranges, cited'),
    cited_holdover_paths: cited(
      { type: 'array', minItems: 1, items: obj({ from: int(0, 255), path: { type: 'array', items: int(0, 255), minItems: 1 } }, ['from', 'path']) },
      'clockClass degradation paths: a clock configured with `from` that lost its reference may advertise the classes of `path`, in that order, cited',
    ),
    cited_port: cited(int(1, 65535), 'a UDP port, cited'),
    cited_ttl: cited(int(1, 255), 'an IP TTL / hop limit, cited'),
    cited_vlan_priority: cited(int(0, 7), 'an 802.1Q priority code point, cited'),
    cited_dscp: cited(int(0, 63), 'an IP differentiated-services code point, cited'),
    cited_vid: cited(int(0, 4094), 'an 802.1Q VLAN ID, cited'),
    cited_count: cited(int(1, 65535), 'a positive count, cited'),
    cited_version_ptp: cited({ type: 'integer', enum: [2] }, 'versionPTP, cited'),
    cited_pct: cited(num(0, 100), 'a percentage, cited'),
    cited_fraction: cited(num(0, 1), 'a fraction 0..1, cited'),
    cited_factor: cited({ type: 'number', exclusiveMinimum: 0 }, 'a positive factor, cited'),
    cited_nonneg: cited(num(0), 'a non-negative number, cited'),
    cited_mac: cited(macValue, 'a MAC address, cited'),
    cited_mac_list: cited(uniqueList(macValue), 'MAC addresses, cited'),
    cited_ipv4: cited({ type: 'string', format: 'ipv4' }, 'an IPv4 address, cited'),
    cited_ipv6: cited({ type: 'string', format: 'ipv6' }, 'an IPv6 address, cited'),
    cited_profile_identifier: cited(
      { type: ['string', 'null'], pattern: PATTERNS.mac },
      'profileIdentifier (6 octets); null when no source gives it',
    ),

    l2_mapping: obj(
      {
        etherType: ref('cited_uint16'),
        primaryMac: ref('cited_mac'),
        pdelayMac: ref('cited_mac'),
        acceptedMacs: ref('cited_mac_list'),
      },
      ['etherType', 'primaryMac'],
      { description: 'IEEE 802.3 mapping (1588 Annex F)' },
    ),
    udp4_mapping: obj(
      {
        primary: ref('cited_ipv4'),
        pdelay: ref('cited_ipv4'),
        eventPort: ref('cited_port'),
        generalPort: ref('cited_port'),
        dscpEvent: ref('cited_dscp'),
        dscpGeneral: ref('cited_dscp'),
        ttl: ref('cited_ttl'),
        pdelayTtl: ref('cited_ttl'),
      },
      ['eventPort', 'generalPort'],
      { description: 'UDP/IPv4 mapping (1588 Annex C)' },
    ),
    udp6_mapping: obj(
      {
        primary: ref('cited_ipv6'),
        pdelay: ref('cited_ipv6'),
        eventPort: ref('cited_port'),
        generalPort: ref('cited_port'),
        dscpEvent: ref('cited_dscp'),
        dscpGeneral: ref('cited_dscp'),
        ttl: ref('cited_ttl'),
        pdelayTtl: ref('cited_ttl'),
      },
      ['eventPort', 'generalPort'],
      { description: 'UDP/IPv6 mapping (1588 Annex D/E)' },
    ),
    vlan: sourced(
      { rule: enumOf(USAGE_RULES), priority: ref('cited_vlan_priority'), vid: ref('cited_vid') },
      ['rule'],
      'VLAN tagging rule',
    ),
    transport: sourced(
      {
        allowed: uniqueList(enumOf(TRANSPORTS)),
        default: enumOf(TRANSPORTS),
        multicast: enumOf(USAGE_RULES),
        unicast: enumOf(USAGE_RULES),
        unicastNegotiation: enumOf(USAGE_RULES),
        grantDuration: ref('grant_duration_spec'),
        l2: ref('l2_mapping'),
        udp4: ref('udp4_mapping'),
        udp6: ref('udp6_mapping'),
        vlan: ref('vlan'),
      },
      ['allowed', 'default', 'multicast', 'unicast', 'unicastNegotiation', 'vlan'],
      'transports, addresses and tagging',
    ),
    sdo: obj({ majorSdoId: ref('cited_uint4'), minorSdoId: ref('cited_uint8') }, ['majorSdoId', 'minorSdoId'], {
      description: 'sdoId = majorSdoId (transportSpecific in 2008) and minorSdoId',
    }),
    version: sourced(
      {
        versionPTP: ref('cited_version_ptp'),
        minorVersionPTP: ref('cited_uint4'),
        minorVersionsAccepted: uniqueList(int(0, 15)),
        editionsAccepted: uniqueList(enumOf(EDITIONS_1588)),
        controlFieldAccepted: uniqueList(enumOf(['legacy', 'zero'])),
      },
      ['versionPTP', 'minorVersionPTP', 'minorVersionsAccepted', 'editionsAccepted', 'controlFieldAccepted'],
      'PTP version expectations; the IEEE 1588 edition seen is reported',
    ),
    delay_mechanism: sourced(
      { allowed: uniqueList(enumOf(DELAY_MECHANISMS)), default: enumOf(DELAY_MECHANISMS) },
      ['allowed', 'default'],
      'delay request-response (E2E) and/or peer delay (P2P)',
    ),
    steps: sourced(
      { oneStep: enumOf(STEP_RULES), twoStep: enumOf(STEP_RULES), receiveBoth: { type: 'boolean' } },
      ['oneStep', 'twoStep', 'receiveBoth'],
      'one-step / two-step expectations on transmit, and on receive',
    ),
    intervals: obj(
      {
        announce: ref('interval_spec'),
        sync: ref('interval_spec'),
        delayReq: ref('interval_spec'),
        pdelayReq: ref('interval_spec'),
      },
      ['announce', 'sync'],
      { description: 'logAnnounceInterval, logSyncInterval, logMinDelayReqInterval, logMinPdelayReqInterval' },
    ),
    timeouts: obj(
      { announceReceiptTimeout: ref('timeout_spec'), syncReceiptTimeout: ref('timeout_spec') },
      ['announceReceiptTimeout'],
      { description: 'receipt timeouts in message intervals' },
    ),
    priorities: obj(
      { priority1: ref('uint8_spec'), priority2: ref('uint8_spec'), localPriority: ref('local_priority_spec') },
      ['priority1', 'priority2'],
      { description: 'priority1, priority2 and (G.8275.x) localPriority' },
    ),
    clock_class: obj(
      { default: ref('cited_uint8'), allowed: ref('cited_uint8_list'), allowedRanges: ref('cited_uint8_range_list'), holdover: ref('cited_holdover_paths') },
      ['default', 'allowed'],
      { description: 'clockClass values a conforming clock may advertise' },
    ),
    cited_default_uint8: obj({ default: ref('cited_uint8') }, ['default']),
    cited_default_uint16: obj({ default: ref('cited_uint16') }, ['default']),
    bmca: sourced(
      {
        variant: enumOf(BMCA_VARIANTS),
        foreignMasterThreshold: ref('cited_count'),
        foreignMasterTimeWindow: ref('cited_count'),
        maxStepsRemoved: ref('cited_uint8'),
        priority1Compared: { type: 'boolean' },
        ignoreAnnounceWithoutRequiredTlvs: { type: 'boolean' },
      },
      [
        'variant',
        'foreignMasterThreshold',
        'foreignMasterTimeWindow',
        'maxStepsRemoved',
        'priority1Compared',
        'ignoreAnnounceWithoutRequiredTlvs',
      ],
      'best master clock algorithm',
    ),
    peer_delay: obj(
      {
        neighborPropDelayThreshNs: ref('cited_uint32'),
        allowedLostResponses: ref('cited_count'),
        allowedFaults: ref('cited_count'),
        asCapableRequired: { type: 'boolean' },
      },
      ['asCapableRequired'],
      { description: 'peer-delay and asCapable parameters' },
    ),
    tlv_length_field: obj({ accept: ref('cited_uint16_list'), send: ref('cited_uint16') }, ['accept', 'send'], {
      description: 'lengthField convention: values accepted on receive and the value sent',
    }),
    tlv_ref: sourced({ tlv: enumOf(TLV_NAMES), lengthField: ref('tlv_length_field') }, ['tlv'], 'a TLV and its variant'),
    tlv_rules: obj(
      {
        required: { type: 'array', items: ref('tlv_ref') },
        allowed: { type: 'array', items: ref('tlv_ref') },
        forbidden: { type: 'array', items: ref('tlv_ref') },
      },
      [],
      { description: 'TLVs required, allowed and forbidden in one message type (missing lists are empty)' },
    ),
    tlvs: obj(Object.fromEntries(MESSAGES.map((m) => [m, ref('tlv_rules')])), [], {
      description: 'TLV rules per message type',
    }),
    unused_message: sourced({ message: enumOf(MESSAGES) }, ['message'], 'a message type the profile does not use'),
    interval_tolerance: obj(
      {
        meanPct: ref('cited_pct'),
        withinPct: ref('cited_pct'),
        fractionWithin: ref('cited_fraction'),
        maxGapFactor: ref('cited_factor'),
      },
      ['meanPct', 'withinPct', 'fractionWithin', 'maxGapFactor'],
      { description: 'message-interval rule (1588-2019 9.5.8 form)' },
    ),
    delay_req_spacing: sourced(
      {
        rule: enumOf(['uniform-0-2x', 'pct-of-nominal']),
        pct: ref('cited_pct'),
        fractionWithin: ref('cited_fraction'),
      },
      ['rule'],
      'Delay_Req spacing rule',
    ),
    receipt_timeout_window: obj(
      { earlyIntervals: ref('cited_nonneg'), lateIntervals: ref('cited_nonneg') },
      ['earlyIntervals', 'lateIntervals'],
      { description: 'accepted window around announceReceiptTimeout x interval' },
    ),
    tolerances: obj(
      {
        interval: ref('interval_tolerance'),
        delayReqSpacing: ref('delay_req_spacing'),
        receiptTimeoutWindow: ref('receipt_timeout_window'),
      },
      ['interval', 'receiptTimeoutWindow'],
      { description: 'tolerances applied by the suites' },
    ),
    accuracy_limit: obj(
      {
        quantity: str(),
        unit: enumOf(['ns', 'ppm', 's']),
        limit: ref('cited_nonneg'),
        // A mask's observation intervals (MTIE, TDEV): [shortest, longest] τ in seconds.
        tauRangeS: cited(pair({ type: 'number', exclusiveMinimum: 0 }), 'the observation intervals τ (s) a mask limit holds over, cited'),
        appliesTo: str(),
      },
      ['quantity', 'unit', 'limit', 'appliesTo'],
      { description: 'one accuracy limit' },
    ),
    accuracy: {
      type: 'object',
      propertyNames: { pattern: PATTERNS.accuracyKey },
      additionalProperties: ref('accuracy_limit'),
      description: 'accuracy limits keyed by a stable name',
    },
    suites: obj(
      {
        apply: uniqueList(str({ pattern: PATTERNS.testId })),
        skip: uniqueList(str({ pattern: PATTERNS.testId }), 0),
        overrides: {
          type: 'object',
          propertyNames: { pattern: PATTERNS.testId },
          additionalProperties: ref('suite_override'),
        },
      },
      ['apply'],
      { description: 'which tests apply, and per-test parameters' },
    ),
    suite_override: {
      type: 'object',
      properties: citation,
      required: ['source'],
      description: 'parameters for one test (free keys), with the source of their values',
    },
    lab_outside: obj({ key: str(), reason: str() }, ['key', 'reason']),
    lab_finding: obj({ test: str({ pattern: PATTERNS.testId }), reason: str() }, ['test', 'reason']),
    lab: sourced(
      {
        ptp4l: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
        outsideProfile: { type: 'array', items: ref('lab_outside') },
        judgeIntervalsAgainst: enumOf(['profile', 'advertised']),
        needsUnicastMasterTable: { type: 'boolean' },
        expectedFindings: { type: 'array', items: ref('lab_finding') },
      },
      ['ptp4l', 'judgeIntervalsAgainst'],
      'how a software DUT (linuxptp 3.1.1 ptp4l) is configured in the virtual lab',
    ),
    edition_difference: sourced(
      { edition: str({ pattern: PATTERNS.edition }), path: str(), value: {} },
      ['edition', 'path', 'note'],
      'a documented difference in another edition',
    ),
    origin: obj(
      { file: str(), chain: { type: 'array', items: str() }, files: { type: 'array', items: str() } },
      ['file', 'chain', 'files'],
      { description: 'written by the loader (profiles show); ignored on input' },
    ),
    profile: obj(
      {
        id: str({ pattern: PATTERNS.id }),
        name: str(),
        standard: str(),
        edition: str({ pattern: PATTERNS.edition }),
        description: str(),
        extends: str({ pattern: PATTERNS.id }),
        profileIdentifier: ref('cited_profile_identifier'),
        transport: ref('transport'),
        sdo: ref('sdo'),
        version: ref('version'),
        delayMechanism: ref('delay_mechanism'),
        steps: ref('steps'),
        domain: ref('uint8_spec'),
        intervals: ref('intervals'),
        timeouts: ref('timeouts'),
        priorities: ref('priorities'),
        clockClass: ref('clock_class'),
        clockAccuracy: ref('cited_default_uint8'),
        offsetScaledLogVariance: ref('cited_default_uint16'),
        bmca: ref('bmca'),
        peerDelay: ref('peer_delay'),
        tlvs: ref('tlvs'),
        unusedMessages: { type: 'array', items: ref('unused_message') },
        tolerances: ref('tolerances'),
        accuracy: ref('accuracy'),
        suites: ref('suites'),
        lab: ref('lab'),
        editionDifferences: { type: 'array', items: ref('edition_difference') },
        origin: ref('origin'),
      },
      [
        'id',
        'name',
        'standard',
        'edition',
        'profileIdentifier',
        'transport',
        'sdo',
        'version',
        'delayMechanism',
        'steps',
        'domain',
        'intervals',
        'timeouts',
        'priorities',
        'clockClass',
        'bmca',
        'tlvs',
        'unusedMessages',
        'tolerances',
        'accuracy',
        'suites',
        'lab',
      ],
      { description: 'a complete ptp-conform profile' },
    ),
  }
}

/** Definitions kept whole in the partial view: cited values and leaf patterns. */
function isAtomic(name: string): boolean {
  return name.startsWith('cited_') || name === 'source' || name === 'note' || name === 'tlv_ref' || name === 'lab_outside' ||
    name === 'lab_finding' || name === 'unused_message' || name === 'edition_difference' || name === 'accuracy_limit' ||
    name === 'suite_override'
}

const nullable = (s: Schema): Schema => ({ anyOf: [{ type: 'null' }, s] })

/** The partial view of one definition: nothing required, `null` allowed for every key. */
function partialOf(s: Schema, defs: Record<string, Schema>): Schema {
  const partialNode = (p: Schema): Schema => {
    const r = p.$ref
    if (typeof r === 'string') {
      const name = r.replace('#/$defs/', '')
      return isAtomic(name) || !(name in defs) ? p : { $ref: `#/$defs/partial_${name}` }
    }
    return p.type === 'object' ? partialOf(p, defs) : p
  }
  if (s.type !== 'object') return s
  const out: Schema = { ...s }
  delete out.required
  if (s.properties && typeof s.properties === 'object' && !Array.isArray(s.properties)) {
    const props: Record<string, Json> = {}
    for (const [k, v] of Object.entries(s.properties as Record<string, Schema>)) props[k] = nullable(partialNode(v))
    out.properties = props
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    out.additionalProperties = nullable(partialNode(s.additionalProperties as Schema))
  }
  return out
}

export function buildSchema(): Schema {
  const defs = definitions()
  const partials: Record<string, Schema> = {}
  for (const [name, def] of Object.entries(defs)) {
    if (!isAtomic(name) && def.type === 'object') partials[`partial_${name}`] = partialOf(def, defs)
  }
  const partialProfile = partials.partial_profile as Schema
  partialProfile.required = ['id', 'extends']
  partialProfile.description = 'a profile that extends another: keys merge over the parent, null deletes'
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'ptp-conform profile',
    description:
      'A PTP profile for ptp-conform. Every number is cited as { value, source }. See docs/profiles.md.',
    if: { type: 'object', properties: { extends: true }, required: ['extends'] },
    then: ref('partial_profile'),
    else: ref('profile'),
    $defs: { ...defs, ...partials },
  }
}

/** The schema as written to profiles/schema.json (2-space JSON, trailing newline). */
export function schemaText(): string {
  return JSON.stringify(buildSchema(), null, 2) + '\n'
}
