/**
 * ptp4l configuration from a profile (pure: text in, text out, no I/O).
 *
 * Layers, later ones win, each key remembers which layer set it so the
 * generated file explains itself and the results can say why a value is
 * what it is:
 *
 *   profile  the profile's defaults (domain, intervals, priorities, transport
 *            mapping, BMCA variant, gPTP and telecom options)
 *   lab      the profile's `lab.ptp4l` keys (settings for a software DUT on veth)
 *   role     master / slave / boundary / TC
 *   option   pass-through keys from the user (`--dut-option key=value`)
 *   harness  safety and plumbing no one may override: free_running 1,
 *            software time stamping, our own UDS path
 *
 * Keys are ptp4l 3.1.1's (man ptp4l); an option ptp4l does not know makes it
 * refuse to start, and the adapter shows that log line.
 */
import type { DelayMechanismName, Profile, TlvName, TransportName } from '../../profiles/types.ts'
import type { DutOptions, DutRole } from '../types.ts'
import { type DutSetting, HARNESS_ONLY_KEYS, type SettingKey } from '../settings.ts'

export type ConfigLayer = 'profile' | 'lab' | 'role' | 'option' | 'harness'

export interface ConfigEntry {
  key: string
  value: string
  layer: ConfigLayer
  /** Why: the profile field and its citation, or the reason for a lab/harness value. */
  why: string
}

export interface Ptp4lConfigInput {
  profile: Profile
  role: DutRole
  transport: TransportName
  delayMechanism: DelayMechanismName
  interfaces: string[]
  udsAddress: string
  options?: DutOptions
  /** Masters a unicast slave asks for service (profile.lab.needsUnicastMasterTable). */
  unicastMasters?: string[]
  messageTag?: string
}

export interface Ptp4lConfig {
  text: string
  global: ConfigEntry[]
  /** Per-interface sections, in the order given. */
  ports: { ifname: string; entries: ConfigEntry[] }[]
  /** What pmc must send to be heard: header majorSdoId (`-t`) and domain (`-d`). */
  transportSpecific: number
  domainNumber: number
}

/** Keys the harness owns. Changing them could move the system clock or break control. */
export const PROTECTED_KEYS: Record<string, string> = {
  free_running: 'ptp4l must never adjust the clock: the lab shares CLOCK_REALTIME with this machine',
  time_stamping: 'veth offers software time stamping only',
  uds_address: 'each DUT has its own management socket, chosen by the harness',
  clock_servo: 'irrelevant with free_running, and a servo choice must not re-enable clock steering',
}

const NETWORK_TRANSPORT: Record<TransportName, string> = { l2: 'L2', udp4: 'UDPv4', udp6: 'UDPv6' }

class Layers {
  readonly global = new Map<string, ConfigEntry>()
  readonly port = new Map<string, Map<string, ConfigEntry>>()

  set(key: string, value: string | number | boolean, layer: ConfigLayer, why: string, ifname?: string): void {
    const v = typeof value === 'boolean' ? (value ? '1' : '0') : String(value)
    if (/[\n\r]/.test(key) || /[\n\r]/.test(v) || key.trim() !== key || key === '' || /\s/.test(key)) {
      throw new Error(`invalid ptp4l setting ${JSON.stringify(key)} = ${JSON.stringify(v)}`)
    }
    const target = ifname ? this.portMap(ifname) : this.global
    target.delete(key) // re-insert so the file lists keys in the order they were last decided
    target.set(key, { key, value: v, layer, why })
  }

  portMap(ifname: string): Map<string, ConfigEntry> {
    let m = this.port.get(ifname)
    if (!m) this.port.set(ifname, (m = new Map()))
    return m
  }
}

function cite(field: string, c: { source: string; unconfirmed?: boolean }): string {
  return `${field} (${c.source}${c.unconfirmed ? ', unconfirmed' : ''})`
}

function hasTlv(p: Profile, message: keyof Profile['tlvs'], tlv: TlvName): boolean {
  return !!p.tlvs[message]?.required.some((r) => r.tlv === tlv)
}

/** `FF0E::181` → 0x0E (the multicast scope nibble). */
function udp6Scope(group: string): number | undefined {
  const m = /^ff0([0-9a-f])::/i.exec(group)
  return m ? parseInt(m[1]!, 16) : undefined
}

/** Profiles write MACs with dashes (IEEE style); ptp4l parses only colons. */
export function ptp4lMac(mac: string): string {
  return mac.trim().replace(/-/g, ':').toUpperCase()
}

function profileLayer(L: Layers, p: Profile, input: Ptp4lConfigInput): void {
  const put = (key: string, value: string | number, why: string) => L.set(key, value, 'profile', why)

  put('domainNumber', p.domain.default.value, cite('domain', p.domain.default))
  put('transportSpecific', `0x${p.sdo.majorSdoId.value.toString(16)}`, cite('sdo.majorSdoId', p.sdo.majorSdoId))
  put('logAnnounceInterval', p.intervals.announce.default.value, cite('intervals.announce', p.intervals.announce.default))
  put('logSyncInterval', p.intervals.sync.default.value, cite('intervals.sync', p.intervals.sync.default))
  if (p.intervals.delayReq) put('logMinDelayReqInterval', p.intervals.delayReq.default.value, cite('intervals.delayReq', p.intervals.delayReq.default))
  if (p.intervals.pdelayReq) put('logMinPdelayReqInterval', p.intervals.pdelayReq.default.value, cite('intervals.pdelayReq', p.intervals.pdelayReq.default))
  put('announceReceiptTimeout', p.timeouts.announceReceiptTimeout.default.value, cite('timeouts.announceReceiptTimeout', p.timeouts.announceReceiptTimeout.default))
  if (p.timeouts.syncReceiptTimeout) {
    put('syncReceiptTimeout', p.timeouts.syncReceiptTimeout.default.value, cite('timeouts.syncReceiptTimeout', p.timeouts.syncReceiptTimeout.default))
  }
  put('priority1', p.priorities.priority1.default.value, cite('priorities.priority1', p.priorities.priority1.default))
  put('priority2', p.priorities.priority2.default.value, cite('priorities.priority2', p.priorities.priority2.default))
  put('clockClass', p.clockClass.default.value, cite('clockClass', p.clockClass.default))
  if (p.clockAccuracy) put('clockAccuracy', `0x${p.clockAccuracy.default.value.toString(16)}`, cite('clockAccuracy', p.clockAccuracy.default))
  if (p.offsetScaledLogVariance) {
    put('offsetScaledLogVariance', `0x${p.offsetScaledLogVariance.default.value.toString(16)}`, cite('offsetScaledLogVariance', p.offsetScaledLogVariance.default))
  }
  put('maxStepsRemoved', p.bmca.maxStepsRemoved.value, cite('bmca.maxStepsRemoved', p.bmca.maxStepsRemoved))

  if (p.bmca.variant === 'g8275x') {
    put('dataset_comparison', 'G.8275.x', cite('bmca.variant g8275x', p.bmca))
    if (p.priorities.localPriority) {
      const lp = p.priorities.localPriority.default
      put('G.8275.defaultDS.localPriority', lp.value, cite('priorities.localPriority', lp))
      put('G.8275.portDS.localPriority', lp.value, cite('priorities.localPriority', lp))
    }
  } else {
    put('dataset_comparison', 'ieee1588', cite(`bmca.variant ${p.bmca.variant}`, p.bmca))
  }

  // One-step needs hardware time stamping in ptp4l; on veth it is always two-step.
  put('twoStepFlag', 1, p.steps.twoStep === 'forbidden' ? 'profile forbids two-step, but ptp4l -S cannot do one-step' : cite('steps.twoStep', p.steps))

  // 802.1AS pieces, each keyed to what the profile requires rather than to its name.
  if (hasTlv(p, 'Announce', 'PATH_TRACE')) put('path_trace_enabled', 1, 'profile requires PATH_TRACE in Announce')
  if (hasTlv(p, 'Follow_Up', 'IEEE_802_1AS_FOLLOW_UP_INFO')) put('follow_up_info', 1, 'profile requires the 802.1AS Follow_Up information TLV')
  if (p.bmca.variant === '802.1as') {
    put('gmCapable', 1, cite('bmca.variant 802.1as', p.bmca))
    // 802.1AS is two-step only; some switches send one-step responses anyway (linuxptp gPTP.cfg).
    put('assume_two_step', 1, cite('steps (802.1AS two-step)', p.steps))
  }
  if (p.peerDelay?.neighborPropDelayThreshNs) {
    put('neighborPropDelayThresh', p.peerDelay.neighborPropDelayThreshNs.value, cite('peerDelay.neighborPropDelayThreshNs', p.peerDelay.neighborPropDelayThreshNs))
  }

  // Transport mapping.
  if (input.transport === 'l2' && p.transport.l2) {
    put('ptp_dst_mac', ptp4lMac(p.transport.l2.primaryMac.value), cite('transport.l2.primaryMac', p.transport.l2.primaryMac))
    if (p.transport.l2.pdelayMac) put('p2p_dst_mac', ptp4lMac(p.transport.l2.pdelayMac.value), cite('transport.l2.pdelayMac', p.transport.l2.pdelayMac))
  }
  if (input.transport === 'udp4' && p.transport.udp4?.ttl) put('udp_ttl', p.transport.udp4.ttl.value, cite('transport.udp4.ttl', p.transport.udp4.ttl))
  if (input.transport === 'udp6') {
    if (p.transport.udp6?.ttl) put('udp_ttl', p.transport.udp6.ttl.value, cite('transport.udp6.ttl', p.transport.udp6.ttl))
    const scope = p.transport.udp6?.primary ? udp6Scope(p.transport.udp6.primary.value) : undefined
    if (scope !== undefined) put('udp6_scope', `0x${scope.toString(16).padStart(2, '0')}`, cite('transport.udp6.primary', p.transport.udp6!.primary!))
  }
}

function roleLayer(L: Layers, input: Ptp4lConfigInput): void {
  const { role, interfaces } = input
  const put = (key: string, value: string | number, why: string, ifname?: string) => L.set(key, value, 'role', why, ifname)
  const needPorts = (n: number) => {
    if (interfaces.length < n) throw new Error(`role ${role} needs at least ${n} interfaces, got ${interfaces.length}`)
  }
  switch (role) {
    case 'master':
      // masterOnly: the port never enters SLAVE and ignores Announce, so this clock is the master.
      put('masterOnly', 1, 'role master')
      break
    case 'slave':
      put('slaveOnly', 1, 'role slave')
      break
    case 'auto':
      break
    case 'boundary':
      needPorts(2)
      // boundary_clock_jbod with -S faults in 3.1.1; without it a software BC works.
      put('clock_type', 'BC', 'role boundary')
      break
    case 'e2e-tc':
      needPorts(2)
      put('clock_type', 'E2E_TC', 'role e2e-tc')
      break
    case 'p2p-tc':
      needPorts(2)
      put('clock_type', 'P2P_TC', 'role p2p-tc')
      break
  }
}

/** `port2:masterOnly` addresses the second interface's section; a plain key goes to [global]. */
function optionLayer(L: Layers, input: Ptp4lConfigInput): void {
  for (const [rawKey, value] of Object.entries(input.options ?? {})) {
    if (HARNESS_ONLY_KEYS.has(rawKey)) continue
    const m = /^port(\d+):(.+)$/.exec(rawKey)
    const key = m ? m[2]! : rawKey
    if (PROTECTED_KEYS[key]) throw new Error(`ptp4l setting '${key}' cannot be overridden: ${PROTECTED_KEYS[key]}`)
    if (m) {
      const ifname = input.interfaces[Number(m[1]) - 1]
      if (!ifname) throw new Error(`option '${rawKey}': there is no port ${m[1]} (the DUT has ${input.interfaces.length})`)
      L.set(key, value, 'option', 'pass-through option', ifname)
    } else {
      L.set(key, value, 'option', 'pass-through option')
    }
  }
}

/** ptp4l allows comments only on lines of their own, so each key's reason sits on the line above it. */
function render(L: Layers, input: Ptp4lConfigInput, unicastTable: string[]): string {
  const lines: string[] = [
    `# ptp4l configuration generated by ptp-conform for profile '${input.profile.id}', role ${input.role}`,
    `# transport ${input.transport}, delay mechanism ${input.delayMechanism}`,
    '[global]',
  ]
  const entry = (e: ConfigEntry) => lines.push(`# ${e.layer}: ${e.why.replace(/\s+/g, " ")}`, `${e.key} ${e.value}`)
  for (const e of L.global.values()) entry(e)
  lines.push(...unicastTable)
  for (const ifname of input.interfaces) {
    lines.push(`[${ifname}]`)
    for (const e of L.portMap(ifname).values()) entry(e)
  }
  return lines.join('\n') + '\n'
}

export function generatePtp4lConfig(input: Ptp4lConfigInput): Ptp4lConfig {
  if (input.interfaces.length === 0) throw new Error('ptp4l needs at least one interface')
  const p = input.profile
  const L = new Layers()
  profileLayer(L, p, input)

  for (const [key, value] of Object.entries(p.lab.ptp4l)) {
    if (PROTECTED_KEYS[key]) continue // the harness sets these itself
    const v = (key === 'ptp_dst_mac' || key === 'p2p_dst_mac') && typeof value === 'string' ? ptp4lMac(value) : value
    L.set(key, v, 'lab', cite(`lab.ptp4l.${key}`, p.lab))
  }

  // Decided by the caller (the suite), not by the profile: it may test a non-default transport.
  L.set('network_transport', NETWORK_TRANSPORT[input.transport], 'role', 'transport chosen for this run')
  L.set('delay_mechanism', input.delayMechanism, 'role', 'delay mechanism chosen for this run')
  roleLayer(L, input)

  // A unicast slave needs a master table; the port points at it.
  const unicastTable: string[] = []
  if (p.lab.needsUnicastMasterTable && input.role !== 'master') {
    const masters = input.unicastMasters ?? []
    if (masters.length === 0) throw new Error(`profile '${p.id}' needs a unicast master table: give unicastMasters`)
    unicastTable.push('[unicast_master_table]', 'table_id 1', `logQueryInterval ${LAB_UNICAST_QUERY_INTERVAL}`)
    for (const a of masters) unicastTable.push(`${NETWORK_TRANSPORT[input.transport]} ${a}`)
    for (const ifname of input.interfaces) L.set('unicast_master_table', 1, 'role', 'unicast slave', ifname)
  }

  optionLayer(L, input)

  L.set('free_running', 1, 'harness', PROTECTED_KEYS.free_running!)
  L.set('time_stamping', 'software', 'harness', PROTECTED_KEYS.time_stamping!)
  L.set('uds_address', input.udsAddress, 'harness', PROTECTED_KEYS.uds_address!)
  if (input.messageTag) L.set('message_tag', input.messageTag, 'harness', 'log lines name the DUT')

  const ts = L.global.get('transportSpecific')!.value
  const dom = L.global.get('domainNumber')!.value
  return {
    text: render(L, input, unicastTable),
    global: [...L.global.values()],
    ports: input.interfaces.map((ifname) => ({ ifname, entries: [...L.portMap(ifname).values()] })),
    transportSpecific: Number(ts),
    domainNumber: Number(dom),
  }
}

/**
 * How often (log2 s) a lab ptp4l unicast slave asks for and renews service: 1 s, so that
 * negotiation adds little to a test (the example table's 2, 4 s, would add up to 8 s before Sync).
 */
export const LAB_UNICAST_QUERY_INTERVAL = 0

const builtIn = (value: number): DutSetting => ({ value, origin: 'implementation default' })
/**
 * What ptp4l runs with where nothing configures it. allowedLostResponses: a constant 3 before
 * linuxptp 4.2 (port.c ALLOWED_LOST_RESPONSES), the option's default since. dscp_event and
 * dscp_general: 0 each, set independently (config.c, v3.1.1).
 */
export const LINUXPTP_IMPLEMENTATION_SETTINGS: Readonly<Partial<Record<SettingKey, DutSetting>>> = {
  allowedLostResponses: builtIn(3),
  dscpEvent: builtIn(0),
  dscpGeneral: builtIn(0),
  unicastQueryInterval: { value: LAB_UNICAST_QUERY_INTERVAL, origin: 'lab configuration' },
}
