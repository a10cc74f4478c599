/**
 * ptpd 2.3.1 configuration from a profile (pure).
 *
 * ptpd reads `section:key = value` lines (`ptpd -H` lists them). The same
 * layers as for ptp4l, later wins: profile → role → option; the harness's
 * safety settings are not in the file but on the command line, where ptpd
 * gives them priority over any file (see SAFETY_ARGS in the adapter).
 */
import type { DelayMechanismName, Profile, TransportName } from '../../profiles/types.ts'
import type { DutOptions, DutRole } from '../types.ts'

export interface PtpdConfigEntry {
  key: string
  value: string
  layer: 'profile' | 'role' | 'option'
  why: string
}

export interface PtpdConfigInput {
  profile: Profile
  role: DutRole
  transport: TransportName
  delayMechanism: DelayMechanismName
  ifname: string
  options?: DutOptions
}

export interface PtpdConfig {
  text: string
  entries: PtpdConfigEntry[]
}

/** Keys the harness sets on the command line; a pass-through option may not change them. */
export const PTPD_PROTECTED: Record<string, string> = {
  'clock:no_adjust': 'ptpd must never adjust the clock: the lab shares CLOCK_REALTIME with this machine',
  'clock:no_reset': 'ptpd must never step the clock',
  'global:lock_file': 'each ptpd has its own lock file, chosen by the harness',
  'global:status_file': 'each ptpd has its own status file, chosen by the harness',
  'global:log_status': 'the adapter reads state from the status file',
  'global:foreground': 'the harness must own the PID it started',
  'ptpengine:interface': 'set from the DUT interface',
}

const TRANSPORT: Partial<Record<TransportName, string>> = { udp4: 'ipv4', l2: 'ethernet' }
const PRESET: Partial<Record<DutRole, string>> = { master: 'masteronly', slave: 'slaveonly', auto: 'masterslave' }

export const PTPD_ROLES: DutRole[] = ['master', 'slave', 'auto']
export const PTPD_TRANSPORTS: TransportName[] = ['udp4', 'l2']

export function generatePtpdConfig(input: PtpdConfigInput): PtpdConfig {
  const { profile: p } = input
  const transport = TRANSPORT[input.transport]
  if (!transport) throw new Error(`ptpd 2.3.1 has no ${input.transport} transport (it speaks UDPv4 and Ethernet)`)
  const preset = PRESET[input.role]
  if (!preset) throw new Error(`ptpd 2.3.1 is an ordinary clock only; role '${input.role}' is not available`)

  const entries = new Map<string, PtpdConfigEntry>()
  const set = (key: string, value: string | number | boolean, layer: PtpdConfigEntry['layer'], why: string) => {
    const v = typeof value === 'boolean' ? (value ? 'Y' : 'N') : String(value)
    if (!/^[a-z0-9_]+:[a-z0-9_]+$/i.test(key) || /[\n\r]/.test(v)) throw new Error(`invalid ptpd setting ${JSON.stringify(key)} = ${JSON.stringify(v)}`)
    entries.delete(key)
    entries.set(key, { key, value: v, layer, why })
  }
  const cite = (field: string, c: { source: string }) => `${field} (${c.source})`

  set('ptpengine:domain', p.domain.default.value, 'profile', cite('domain', p.domain.default))
  // The lab's fast intervals (profile.lab.ptp4l) apply to ptpd too: the same lab, the same timing.
  const lab = p.lab.ptp4l
  const pick = (labKey: string, spec: { default: { value: number; source: string } } | undefined) =>
    lab[labKey] !== undefined ? { value: Number(lab[labKey]), why: `lab.ptp4l ${labKey} (${p.lab.source})` } : spec ? { value: spec.default.value, why: cite(labKey, spec.default) } : undefined
  const ann = pick('logAnnounceInterval', p.intervals.announce)
  const sync = pick('logSyncInterval', p.intervals.sync)
  const dreq = pick('logMinDelayReqInterval', p.intervals.delayReq)
  const preq = pick('logMinPdelayReqInterval', p.intervals.pdelayReq)
  const art = pick('announceReceiptTimeout', p.timeouts.announceReceiptTimeout)
  if (ann) set('ptpengine:log_announce_interval', ann.value, 'profile', ann.why)
  if (sync) set('ptpengine:log_sync_interval', sync.value, 'profile', sync.why)
  if (dreq) {
    set('ptpengine:log_delayreq_interval', dreq.value, 'profile', dreq.why)
    set('ptpengine:log_delayreq_interval_initial', dreq.value, 'profile', dreq.why)
  }
  if (preq) set('ptpengine:log_peer_delayreq_interval', preq.value, 'profile', preq.why)
  if (art) set('ptpengine:announce_receipt_timeout', art.value, 'profile', art.why)
  // ptpd caps priority1 at 248.
  set('ptpengine:priority1', Math.min(248, p.priorities.priority1.default.value), 'profile', cite('priorities.priority1', p.priorities.priority1.default))
  set('ptpengine:priority2', p.priorities.priority2.default.value, 'profile', cite('priorities.priority2', p.priorities.priority2.default))
  if (p.sdo.majorSdoId.value === 1 && input.transport === 'l2') set('ptpengine:dot2as', true, 'profile', cite('sdo.majorSdoId 1 (802.1AS)', p.sdo.majorSdoId))

  set('ptpengine:preset', preset, 'role', `role ${input.role}`)
  set('ptpengine:transport', transport, 'role', 'transport chosen for this run')
  set('ptpengine:delay_mechanism', input.delayMechanism, 'role', 'delay mechanism chosen for this run')

  for (const [key, value] of Object.entries(input.options ?? {})) {
    if (PTPD_PROTECTED[key]) throw new Error(`ptpd setting '${key}' cannot be overridden: ${PTPD_PROTECTED[key]}`)
    set(key, value, 'option', 'pass-through option')
  }

  const lines = [`; ptpd configuration generated by ptp-conform for profile '${p.id}', role ${input.role}`]
  for (const e of entries.values()) lines.push(`; ${e.layer}: ${e.why.replace(/\s+/g, ' ')}`, `${e.key} = ${e.value}`)
  return { text: lines.join('\n') + '\n', entries: [...entries.values()] }
}
