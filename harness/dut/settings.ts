/**
 * What the DUT is configured to do: the one owner of its domain, intervals, receipt
 * timeouts and priorities for a run. Tests judge the DUT's behaviour against these
 * values and, separately, each value against the profile's allowed range — never the
 * DUT against what it advertises about itself.
 *
 * In the lab the values are the profile's lab configuration plus `--dut-option`; on a
 * real device they are the profile defaults unless the DUT file states them.
 */
import type { BmcaVariant, DelayMechanismName, IntervalName, Profile, TransportName } from '../profiles/types.ts'
import type { DutOptions } from './types.ts'

/** Where a setting's value came from, shown next to every verdict that rests on it. */
export type SettingOrigin = 'lab configuration' | 'dut option' | 'DUT file' | 'DUT management' | 'advertised in the capture' | 'implementation default' | 'profile default'

/**
 * A capture does not say what the DUT was configured to do; `analyze` stands in what it
 * advertised, and a judge's "advertises its configured value" check cannot decide then.
 */
export const FROM_CAPTURE: SettingOrigin = 'advertised in the capture'

export interface DutSetting<T = number> {
  value: T
  origin: SettingOrigin
}

export interface DutSettings {
  mode: 'lab' | 'device'
  domainNumber: DutSetting
  transport: TransportName
  delayMechanism: DelayMechanismName
  /** log2 seconds of each message interval the DUT is configured with. */
  intervals: Record<IntervalName, DutSetting>
  announceReceiptTimeout: DutSetting
  syncReceiptTimeout?: DutSetting
  /** 802.1AS: above this mean link delay (ns) a port is not asCapable; where the profile has one. */
  neighborPropDelayThreshNs?: DutSetting
  /** 802.1AS: consecutive lost Pdelay responses a port tolerates before it is not asCapable. */
  allowedLostResponses?: DutSetting
  priority1: DutSetting
  priority2: DutSetting
  clockClass: DutSetting
  /**
   * UDP only: the DSCP of event (port 319) and general (port 320) messages. Unknown on a
   * device whose DUT file does not state it when the profile states none either.
   */
  dscp?: { event?: DutSetting; general?: DutSetting }
  /** Unicast negotiation: the durationField (s) the DUT asks for as a unicast slave; where the profile negotiates. */
  unicastRequestDuration?: DutSetting
  /** Unicast negotiation: how often (log2 s) the DUT as a unicast slave asks for and renews service. */
  unicastQueryInterval?: DutSetting
  /** Delay_Req per second the DUT as master is stated to answer in full (a data-sheet figure; ROB-07). Absent: none stated. */
  delayRequestCapacity?: DutSetting
  bmcaVariant: BmcaVariant
  /** Where the DUT file and the device's own management answers disagree (device mode). */
  disagreements?: string[]
}

/** The configuration names a DUT's settings are given under (1588 data-set member names). */
export const SETTING_KEYS = {
  domainNumber: 'domainNumber',
  announce: 'logAnnounceInterval',
  sync: 'logSyncInterval',
  delayReq: 'logMinDelayReqInterval',
  pdelayReq: 'logMinPdelayReqInterval',
  announceReceiptTimeout: 'announceReceiptTimeout',
  syncReceiptTimeout: 'syncReceiptTimeout',
  neighborPropDelayThresh: 'neighborPropDelayThresh',
  allowedLostResponses: 'allowedLostResponses',
  priority1: 'priority1',
  priority2: 'priority2',
  clockClass: 'clockClass',
  // No 1588 data set holds a DSCP: these are linuxptp's names, which DUT files use too.
  dscpEvent: 'dscp_event',
  dscpGeneral: 'dscp_general',
  // No data set holds the duration a unicast slave requests: linuxptp's name again.
  unicastRequestDuration: 'unicast_req_duration',
  // 1588-2019 16.2 calls the unicast query period logQueryInterval; so do linuxptp's master tables.
  unicastQueryInterval: 'logQueryInterval',
  // A claim about the DUT, not a setting of its stack: the harness judges ROB-07 against it.
  delayRequestCapacity: 'delayRequestCapacity',
} as const

/** Keys a DUT file or --dut-option gives the harness only: never written into a lab stack's configuration. */
export const HARNESS_ONLY_KEYS: ReadonlySet<string> = new Set([SETTING_KEYS.delayRequestCapacity])

export type SettingKey = keyof typeof SETTING_KEYS

export interface ResolveInput {
  profile: Profile
  mode: 'lab' | 'device'
  transport: TransportName
  delayMechanism: DelayMechanismName
  domainNumber: number
  /** Pass-through options (`--dut-option`), which win over the lab configuration. */
  options?: DutOptions
  /** Values a real device is known to be configured with: its management answers, else its DUT file. */
  declared?: Partial<Record<SettingKey, DutSetting>>
  /**
   * What the implementation uses where nothing configures a value (its built-in default or a
   * constant it cannot change), which beats the profile's default: a lab ptp4l that is not told
   * allowedLostResponses runs with 3, whatever the profile says.
   */
  implementation?: Partial<Record<SettingKey, DutSetting>>
  disagreements?: string[]
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

export function resolveDutSettings(i: ResolveInput): DutSettings {
  const p = i.profile
  const pick = (key: SettingKey, profileDefault: number | undefined): DutSetting | undefined => {
    const opt = num(i.options?.[SETTING_KEYS[key]])
    if (opt !== undefined) return { value: opt, origin: 'dut option' }
    if (i.mode === 'lab') {
      const lab = num(p.lab.ptp4l[SETTING_KEYS[key]])
      if (lab !== undefined) return { value: lab, origin: 'lab configuration' }
    } else if (i.declared?.[key] !== undefined) {
      return { ...i.declared[key]! }
    }
    if (i.implementation?.[key] !== undefined) return { ...i.implementation[key]! }
    return profileDefault === undefined ? undefined : { value: profileDefault, origin: 'profile default' }
  }
  const must = (key: SettingKey, profileDefault: number): DutSetting => pick(key, profileDefault)!
  const syncTimeout = pick('syncReceiptTimeout', p.timeouts.syncReceiptTimeout?.default.value)
  // Only where the profile has the threshold: a lab or option value alone does not make it apply.
  const thresh = p.peerDelay?.neighborPropDelayThreshNs ? pick('neighborPropDelayThresh', p.peerDelay.neighborPropDelayThreshNs.value) : undefined
  const lost = p.peerDelay?.allowedLostResponses ? pick('allowedLostResponses', p.peerDelay.allowedLostResponses.value) : undefined
  const udp = i.transport === 'udp4' ? p.transport.udp4 : i.transport === 'udp6' ? p.transport.udp6 : undefined
  const dscpEvent = udp ? pick('dscpEvent', udp.dscpEvent?.value) : undefined
  // A profile that states one DSCP means it for both (the general one defaults to it there).
  const dscpGeneral = udp ? pick('dscpGeneral', udp.dscpGeneral?.value ?? udp.dscpEvent?.value) : undefined
  const negotiates = p.transport.unicastNegotiation !== 'forbidden'
  const grant = negotiates && p.transport.grantDuration ? pick('unicastRequestDuration', p.transport.grantDuration.default.value) : undefined
  const query = negotiates ? pick('unicastQueryInterval', undefined) : undefined
  const capacity = pick('delayRequestCapacity', undefined)
  return {
    mode: i.mode,
    // The session's domain is the one the run transmits in; it was chosen from these same sources.
    domainNumber: { value: i.domainNumber, origin: num(i.options?.domainNumber) !== undefined ? 'dut option' : i.mode === 'lab' ? 'lab configuration' : 'profile default' },
    transport: i.transport,
    delayMechanism: i.delayMechanism,
    intervals: {
      announce: must('announce', p.intervals.announce.default.value),
      sync: must('sync', p.intervals.sync.default.value),
      delayReq: must('delayReq', p.intervals.delayReq?.default.value ?? 0),
      pdelayReq: must('pdelayReq', p.intervals.pdelayReq?.default.value ?? 0),
    },
    announceReceiptTimeout: must('announceReceiptTimeout', p.timeouts.announceReceiptTimeout.default.value),
    ...(syncTimeout ? { syncReceiptTimeout: syncTimeout } : {}),
    ...(thresh ? { neighborPropDelayThreshNs: thresh } : {}),
    ...(lost ? { allowedLostResponses: lost } : {}),
    priority1: must('priority1', p.priorities.priority1.default.value),
    priority2: must('priority2', p.priorities.priority2.default.value),
    clockClass: must('clockClass', p.clockClass.default.value),
    ...(udp ? { dscp: { ...(dscpEvent ? { event: dscpEvent } : {}), ...(dscpGeneral ? { general: dscpGeneral } : {}) } } : {}),
    ...(grant ? { unicastRequestDuration: grant } : {}),
    ...(query ? { unicastQueryInterval: query } : {}),
    ...(capacity ? { delayRequestCapacity: capacity } : {}),
    bmcaVariant: p.bmca.variant,
    ...(i.disagreements?.length ? { disagreements: [...i.disagreements] } : {}),
  }
}

/**
 * A device's configured values from its DUT file (`settings:`) and from its management
 * answers (DEFAULT_DATA_SET, PORT_DATA_SET) read at session start: the device's own answer
 * is what it runs with, so it wins; every value where the two differ is reported.
 */
export function declaredDeviceSettings(
  file: Partial<Record<string, number>> | undefined,
  managed: Partial<Record<SettingKey, number>> | undefined,
): { declared: Partial<Record<SettingKey, DutSetting>>; disagreements: string[] } {
  const declared: Partial<Record<SettingKey, DutSetting>> = {}
  const disagreements: string[] = []
  for (const key of Object.keys(SETTING_KEYS) as SettingKey[]) {
    const name = SETTING_KEYS[key]
    const f = file?.[name]
    const m = managed?.[key]
    if (m !== undefined) declared[key] = { value: m, origin: 'DUT management' }
    else if (f !== undefined) declared[key] = { value: f, origin: 'DUT file' }
    if (f !== undefined && m !== undefined && f !== m) disagreements.push(`${name}: the DUT file says ${f}, the device answers ${m}`)
  }
  return { declared, disagreements }
}

/** "2^-3 s (lab configuration)" — how a setting is quoted in a check's detail. */
export function describeSetting(name: string, s: DutSetting, unit = ''): string {
  return `${name} ${s.value}${unit} (${s.origin})`
}

/** The configured log intervals as plain numbers (what emulated peers of the DUT run with). */
export function configuredIntervals(s: DutSettings): Record<IntervalName, number> {
  return { announce: s.intervals.announce.value, sync: s.intervals.sync.value, delayReq: s.intervals.delayReq.value, pdelayReq: s.intervals.pdelayReq.value }
}

/** The settings as "value (origin)" lines under their 1588 names: what the report shows the DUT was judged against. */
export function settingsTable(s: DutSettings): Record<string, string> {
  const row = (d: DutSetting | undefined) => (d ? `${d.value} (${d.origin})` : undefined)
  const out: Record<string, string | undefined> = {
    domainNumber: row(s.domainNumber),
    logAnnounceInterval: row(s.intervals.announce),
    logSyncInterval: row(s.intervals.sync),
    ...(s.delayMechanism === 'E2E' ? { logMinDelayReqInterval: row(s.intervals.delayReq) } : { logMinPdelayReqInterval: row(s.intervals.pdelayReq) }),
    announceReceiptTimeout: row(s.announceReceiptTimeout),
    syncReceiptTimeout: row(s.syncReceiptTimeout),
    priority1: row(s.priority1),
    priority2: row(s.priority2),
    clockClass: row(s.clockClass),
    dscp_event: row(s.dscp?.event),
    dscp_general: row(s.dscp?.general),
    unicast_req_duration: row(s.unicastRequestDuration),
    logQueryInterval: row(s.unicastQueryInterval),
    delayRequestCapacity: row(s.delayRequestCapacity),
    bmca: s.bmcaVariant,
    ...(s.disagreements?.length ? { 'DUT file vs management': s.disagreements.join('; ') } : {}),
  }
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined))
}
