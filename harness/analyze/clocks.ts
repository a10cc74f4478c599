/**
 * The PTP clocks a capture shows: who sent what, from which addresses, in which domains and
 * sdoIds, and the role their traffic implies. `chooseDut` picks the device under test by
 * clockIdentity, MAC or IP, or the one obvious grandmaster when none is named.
 */
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { Recorder } from '../recorder/recorder.ts'

export interface ClockSeen {
  clockIdentity: string
  ports: number[]
  macs: string[]
  ips: string[]
  /** As the traffic shows it: a grandmaster sends Announce and Sync; a slave Delay_Req; a peer only peer delay. */
  role: 'grandmaster' | 'master' | 'slave' | 'peer-delay only' | 'other'
  counts: Record<string, number>
  domains: number[]
  majorSdoIds: number[]
  transports: string[]
}

const add = <T>(list: T[], v: T | undefined) => {
  if (v !== undefined && !list.includes(v)) list.push(v)
}

export function clocksIn(recorder: Recorder): ClockSeen[] {
  const byId = new Map<string, ClockSeen>()
  for (const f of recorder.query()) {
    const m = f.message
    if (!m) continue
    const id = normalizeClockIdentity(m.header.sourcePortIdentity.clockIdentity)
    let c = byId.get(id)
    if (!c) byId.set(id, (c = { clockIdentity: id, ports: [], macs: [], ips: [], role: 'other', counts: {}, domains: [], majorSdoIds: [], transports: [] }))
    add(c.ports, m.header.sourcePortIdentity.portNumber)
    add(c.macs, f.srcMac?.toLowerCase())
    add(c.ips, f.srcIp)
    add(c.domains, m.header.domainNumber)
    add(c.majorSdoIds, m.header.majorSdoId)
    add(c.transports, f.transport)
    c.counts[m.type] = (c.counts[m.type] ?? 0) + 1
  }
  for (const c of byId.values()) {
    const n = (t: string) => c.counts[t] ?? 0
    c.role =
      n('Announce') && n('Sync') ? 'grandmaster'
      : n('Sync') ? 'master'
      : n('Delay_Req') ? 'slave'
      : n('Pdelay_Req') || n('Pdelay_Resp') ? 'peer-delay only'
      : 'other'
  }
  return [...byId.values()].sort((a, b) => (b.counts.Sync ?? 0) - (a.counts.Sync ?? 0) || a.clockIdentity.localeCompare(b.clockIdentity))
}

/** One line per clock for `analyze` without `--dut`. */
export function describeClock(c: ClockSeen): string {
  const counts = Object.entries(c.counts).map(([t, n]) => `${n} ${t}`).join(', ')
  const addr = [...c.macs, ...c.ips].join(' ')
  return `${c.clockIdentity} ${c.role.padEnd(15)} ${addr} domains ${c.domains.join(',')} majorSdoId ${c.majorSdoIds.join(',')} ${c.transports.join(',')}: ${counts}`
}

/** The DUT: the clock named by identity, MAC or IP; unnamed, the only grandmaster. A string says why none was chosen. */
export function chooseDut(clocks: readonly ClockSeen[], wanted?: string): ClockSeen | string {
  if (wanted) {
    const w = wanted.toLowerCase().replace(/-/g, ':')
    const hit = clocks.filter((c) => {
      try {
        if (c.clockIdentity === normalizeClockIdentity(wanted)) return true
      } catch {
        // not a clockIdentity: try it as an address
      }
      return c.macs.includes(w) || c.ips.includes(wanted)
    })
    if (hit.length === 1) return hit[0]!
    return hit.length ? `--dut ${wanted} matches ${hit.length} clocks` : `no clock in the capture has identity, MAC or IP ${wanted}`
  }
  const gms = clocks.filter((c) => c.role === 'grandmaster')
  if (gms.length === 1) return gms[0]!
  return gms.length ? `${gms.length} clocks send Announce and Sync: choose one with --dut` : 'no clock in the capture sends Announce and Sync: choose one with --dut'
}
