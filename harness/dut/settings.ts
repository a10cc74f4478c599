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
export type SettingOrigin = 'lab configuration' | 'dut option' | 'DUT file' | 'profile default'

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
  priority1: DutSetting
  priority2: DutSetting
  clockClass: DutSetting
  bmcaVariant: BmcaVariant
}

/** The configuration names a DUT's settings are given under (1588 data-set member names). */
const KEYS = {
  domainNumber: 'domainNumber',
  announce: 'logAnnounceInterval',
  sync: 'logSyncInterval',
  delayReq: 'logMinDelayReqInterval',
  pdelayReq: 'logMinPdelayReqInterval',
  announceReceiptTimeout: 'announceReceiptTimeout',
  syncReceiptTimeout: 'syncReceiptTimeout',
  priority1: 'priority1',
  priority2: 'priority2',
  clockClass: 'clockClass',
} as const

export interface ResolveInput {
  profile: Profile
  mode: 'lab' | 'device'
  transport: TransportName
  delayMechanism: DelayMechanismName
  domainNumber: number
  /** Pass-through options (`--dut-option`), which win over the lab configuration. */
  options?: DutOptions
  /** Values the DUT file states for a real device. */
  declared?: Partial<Record<keyof typeof KEYS, number>>
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

export function resolveDutSettings(i: ResolveInput): DutSettings {
  const p = i.profile
  const pick = (key: keyof typeof KEYS, profileDefault: number | undefined): DutSetting | undefined => {
    const opt = num(i.options?.[KEYS[key]])
    if (opt !== undefined) return { value: opt, origin: 'dut option' }
    if (i.mode === 'lab') {
      const lab = num(p.lab.ptp4l[KEYS[key]])
      if (lab !== undefined) return { value: lab, origin: 'lab configuration' }
    } else if (i.declared?.[key] !== undefined) {
      return { value: i.declared[key]!, origin: 'DUT file' }
    }
    return profileDefault === undefined ? undefined : { value: profileDefault, origin: 'profile default' }
  }
  const must = (key: keyof typeof KEYS, profileDefault: number): DutSetting => pick(key, profileDefault)!
  const syncTimeout = pick('syncReceiptTimeout', p.timeouts.syncReceiptTimeout?.default.value)
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
    priority1: must('priority1', p.priorities.priority1.default.value),
    priority2: must('priority2', p.priorities.priority2.default.value),
    clockClass: must('clockClass', p.clockClass.default.value),
    bmcaVariant: p.bmca.variant,
  }
}

/** "2^-3 s (lab configuration)" — how a setting is quoted in a check's detail. */
export function describeSetting(name: string, s: DutSetting, unit = ''): string {
  return `${name} ${s.value}${unit} (${s.origin})`
}

/** The configured log intervals as plain numbers (what emulated peers of the DUT run with). */
export function configuredIntervals(s: DutSettings): Record<IntervalName, number> {
  return { announce: s.intervals.announce.value, sync: s.intervals.sync.value, delayReq: s.intervals.delayReq.value, pdelayReq: s.intervals.pdelayReq.value }
}
