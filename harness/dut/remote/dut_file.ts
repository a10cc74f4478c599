/**
 * The DUT file: a YAML description of a real device we do not start.
 *
 *   name: Acme GM-1000, rack 3
 *   vendor: Acme
 *   model: GM-1000
 *   firmware: "2.4.1"
 *   interface: enp3s0              # the harness's interface facing the device
 *   mac: 00:11:22:33:44:55         # the device's PTP port
 *   ipv4: 192.0.2.10
 *   clockIdentity: 001122.fffe.334455
 *   capabilities:
 *     roles: [master, slave]
 *     transports: [l2, udp4]
 *     delayMechanisms: [E2E, P2P]
 *     oneStep: false
 *     twoStep: true
 *   management:                    # on-the-wire GETs; omit or enabled: false = passive only
 *     enabled: true
 *     transport: l2
 *   settings:                      # what the device is configured with (its management answers win)
 *     logSyncInterval: -3
 *     dscp_event: 46               # UDP only; nothing else tells the harness (MF-06)
 *   hooks:                         # shell commands run on this machine (sh -c)
 *     restart: ssh admin@gm reboot
 *     configure: ./set-dut.sh "$PTP_CONFORM_SETTING" "$PTP_CONFORM_VALUE"
 *
 * A boundary or transparent clock names its kind and which harness interface faces which of
 * its ports: the first entry is upstream (the harness's grandmaster; its interface is
 * `interface`), the second downstream (the harness's slaves). A transit is measured from one
 * harness port's TX stamp to the other's RX stamp, so each cable's one-way delay is declared,
 * as characterised (≈ 5 ns/m), with its ±:
 *
 *   clock: boundary                # ordinary (default) | boundary | e2e-tc | p2p-tc
 *   ports:
 *     - { interface: enp3s0, port: 1, mac: 00:11:22:33:44:55, linkDelayNs: 10, linkUncertaintyNs: 2 }
 *     - { interface: enp4s0, port: 2, mac: 00:11:22:33:44:56, linkDelayNs: 10, linkUncertaintyNs: 2 }
 *
 * Validated with ajv against DUT_FILE_SCHEMA; every problem is reported as
 * `file:line:col path message`, like the profiles.
 */
import _Ajv2020 from 'ajv/dist/2020.js'
import type { ErrorObject } from 'ajv/dist/2020.js'
import _addFormats from 'ajv-formats'
import { formatDiagnostic } from '../../profiles/errors.ts'
import { displayPath, segmentsOf } from '../../profiles/paths.ts'
import type { ProfileDiagnostic } from '../../profiles/types.ts'
import { diagnosticAt, parseProfileText, readProfileFile } from '../../profiles/yaml_source.ts'
import type { DelayMechanismName, DutRole, TransportName } from '../types.ts'

const Ajv2020 = _Ajv2020.default
const addFormats = _addFormats.default

export const DEVICE_SETTING_NAMES = [
  'logAnnounceInterval',
  'logSyncInterval',
  'logMinDelayReqInterval',
  'logMinPdelayReqInterval',
  'announceReceiptTimeout',
  'syncReceiptTimeout',
  'priority1',
  'priority2',
  'clockClass',
  // DSCP of event / general messages (UDP): no 1588 data set holds it, so MF-06 learns it only here.
  'dscp_event',
  'dscp_general',
  // The grant duration the device asks for as a unicast slave (INT-07).
  'unicast_req_duration',
  'logQueryInterval',
  // Delay_Req per second the device is stated to answer in full (its data sheet): ROB-07 judges the loads within it.
  'delayRequestCapacity',
] as const
export type DeviceSettingName = (typeof DEVICE_SETTING_NAMES)[number]

export type HookName = 'start' | 'stop' | 'restart' | 'kill' | 'configure'

export const DEVICE_CLOCK_KINDS = ['ordinary', 'boundary', 'e2e-tc', 'p2p-tc'] as const
export type DeviceClockKind = (typeof DEVICE_CLOCK_KINDS)[number]

/** One DUT port of a multi-port device and the harness interface facing it. */
export interface DutFilePort {
  /** The harness's interface on this port's link. */
  interface: string
  /** Namespace holding that interface (a lab; absent for a real NIC). */
  netns?: string
  /** The DUT's portNumber on this port. */
  port: number
  /** The DUT port's MAC. */
  mac?: string
  /** The cable's one-way delay, each way, as characterised (default 0). */
  linkDelayNs?: number
  /** Its ± (default 0: the harness's own timestamp noise is added to it either way). */
  linkUncertaintyNs?: number
}

export interface DutFile {
  name: string
  vendor?: string
  model?: string
  firmware?: string
  interface: string
  /** Namespace holding `interface` (a lab; absent for a real NIC). */
  netns?: string
  mac?: string
  ipv4?: string
  ipv6?: string
  clockIdentity?: string
  domainNumber?: number
  capabilities: {
    roles: DutRole[]
    transports: TransportName[]
    delayMechanisms: DelayMechanismName[]
    oneStep: boolean
    twoStep: boolean
    profiles?: string[]
  }
  management?: {
    enabled: boolean
    transport?: TransportName
    transportSpecific?: number
    timeoutMs?: number
  }
  hooks?: Partial<Record<HookName, string>> & { timeoutMs?: number }
  /** What the device is configured with (1588 data-set member names); its management answers win. */
  settings?: Partial<Record<DeviceSettingName, number>>
  /** Its kind of clock (default ordinary). */
  clock?: DeviceClockKind
  /** A boundary or transparent clock's two ports: [upstream, downstream]. */
  ports?: DutFilePort[]
  notes?: string[]
  /** Filled by the loader. */
  file?: string
}

export type DutFileDiagnostic = ProfileDiagnostic

export class DutFileError extends Error {
  constructor(
    message: string,
    readonly diagnostics: DutFileDiagnostic[],
  ) {
    super(diagnostics.length ? `${message}\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}` : message)
    this.name = 'DutFileError'
  }
}

const MAC = '^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$'
const CLOCK_ID = '^[0-9a-f]{6}\\.[0-9a-f]{4}\\.[0-9a-f]{6}$'
const PATTERN_HINTS: Record<string, string> = {
  [MAC]: 'a MAC address like 00:11:22:33:44:55',
  [CLOCK_ID]: "a clockIdentity like '001122.fffe.334455'",
  '^[^\\s/]{1,15}$': 'an interface name (1-15 characters, no spaces or slashes)',
}

const str = { type: 'string', minLength: 1 }

/** The largest value a setting can take: DSCP 6 bits, a grant duration UInteger32 seconds (1588-2019 16.1.4.1), a rate 10^6/s, log intervals Integer8, the rest one octet. */
function settingMaximum(n: DeviceSettingName): number {
  if (n.startsWith('dscp')) return 63
  if (n === 'unicast_req_duration') return 4_294_967_295
  if (n === 'delayRequestCapacity') return 1_000_000
  return n.startsWith('log') ? 127 : 255
}

export const DUT_FILE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ptp-conform.invalid/schemas/dut-file.json',
  title: 'ptp-conform DUT file',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'interface', 'capabilities'],
  properties: {
    name: str,
    vendor: str,
    model: str,
    firmware: str,
    interface: { type: 'string', pattern: '^[^\\s/]{1,15}$' },
    netns: str,
    mac: { type: 'string', pattern: MAC },
    ipv4: { type: 'string', format: 'ipv4' },
    ipv6: { type: 'string', format: 'ipv6' },
    clockIdentity: { type: 'string', pattern: CLOCK_ID },
    domainNumber: { type: 'integer', minimum: 0, maximum: 255 },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      required: ['roles', 'transports', 'delayMechanisms', 'oneStep', 'twoStep'],
      properties: {
        roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['master', 'slave', 'auto', 'boundary', 'e2e-tc', 'p2p-tc'] } },
        transports: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['l2', 'udp4', 'udp6'] } },
        delayMechanisms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['E2E', 'P2P'] } },
        oneStep: { type: 'boolean' },
        twoStep: { type: 'boolean' },
        profiles: { type: 'array', uniqueItems: true, items: str },
      },
    },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(DEVICE_SETTING_NAMES.map((n) => [n, { type: 'integer', minimum: n.startsWith('log') ? -128 : 0, maximum: settingMaximum(n) }])),
    },
    management: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled'],
      properties: {
        enabled: { type: 'boolean' },
        transport: { enum: ['l2', 'udp4', 'udp6'] },
        transportSpecific: { type: 'integer', minimum: 0, maximum: 15 },
        timeoutMs: { type: 'integer', minimum: 10, maximum: 60000 },
      },
    },
    hooks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        start: str,
        stop: str,
        restart: str,
        kill: str,
        configure: str,
        timeoutMs: { type: 'integer', minimum: 100, maximum: 3600000 },
      },
    },
    clock: { enum: [...DEVICE_CLOCK_KINDS] },
    ports: {
      type: 'array',
      minItems: 2,
      maxItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['interface', 'port'],
        properties: {
          interface: { type: 'string', pattern: '^[^\\s/]{1,15}$' },
          netns: str,
          port: { type: 'integer', minimum: 1, maximum: 65534 },
          mac: { type: 'string', pattern: MAC },
          linkDelayNs: { type: 'integer', minimum: 0, maximum: 100000000 },
          linkUncertaintyNs: { type: 'integer', minimum: 0, maximum: 100000000 },
        },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const

let validator: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined
function validate() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true })
    addFormats(ajv, ['ipv4', 'ipv6'])
    validator = ajv.compile(DUT_FILE_SCHEMA)
  }
  return validator
}

function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `a list of ${v.length}`
  if (typeof v === 'object') return 'a mapping'
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

function toDiagnostic(e: ErrorObject, data: unknown, positions: Parameters<typeof diagnosticAt>[0]): DutFileDiagnostic {
  const segs = segmentsOf(e.instancePath, data)
  const p = e.params as Record<string, unknown>
  const got = describeValue(e.data)
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty)
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {})
      return diagnosticAt(positions, [...segs, key], `unknown key '${key}' (expected one of: ${allowed.join(', ')})`, 'key')
    }
    case 'required': {
      const at = diagnosticAt(positions, segs, '', 'key')
      return { ...at, path: displayPath([...segs, String(p.missingProperty)]), message: `missing required key '${String(p.missingProperty)}'` }
    }
    case 'enum':
      return diagnosticAt(positions, segs, `must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${got})`)
    case 'pattern':
      return diagnosticAt(positions, segs, `must be ${PATTERN_HINTS[String(p.pattern)] ?? `a string matching ${String(p.pattern)}`} (got ${got})`)
    case 'format':
      return diagnosticAt(positions, segs, `must be an ${p.format === 'ipv4' ? 'IPv4' : 'IPv6'} address (got ${got})`)
    case 'type':
      return diagnosticAt(positions, segs, `must be ${String(p.type)} (got ${got})`)
    case 'minimum':
    case 'maximum':
      return diagnosticAt(positions, segs, `must be ${String(p.comparison)} ${String(p.limit)} (got ${got})`)
    case 'minItems':
      return diagnosticAt(positions, segs, `must have at least ${String(p.limit)} item(s)`)
    case 'maxItems':
      return diagnosticAt(positions, segs, `must have at most ${String(p.limit)} item(s)`)
    case 'minLength':
      return diagnosticAt(positions, segs, 'must not be empty')
    case 'uniqueItems':
      return diagnosticAt(positions, segs, `repeats item ${String(p.j)} of the same list`)
    default:
      return diagnosticAt(positions, segs, e.message ?? `fails ${e.keyword}`)
  }
}

/** Cross-field checks the schema cannot express. */
function checkRules(d: DutFile, positions: Parameters<typeof diagnosticAt>[0]): DutFileDiagnostic[] {
  const out: DutFileDiagnostic[] = []
  const mt = d.management?.transport
  if (d.management?.enabled && mt && !d.capabilities.transports.includes(mt)) {
    out.push(diagnosticAt(positions, ['management', 'transport'], `'${mt}' is not among capabilities.transports (${d.capabilities.transports.join(', ')})`))
  }
  if (!d.capabilities.oneStep && !d.capabilities.twoStep) {
    out.push(diagnosticAt(positions, ['capabilities', 'twoStep'], 'a clock sends one-step, two-step or both: oneStep and twoStep cannot both be false'))
  }
  if (d.capabilities.transports.includes('udp4') && d.management?.enabled && d.management.transport === 'udp4' && !d.ipv4) {
    out.push(diagnosticAt(positions, ['management'], 'management over udp4 needs the device address: add ipv4', 'key'))
  }
  const relay = d.clock !== undefined && d.clock !== 'ordinary'
  if (relay && !d.ports) out.push(diagnosticAt(positions, ['clock'], `a ${d.clock} has two ports the harness faces: add ports (upstream first, then downstream)`))
  if (!relay && d.ports) out.push(diagnosticAt(positions, ['ports'], `ports are for a boundary or transparent clock: set clock (this file describes ${d.clock ? 'an ordinary clock' : 'an ordinary clock by default'})`, 'key'))
  if (relay && d.ports) {
    if (d.ports[0]!.interface !== d.interface || (d.ports[0]!.netns ?? d.netns) !== d.netns) out.push(diagnosticAt(positions, ['ports', 0, 'interface'], `the upstream port's harness interface is the file's interface (${d.interface}${d.netns ? ` in ${d.netns}` : ''}), not ${d.ports[0]!.interface}${d.ports[0]!.netns ? ` in ${d.ports[0]!.netns}` : ''}`))
    if (d.ports[1]!.interface === d.ports[0]!.interface && d.ports[1]!.netns === d.ports[0]!.netns) out.push(diagnosticAt(positions, ['ports', 1, 'interface'], 'the downstream port needs its own harness interface: one interface cannot face both DUT ports'))
    if (d.ports[1]!.port === d.ports[0]!.port) out.push(diagnosticAt(positions, ['ports', 1, 'port'], `both entries name DUT port ${d.ports[0]!.port}`))
    if (!d.clockIdentity) out.push(diagnosticAt(positions, ['clock'], `a ${d.clock}'s port identities are judged on the wire: add clockIdentity`))
    if (!d.capabilities.roles.includes(d.clock as DutRole)) out.push(diagnosticAt(positions, ['capabilities', 'roles'], `clock ${d.clock} is not among capabilities.roles (${d.capabilities.roles.join(', ')})`))
  }
  return out
}

/** Parses and validates DUT file text; throws DutFileError with positioned diagnostics. */
export function parseDutFile(file: string, text: string): DutFile {
  return check(parseProfileText(file, text))
}

export function loadDutFile(file: string): DutFile {
  return check(readProfileFile(file))
}

function check(src: ReturnType<typeof parseProfileText>): DutFile {
  if (src.diagnostics.length) throw new DutFileError(`${src.file}: not a valid DUT file`, src.diagnostics.map((d) => ({ ...d, message: d.message.replace('cannot read profile', 'cannot read DUT file') })))
  const v = validate()
  if (!v(src.data)) {
    const diags = (v.errors ?? []).map((e) => toDiagnostic(e, src.data, src.positions))
    throw new DutFileError(`${src.file}: not a valid DUT file`, dedupe(diags))
  }
  const d = src.data as DutFile
  const rules = checkRules(d, src.positions)
  if (rules.length) throw new DutFileError(`${src.file}: not a valid DUT file`, rules)
  return { ...d, file: src.file }
}

function dedupe(ds: DutFileDiagnostic[]): DutFileDiagnostic[] {
  const seen = new Set<string>()
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.path}:${d.message}`
    return seen.has(k) ? false : (seen.add(k), true)
  })
}
