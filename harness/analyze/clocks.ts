/**
 * The PTP clocks a capture shows: who sent what, from which addresses, in which domains and
 * sdoIds, and the role their traffic implies. `chooseDut` picks the device under test by
 * clockIdentity, MAC or IP, or the one obvious grandmaster when none is named.
 */
import { normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { Recorder } from '../recorder/recorder.ts'
import type { RecordedFrame } from '../recorder/frame.ts'

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

/** The clocks seen so far, tallied frame by frame (a capture's stream is never held whole). */
export class ClockTally {
  private readonly byId = new Map<string, ClockSeen>()

  add(f: Pick<RecordedFrame, 'message' | 'srcMac' | 'srcIp' | 'transport'>): void {
    const m = f.message
    if (!m) return
    const id = normalizeClockIdentity(m.header.sourcePortIdentity.clockIdentity)
    let c = this.byId.get(id)
    if (!c) this.byId.set(id, (c = { clockIdentity: id, ports: [], macs: [], ips: [], role: 'other', counts: {}, domains: [], majorSdoIds: [], transports: [] }))
    add(c.ports, m.header.sourcePortIdentity.portNumber)
    add(c.macs, f.srcMac?.toLowerCase())
    add(c.ips, f.srcIp)
    add(c.domains, m.header.domainNumber)
    add(c.majorSdoIds, m.header.majorSdoId)
    add(c.transports, f.transport)
    c.counts[m.type] = (c.counts[m.type] ?? 0) + 1
  }

  /** Each clock with the role its traffic implies, the busiest Sync sender first. */
  list(): ClockSeen[] {
    const out = [...this.byId.values()].map((c) => ({ ...c, role: roleOf(c.counts) }))
    return out.sort((a, b) => (b.counts.Sync ?? 0) - (a.counts.Sync ?? 0) || a.clockIdentity.localeCompare(b.clockIdentity))
  }
}

function roleOf(counts: Record<string, number>): ClockSeen['role'] {
  const n = (t: string) => counts[t] ?? 0
  return n('Announce') && n('Sync') ? 'grandmaster'
    : n('Sync') ? 'master'
    : n('Delay_Req') ? 'slave'
    : n('Pdelay_Req') || n('Pdelay_Resp') ? 'peer-delay only'
    : 'other'
}

export function clocksIn(recorder: Recorder): ClockSeen[] {
  const tally = new ClockTally()
  for (const f of recorder.frames) tally.add(f)
  return tally.list()
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
