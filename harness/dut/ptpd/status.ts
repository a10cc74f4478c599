/**
 * ptpd 2.3.1's status file (global:status_file), parsed (pure). ptpd
 * rewrites it every status_update_interval seconds as `Label : value` lines:
 *
 *   Port state         :  PTP_SLAVE
 *   Local port ID      :  025043fffe001101(unknown)/1
 *   Best master ID     :  025043fffe000101(unknown)/1
 *   Offset from Master :  0.000000282 s, mean  0.000000136 s, dev  0.000000710 s
 *   Mean Path Delay    :  0.000002885 s, mean  0.000002414 s, dev  0.000000210 s
 *   GM priority        :  Priority1 128, Priority2 128, clockClass 248
 *
 * Lines the parser does not know are kept in `fields` and otherwise ignored.
 */
import type { PortIdentity } from '../../codec/types.ts'
import type { DutState, PortStateName } from '../types.ts'

export interface PtpdStatus {
  fields: Record<string, string>
  portState?: PortStateName
  localPort?: PortIdentity
  bestMaster?: PortIdentity
  bestMasterIsSelf?: boolean
  offsetFromMasterNs?: bigint
  meanPathDelayNs?: bigint
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

/** The DUT-neutral view; what the status file does not say stays undefined. */
export function ptpdStatusToState(st: PtpdStatus, readAt: number, ifname?: string): DutState {
  const state: DutState = { source: 'status-file', readAt, ports: [] }
  if (st.localPort) {
    state.clockIdentity = st.localPort.clockIdentity
    state.ports.push({ portNumber: st.localPort.portNumber, portIdentity: st.localPort, portState: st.portState ?? 'INITIALIZING', ...(ifname ? { ifname } : {}) })
  } else if (st.portState) {
    state.ports.push({ portNumber: 1, portState: st.portState, ...(ifname ? { ifname } : {}) })
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
