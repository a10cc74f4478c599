/**
 * ptpd 2.3.1 configuration from the run's DUT settings (pure).
 *
 * The DUT's configured values have one owner, harness/dut/settings.ts: the same
 * resolveDutSettings that gives the judges `ev.dut` gives this file its domain,
 * intervals, receipt timeout, priorities and clockClass, so what ptpd runs is what
 * the verdicts compare with. They arrive under their 1588 data-set names
 * (`domainNumber`, `logSyncInterval`, …) and are written here under ptpd's own
 * keys (`ptpd -H`, ptpd.conf(5)).
 *
 * ptpd range-checks every key and refuses to start on a value outside it; we check
 * the same ranges first and refuse with the reason, never clamping. Other
 * `section:key` options pass through unless the harness owns them. The safety
 * settings are on the command line (the adapter), where ptpd gives them priority.
 */
import type { DelayMechanismName, Profile, TransportName } from '../../profiles/types.ts'
import { type DutSetting, type DutSettings, resolveDutSettings, SETTING_KEYS, type SettingKey } from '../settings.ts'
import type { DutOptions, DutRole } from '../types.ts'

export interface PtpdConfigEntry {
  key: string
  value: string
  /** setting: a run setting; role: the run's role/transport; lab: the lab's own choice; option: --dut-option. */
  layer: 'setting' | 'role' | 'lab' | 'option'
  why: string
}

export interface PtpdConfigInput {
  profile: Profile
  role: DutRole
  transport: TransportName
  delayMechanism: DelayMechanismName
  ifname: string
  /** The session's `{ domainNumber, ...dutOptions }`: 1588 names for settings, `section:key` for ptpd's own. */
  options?: DutOptions
}

export interface PtpdConfig {
  text: string
  entries: PtpdConfigEntry[]
  /** The settings the file carries (what the judges compare the DUT with). */
  settings: DutSettings
}

/** Where ptpd's ranges come from: its option table, printed by `ptpd -H` and in ptpd.conf(5). */
export const PTPD_RANGE_SOURCE = 'ptpd 2.3.1 src/dep/daemonconfig.c parseConfig(), ptpd.conf(5)'

/** Keys the harness sets on the command line; a pass-through option may not change them. */
export const PTPD_PROTECTED: Record<string, string> = {
  'clock:no_adjust': 'ptpd must never adjust the clock: the lab shares CLOCK_REALTIME with this machine',
  'clock:no_reset': 'ptpd must never step the clock',
  'global:lock_file': 'each ptpd has its own lock file, chosen by the harness',
  'global:status_file': 'each ptpd has its own status file, chosen by the harness',
  'global:log_status': 'the adapter reads state from the status file',
  'global:status_update_interval': 'the adapter reads state from the status file once a second',
  'global:foreground': 'the harness must own the PID it started',
  'global:log_statistics': 'the adapter reads the grandmaster identity from the statistics log',
  'global:statistics_file': 'each ptpd has its own statistics file, chosen by the harness',
  'global:statistics_timestamp_format': 'the adapter parses the statistics log',
  'global:statistics_log_interval': 'the adapter reads the latest statistics line',
  'ptpengine:interface': 'set from the DUT interface',
}

/** ptpd keys that carry a run setting or the role: set them through the setting's own name, or not at all. */
const OWNED: Record<string, string> = {
  'ptpengine:domain': 'give domainNumber (or --domain)',
  'ptpengine:log_announce_interval': 'give logAnnounceInterval',
  'ptpengine:log_sync_interval': 'give logSyncInterval',
  'ptpengine:log_delayreq_interval': 'give logMinDelayReqInterval',
  'ptpengine:log_delayreq_interval_initial': 'give logMinDelayReqInterval',
  'ptpengine:log_peer_delayreq_interval': 'give logMinPdelayReqInterval',
  'ptpengine:announce_receipt_timeout': 'give announceReceiptTimeout',
  'ptpengine:priority1': 'give priority1',
  'ptpengine:priority2': 'give priority2',
  'ptpengine:clock_class': 'give clockClass',
  'ptpengine:preset': 'the role (master/slave/auto) chooses it',
  'ptpengine:slave_only': 'the role chooses it',
  'ptpengine:transport': 'give --transport',
  'ptpengine:delay_mechanism': "the profile's delay mechanism chooses it",
  'ptpengine:ip_dscp': 'give dscp_event',
}

/** The 1588 data-set names settings.ts resolves; anything else must be a ptpd `section:key`. */
const SETTING_NAMES = new Set<string>(Object.values(SETTING_KEYS))

/** ptpd 2.3.1's accepted ranges (non-experimental build), per setting. */
export const PTPD_RANGES = {
  domainNumber: [0, 127],
  logAnnounceInterval: [-4, 7],
  logSyncInterval: [-7, 7],
  logMinDelayReqInterval: [-7, 7],
  logMinPdelayReqInterval: [-7, 7],
  announceReceiptTimeout: [2, 255],
  priority1: [0, 248],
  priority2: [0, 248],
  clockClass: [0, 255],
} as const satisfies Record<string, readonly [number, number]>

/**
 * ptpd also asserts `log_X_interval < log_X_interval_max` (default max 5) even without
 * unicast negotiation, the only place the maximum is used; a value of 5 or 6 needs max 7,
 * and 7 cannot be configured at all.
 */
const INTERVAL_MAX_KEY: Record<string, string> = {
  logAnnounceInterval: 'ptpengine:log_announce_interval_max',
  logSyncInterval: 'ptpengine:log_sync_interval_max',
  logMinDelayReqInterval: 'ptpengine:log_delayreq_interval_max',
  logMinPdelayReqInterval: 'ptpengine:log_peer_delayreq_interval_max',
}
const PTPD_DEFAULT_INTERVAL_MAX = 5
const PTPD_INTERVAL_MAX_LIMIT = 7

const TRANSPORT: Partial<Record<TransportName, string>> = { udp4: 'ipv4', l2: 'ethernet' }

export const PTPD_ROLES: DutRole[] = ['master', 'slave', 'auto']
export const PTPD_TRANSPORTS: TransportName[] = ['udp4', 'l2']

/**
 * ptpd's one-way delay filter (servo:delayfilter_stiffness s) is an IIR filter whose weight
 * ramps to 1/2^s (src/dep/servo.c updateDelay): ptpd's default 6 follows a step in the path
 * delay with a time constant of 64 exchanges, so E2E-02/P2P-02's 500 µs step was still moving
 * ~7 µs/s after 28 s (12 → 115 → 251 → 347 µs) and both ended inconclusive. With 2 (4
 * exchanges) the delay was still 6–7 µs short of a 500 µs step when sampled, which moved the
 * offset by up to 13.7 µs (inconclusive again, under two labs at once). The lab runs 1: the
 * error halves with each exchange (< 1 µs after 10); a --dut-option still wins.
 */
export const PTPD_LAB_DELAY_FILTER_STIFFNESS = 1

/** clockClass 255 is slave-only in 1588 (and forces ptpd's slave_only); 1..127 never become slave. */
const SLAVE_ONLY_CLOCK_CLASS = 255

/** Options ptpd cannot take: unknown names, and keys the harness or the run settings own. */
export function ptpdOptionProblems(options: DutOptions): string[] {
  const out: string[] = []
  for (const key of Object.keys(options)) {
    if (SETTING_NAMES.has(key)) continue
    if (PTPD_PROTECTED[key]) out.push(`ptpd setting '${key}' cannot be overridden: ${PTPD_PROTECTED[key]}`)
    else if (OWNED[key]) out.push(`ptpd setting '${key}' is a run setting: ${OWNED[key]}`)
    else if (!/^[a-z0-9_]+:[a-z0-9_]+$/i.test(key)) {
      out.push(`ptpd has no setting '${key}': give a 1588 name (${[...SETTING_NAMES].join(', ')}) or a ptpd section:key (ptpd -H)`)
    }
  }
  return out
}

/**
 * What ptpd 2.3.1 runs with where nothing configures it: one DSCP for every message
 * (ptpengine:ip_dscp, default 0 in src/dep/daemonconfig.c), so the general one follows a
 * configured event one.
 */
export function ptpdImplementationSettings(options: DutOptions = {}): Partial<Record<SettingKey, DutSetting>> {
  const event = options[SETTING_KEYS.dscpEvent]
  const general: DutSetting = event !== undefined ? { value: Number(event), origin: 'dut option' } : { value: 0, origin: 'implementation default' }
  return { dscpEvent: { value: 0, origin: 'implementation default' }, dscpGeneral: general }
}

/** The DUT settings for this start: the same resolution as the session's `ev.dut` (lab mode). */
export function ptpdSettings(profile: Profile, transport: TransportName, delayMechanism: DelayMechanismName, options: DutOptions = {}): DutSettings {
  // The session passes the run's domain among the options; like the session, resolve it as the domain.
  const { domainNumber, ...rest } = options
  const d = Number(domainNumber ?? profile.lab.ptp4l.domainNumber ?? profile.domain.default.value)
  return resolveDutSettings({ profile, mode: 'lab', transport, delayMechanism, domainNumber: d, options: rest, implementation: ptpdImplementationSettings(rest) })
}

/**
 * Each setting ptpd 2.3.1 would refuse (or cannot express), with the reason; empty when
 * ptpd can run them all. Pure: the runner calls it before the lab is built.
 */
export function ptpdSettingProblems(s: DutSettings, role?: DutRole): string[] {
  const out: string[] = []
  const values: [keyof typeof PTPD_RANGES, number][] = [
    ['domainNumber', s.domainNumber.value],
    ['logAnnounceInterval', s.intervals.announce.value],
    ['logSyncInterval', s.intervals.sync.value],
    ['logMinDelayReqInterval', s.intervals.delayReq.value],
    ['logMinPdelayReqInterval', s.intervals.pdelayReq.value],
    ['announceReceiptTimeout', s.announceReceiptTimeout.value],
    ['priority1', s.priority1.value],
    ['priority2', s.priority2.value],
    ['clockClass', s.clockClass.value],
  ]
  for (const [name, v] of values) {
    const [lo, hi] = PTPD_RANGES[name]
    if (!Number.isInteger(v)) out.push(`${name} ${v} is not an integer`)
    else if (v < lo || v > hi) out.push(`${name} ${v} is outside ptpd 2.3.1's range ${lo}..${hi} (${PTPD_RANGE_SOURCE})`)
    else if (INTERVAL_MAX_KEY[name] && v >= PTPD_INTERVAL_MAX_LIMIT) {
      out.push(`${name} ${v}: ptpd 2.3.1 requires it below ${INTERVAL_MAX_KEY[name]} (at most ${PTPD_INTERVAL_MAX_LIMIT}) (${PTPD_RANGE_SOURCE})`)
    }
  }
  if (s.syncReceiptTimeout && s.syncReceiptTimeout.origin === 'dut option') out.push('syncReceiptTimeout: ptpd 2.3.1 has no sync receipt timeout setting')
  const dscp = s.dscp
  if (dscp?.event && dscp.general && dscp.event.value !== dscp.general.value) {
    out.push(`dscp_event ${dscp.event.value} and dscp_general ${dscp.general.value}: ptpd 2.3.1 has one DSCP for all its messages (ptpengine:ip_dscp)`)
  }
  if (role && role !== 'slave' && s.clockClass.value === SLAVE_ONLY_CLOCK_CLASS) {
    out.push(`clockClass 255 makes ptpd slave-only (ptpengine:clock_class), so it cannot run as ${role}`)
  }
  return out
}

/**
 * ptpd has no master-only switch of its own: its presets fix the clockClass range
 * (masteronly 0..127, masterslave 128..254, slaveonly 255) and its state decision
 * (src/bmc.c bmcStateDecision, 1588 9.3.3) keeps a clockClass below 128 out of SLAVE.
 * So a master with the configured clockClass 128..254 runs masterslave and goes SLAVE
 * only if it hears a better master, as any 1588 clock of that class would.
 */
function presetFor(role: DutRole, clockClass: number): { preset: string; why: string } {
  if (role === 'slave') return { preset: 'slaveonly', why: 'role slave (ptpd announces clockClass 255, 1588 slaveOnly)' }
  if (role !== 'master' && role !== 'auto') throw new Error(`ptpd 2.3.1 is an ordinary clock only; role '${role}' is not available`)
  if (clockClass < 128) return { preset: 'masteronly', why: `role ${role}, clockClass ${clockClass} < 128: ptpd's masteronly preset (never SLAVE)` }
  return { preset: 'masterslave', why: `role ${role}, clockClass ${clockClass} >= 128: ptpd's masterslave preset (ptpd has no master-only mode for this class)` }
}

export function generatePtpdConfig(input: PtpdConfigInput): PtpdConfig {
  const { profile: p, role } = input
  const transport = TRANSPORT[input.transport]
  if (!transport) throw new Error(`ptpd 2.3.1 has no ${input.transport} transport (it speaks UDPv4 and Ethernet)`)
  if (!PTPD_ROLES.includes(role)) throw new Error(`ptpd 2.3.1 is an ordinary clock only; role '${role}' is not available`)

  const options = input.options ?? {}
  const refused = ptpdOptionProblems(options)
  if (refused.length) throw new Error(refused.join('; '))

  const settings = ptpdSettings(p, input.transport, input.delayMechanism, options)
  const problems = ptpdSettingProblems(settings, role)
  if (problems.length) throw new Error(`ptpd 2.3.1 cannot run these settings: ${problems.join('; ')}`)

  const entries = new Map<string, PtpdConfigEntry>()
  const set = (key: string, value: string | number | boolean, layer: PtpdConfigEntry['layer'], why: string) => {
    const v = typeof value === 'boolean' ? (value ? 'Y' : 'N') : String(value)
    if (/[\n\r]/.test(v)) throw new Error(`invalid ptpd setting ${JSON.stringify(key)} = ${JSON.stringify(v)}`)
    entries.delete(key)
    entries.set(key, { key, value: v, layer, why })
  }
  const from = (name: string, s: { value: number; origin: string }) => `${name} ${s.value} (${s.origin})`
  const interval = (name: string, key: string, s: { value: number; origin: string }) => {
    set(key, s.value, 'setting', from(name, s))
    if (s.value >= PTPD_DEFAULT_INTERVAL_MAX) set(INTERVAL_MAX_KEY[name]!, PTPD_INTERVAL_MAX_LIMIT, 'setting', `ptpd requires ${key} below its _max (unicast negotiation only)`)
  }

  set('ptpengine:domain', settings.domainNumber.value, 'setting', from('domainNumber', settings.domainNumber))
  interval('logAnnounceInterval', 'ptpengine:log_announce_interval', settings.intervals.announce)
  interval('logSyncInterval', 'ptpengine:log_sync_interval', settings.intervals.sync)
  interval('logMinDelayReqInterval', 'ptpengine:log_delayreq_interval', settings.intervals.delayReq)
  // Without it a slave sends Delay_Req every 1 s (ptpd's default) until the first Delay_Resp.
  set('ptpengine:log_delayreq_interval_initial', settings.intervals.delayReq.value, 'setting', from('logMinDelayReqInterval', settings.intervals.delayReq))
  interval('logMinPdelayReqInterval', 'ptpengine:log_peer_delayreq_interval', settings.intervals.pdelayReq)
  set('ptpengine:announce_receipt_timeout', settings.announceReceiptTimeout.value, 'setting', from('announceReceiptTimeout', settings.announceReceiptTimeout))
  set('ptpengine:priority1', settings.priority1.value, 'setting', from('priority1', settings.priority1))
  set('ptpengine:priority2', settings.priority2.value, 'setting', from('priority2', settings.priority2))

  const { preset, why } = presetFor(role, settings.clockClass.value)
  set('ptpengine:preset', preset, 'role', why)
  // The slave-only preset fixes clock_class at 255 and refuses any other value.
  if (preset !== 'slaveonly') set('ptpengine:clock_class', settings.clockClass.value, 'setting', from('clockClass', settings.clockClass))
  set('ptpengine:transport', transport, 'role', `transport ${input.transport} chosen for this run`)
  if (settings.dscp?.event) set('ptpengine:ip_dscp', settings.dscp.event.value, 'setting', from('dscp_event', settings.dscp.event))
  set('ptpengine:delay_mechanism', input.delayMechanism, 'role', 'delay mechanism chosen for this run')
  if (p.sdo.majorSdoId.value === 1 && input.transport === 'l2') set('ptpengine:dot2as', true, 'setting', `sdo.majorSdoId 1 (${p.sdo.majorSdoId.source})`)

  set('servo:delayfilter_stiffness', PTPD_LAB_DELAY_FILTER_STIFFNESS, 'lab', `the lab's delay filter: a time constant of ${2 ** PTPD_LAB_DELAY_FILTER_STIFFNESS} exchanges instead of ptpd's 64, so a path-delay step settles within the tests' waits`)

  for (const [key, value] of Object.entries(options)) {
    if (!SETTING_NAMES.has(key)) set(key, value, 'option', 'pass-through option')
  }

  const lines = [`; ptpd configuration generated by ptp-conform for profile '${p.id}', role ${role}`]
  for (const e of entries.values()) lines.push(`; ${e.layer}: ${e.why.replace(/\s+/g, ' ')}`, `${e.key} = ${e.value}`)
  return { text: lines.join('\n') + '\n', entries: [...entries.values()], settings }
}
