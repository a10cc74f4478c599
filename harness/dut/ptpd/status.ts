/**
 * ptpd 2.3.1's status file (global:status_file), parsed (pure). ptpd
 * rewrites it every status_update_interval seconds as `Label : value` lines:
 *
 *   Port state         :  PTP_SLAVE
 *   Local port ID      :  025043fffe001101(unknown)/1
 *   Best master ID     :  025043fffe000101(unknown)/1
 *   Offset from Master :  0.000000282 s, mean  0.000000136 s, dev  0.000000710 s
 *   Mean Path Delay    :  0.000002885 s, mean  0.000002414 s, dev  0.000000210 s
 *   Mean Path (p)Delay :  0.000002885 s          (P2P instead of the line above)
 *   GM priority        :  Priority1 128, Priority2 128, clockClass 248
 *
 * Lines the parser does not know are kept in `fields` and otherwise ignored.
 */
import type { PortIdentity } from '../../codec/types.ts'
import type { DutPortState, DutState, PortStateName } from '../types.ts'

export interface PtpdStatus {
  fields: Record<string, string>
  portState?: PortStateName
  localPort?: PortIdentity
  bestMaster?: PortIdentity
  bestMasterIsSelf?: boolean
  offsetFromMasterNs?: bigint
  meanPathDelayNs?: bigint
  /** P2P: the peer's mean path delay (src/dep/sys.c writes it instead of Mean Path Delay). */
  peerMeanPathDelayNs?: bigint
  delayMechanism?: 'E2E' | 'P2P' | 'DISABLED'
  domainNumber?: number
  priority1?: number
  priority2?: number
  clockClass?: number
  gmPriority1?: number
  gmPriority2?: number
  gmClockClass?: number
}

/** '025043fffe001101(unknown)/1' → { clockIdentity: '025043.fffe.001101', portNumber: 1 }. */
export function parsePtpdPortId(s: string): PortIdentity | undefined {
  const m = /^([0-9a-f]{16})(?:\([^)]*\))?\/(\d+)/i.exec(s.trim())
  if (!m) return undefined
  const h = m[1]!.toLowerCase()
  return { clockIdentity: `${h.slice(0, 6)}.${h.slice(6, 10)}.${h.slice(10)}`, portNumber: Number(m[2]) }
}

/** '0.000000282 s' or '-0.000001234 s' → nanoseconds, exactly (decimal string, no float). */
export function secondsToNs(s: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d{0,9}))?\s*s?\b/.exec(s)
  if (!m) return undefined
  const ns = BigInt(m[2]!) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'))
  return m[1] === '-' ? -ns : ns
}

const STATES: Record<string, PortStateName> = {
  PTP_INITIALIZING: 'INITIALIZING',
  PTP_FAULTY: 'FAULTY',
  PTP_DISABLED: 'DISABLED',
  PTP_LISTENING: 'LISTENING',
  PTP_PRE_MASTER: 'PRE_MASTER',
  PTP_MASTER: 'MASTER',
  PTP_PASSIVE: 'PASSIVE',
  PTP_UNCALIBRATED: 'UNCALIBRATED',
  PTP_SLAVE: 'SLAVE',
}

export function parsePtpdStatus(text: string): PtpdStatus {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const i = line.indexOf(':')
    if (i <= 0) continue
    const key = line.slice(0, i).trim()
    if (!key || key in fields) continue
    fields[key] = line.slice(i + 1).trim()
  }
  const st: PtpdStatus = { fields }
  const ps = fields['Port state']
  if (ps) st.portState = STATES[ps.split(/\s/)[0]!]
  if (fields['Local port ID']) st.localPort = parsePtpdPortId(fields['Local port ID'])
  if (fields['Best master ID']) {
    st.bestMaster = parsePtpdPortId(fields['Best master ID'])
    st.bestMasterIsSelf = /\(self\)/.test(fields['Best master ID'])
  }
  if (fields['Offset from Master']) st.offsetFromMasterNs = secondsToNs(fields['Offset from Master'])
  if (fields['Mean Path Delay']) st.meanPathDelayNs = secondsToNs(fields['Mean Path Delay'])
  if (fields['Mean Path (p)Delay']) st.peerMeanPathDelayNs = secondsToNs(fields['Mean Path (p)Delay'])
  const dm = /^(E2E|P2P|DELAY_DISABLED)\b/.exec(fields['Delay mechanism'] ?? '')?.[1]
  if (dm) st.delayMechanism = dm === 'DELAY_DISABLED' ? 'DISABLED' : (dm as 'E2E' | 'P2P')
  if (fields['PTP domain']) st.domainNumber = Number(fields['PTP domain'])
  if (fields['Priority1']) st.priority1 = Number(fields['Priority1'])
  if (fields['Priority2']) st.priority2 = Number(fields['Priority2'])
  if (fields['ClockClass']) st.clockClass = Number(fields['ClockClass'])
  const gm = /Priority1\s+(\d+),\s*Priority2\s+(\d+),\s*clockClass\s+(\d+)/.exec(fields['GM priority'] ?? '')
  if (gm) {
    st.gmPriority1 = Number(gm[1])
    st.gmPriority2 = Number(gm[2])
    st.gmClockClass = Number(gm[3])
  }
  return st
}

function portExtras(st: PtpdStatus, ifname?: string): Partial<DutPortState> {
  return {
    ...(ifname ? { ifname } : {}),
    ...(st.delayMechanism ? { delayMechanism: st.delayMechanism } : {}),
    ...(st.peerMeanPathDelayNs !== undefined ? { peerMeanPathDelayNs: st.peerMeanPathDelayNs } : {}),
  }
}

/**
 * ptpd's statistics log (global:statistics_file, unix timestamps), one CSV line per
 * Sync / Delay_Resp received. In SLAVE its third field is the parent port identity,
 * followed without a separator by the grandmaster identity when that differs from the
 * parent's clock (src/dep/sys.c logStatistics); the status file never names the
 * grandmaster, so this is where its identity comes from:
 *
 *   1764770000.123456789, slv, 025043fffe000143(unknown)/1, 0.000002885, ...
 *   1764770000.123456789, slv, 025043fffe000101(unknown)/1025043fffe000143, ...
 */
export interface PtpdStatisticsLine {
  /** When ptpd wrote it (CLOCK_REALTIME, which the lab's ptpd never adjusts). */
  atNs: bigint
  state: string
  parent?: PortIdentity
  grandmasterIdentity?: string
}

export function parsePtpdStatisticsLine(line: string): PtpdStatisticsLine | undefined {
  const f = line.split(',').map((x) => x.trim())
  const t = /^(\d+)\.(\d+)$/.exec(f[0] ?? '')
  if (f.length < 3 || !t) return undefined
  // ptpd prints "%d.%06d" of seconds and nanoseconds: the part after the dot is an integer count of ns.
  const out: PtpdStatisticsLine = { atNs: BigInt(t[1]!) * 1_000_000_000n + BigInt(t[2]!), state: f[1]! }
  const m = /^([0-9a-f]{16}(?:\([^)]*\))?\/\d+)([0-9a-f]{16})?$/i.exec(f[2]!)
  if (!m) return out
  out.parent = parsePtpdPortId(m[1]!)
  const gm = (m[2] ?? m[1]!.slice(0, 16)).toLowerCase()
  out.grandmasterIdentity = `${gm.slice(0, 6)}.${gm.slice(6, 10)}.${gm.slice(10)}`
  return out
}

/** The last complete line of a statistics log tail, if any. */
export function lastStatistics(tail: string): PtpdStatisticsLine | undefined {
  const lines = tail.split('\n')
  lines.pop() // the part after the last newline may be half-written
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = parsePtpdStatisticsLine(lines[i]!)
    if (l) return l
  }
  return undefined
}

const sameIdentity = (a?: PortIdentity, b?: PortIdentity) => !!a && !!b && a.clockIdentity === b.clockIdentity && a.portNumber === b.portNumber

/**
 * Adds what the statistics log knows to the status file's state. The status file is
 * rewritten once a second, the statistics log at every Sync / Delay_Resp, so the newer
 * of the two says whom the DUT follows:
 *  - a slave line written after the status file: the DUT was SLAVE of that parent and
 *    grandmaster then (a change of master shows within a Sync interval, not a second);
 *  - otherwise its grandmaster only, when the status file is SLAVE of the same parent.
 */
export function withStatistics(state: DutState, stats: PtpdStatisticsLine | undefined, statusWrittenAtNs: bigint): DutState {
  if (!stats || stats.state !== 'slv' || !stats.parent || !stats.grandmasterIdentity) return state
  const port = state.ports[0]
  if (stats.atNs > statusWrittenAtNs && port) {
    const out: DutState = { ...state, ports: [{ ...port, portState: 'SLAVE' }, ...state.ports.slice(1)], parentPortIdentity: stats.parent, grandmasterIdentity: stats.grandmasterIdentity }
    if (!sameIdentity(state.parentPortIdentity, stats.parent) || state.ports[0]?.portState !== 'SLAVE') {
      // The status file's grandmaster attributes and stepsRemoved describe another master (or none).
      delete out.grandmasterPriority1
      delete out.grandmasterPriority2
      delete out.stepsRemoved
    }
    return out
  }
  if (state.grandmasterIdentity || port?.portState !== 'SLAVE' || !sameIdentity(state.parentPortIdentity, stats.parent)) return state
  return { ...state, grandmasterIdentity: stats.grandmasterIdentity }
}

/** The DUT-neutral view; what the status file does not say stays undefined. */
export function ptpdStatusToState(st: PtpdStatus, readAt: number, ifname?: string): DutState {
  const state: DutState = { source: 'status-file', readAt, ports: [] }
  if (st.localPort) {
    state.clockIdentity = st.localPort.clockIdentity
    state.ports.push({ portNumber: st.localPort.portNumber, portIdentity: st.localPort, portState: st.portState ?? 'INITIALIZING', ...portExtras(st, ifname) })
  } else if (st.portState) {
    state.ports.push({ portNumber: 1, portState: st.portState, ...portExtras(st, ifname) })
  }
  if (st.domainNumber !== undefined) state.domainNumber = st.domainNumber
  if (st.priority1 !== undefined) state.priority1 = st.priority1
  if (st.priority2 !== undefined) state.priority2 = st.priority2
  if (st.bestMaster) {
    // "Best master" is the parent; it names the grandmaster only when it is this clock itself.
    state.parentPortIdentity = st.bestMaster
    if (st.bestMasterIsSelf) {
      state.grandmasterIdentity = st.bestMaster.clockIdentity
      state.stepsRemoved = 0
    }
  }
  if (st.gmPriority1 !== undefined) state.grandmasterPriority1 = st.gmPriority1
  if (st.gmPriority2 !== undefined) state.grandmasterPriority2 = st.gmPriority2
  if (st.offsetFromMasterNs !== undefined) state.offsetFromMasterNs = st.offsetFromMasterNs
  if (st.meanPathDelayNs !== undefined) state.meanPathDelayNs = st.meanPathDelayNs
  return state
}
