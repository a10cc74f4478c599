/**
 * MF-05 — transport and addressing per profile, judged from the addressing the capture
 * recorded with each of the DUT's frames: EtherType and destination MAC (Annex F; 802.1AS:
 * every message to 01-80-C2-00-00-0E), or on UDP the multicast group (Annex C / E) and the
 * port by message class (event 319, general 320). The 802.1Q tag and the DSCP are MF-06's.
 * A frame whose addressing the capture did not keep cannot be judged: that is the harness's
 * limit (inconclusive), never the DUT's pass.
 */
import { isEventMessage, isPeerDelayMessage } from '../../harness/codec/constants.ts'
import { addressingCheck } from '../support/addressing_check.ts'
import { isMulticastIp, isMulticastMac } from '../support/destination.ts'
import { type Check, describeFrame, dutFrames, exactCheck, type Profile, type RecordedFrame, passiveOnDutMaster } from '../kit.ts'

const norm = (mac: string | undefined) => mac?.toLowerCase().replace(/-/g, ':')
/** FF0X::181 with any scope X (Annex E); the scope is reported, not failed. */
const isV6Primary = (ip: string) => /^ff0[0-9a-f]::181$/i.test(ip)
const ANNEX_F_ETHERTYPE = 0x88f7

const what = describeFrame

/** EtherType from the link-layer frame, past any 802.1Q tag; undefined when the capture kept no link header. */
function etherTypeOf(f: RecordedFrame): number | undefined {
  const r = f.raw
  if (!r || r.length < 14) return undefined
  let at = 12
  while (at + 4 <= r.length && ((r[at]! << 8) | r[at + 1]!) === 0x8100) at += 4
  return (r[at]! << 8) | r[at + 1]!
}

function judgeL2(profile: Profile, frames: RecordedFrame[]): Check[] {
  const t = profile.transport
  const checks: Check[] = []
  const l2 = t.l2
  const unicastOk = t.unicast !== 'forbidden'
  // EtherType: measurable only where the capture kept the link header.
  const etherType = l2?.etherType?.value ?? ANNEX_F_ETHERTYPE
  const withRaw = frames.filter((f) => etherTypeOf(f) !== undefined)
  if (withRaw.length) {
    const wrong = withRaw.filter((f) => etherTypeOf(f) !== etherType).map((f) => `${what(f)} with EtherType 0x${etherTypeOf(f)!.toString(16)}`)
    checks.push(addressingCheck(`frames with EtherType ≠ 0x${etherType.toString(16).toUpperCase()}`, '= 0', l2?.etherType?.source ?? 'IEEE 1588-2019 Annex F', wrong, [], withRaw.length))
  }
  const wrongDest: string[] = []
  const noDest: string[] = []
  for (const f of frames) {
    const pdelay = isPeerDelayMessage(f.message!.header.messageType)
    const want = [norm(pdelay ? (l2?.pdelayMac ?? l2?.primaryMac)?.value : l2?.primaryMac.value), ...(l2?.acceptedMacs?.value ?? []).map(norm)].filter((x): x is string => !!x)
    const dst = norm(f.dstMac)
    if (!dst) noDest.push(what(f))
    else if (!isMulticastMac(dst) ? !unicastOk : !want.includes(dst)) wrongDest.push(`${what(f)} to ${dst} (expected ${want.join(' or ')}${unicastOk ? ' or a unicast address' : ''})`)
  }
  const destSource = [l2?.primaryMac.source, l2?.pdelayMac?.source].filter(Boolean).join('; ') || t.source
  checks.push(addressingCheck('frames to a wrong destination MAC', '= 0', destSource, wrongDest, noDest, frames.length - noDest.length))

  return checks
}

function judgeUdp(profile: Profile, transport: 'udp4' | 'udp6', frames: RecordedFrame[]): Check[] {
  const t = profile.transport
  const map = transport === 'udp4' ? t.udp4 : t.udp6
  const annex = transport === 'udp4' ? 'IEEE 1588-2019 Annex C' : 'IEEE 1588-2019 Annex E'
  const unicastOk = t.unicast !== 'forbidden'
  const wrongDest: string[] = []
  const noDest: string[] = []
  const wrongPort: string[] = []
  const noPort: string[] = []
  for (const f of frames) {
    const m = f.message!
    const pdelay = isPeerDelayMessage(m.header.messageType)
    const group = (pdelay ? map?.pdelay : map?.primary)?.value?.toLowerCase()
    const ip = f.dstIp?.toLowerCase()
    if (!ip) noDest.push(what(f))
    else if (!isMulticastIp(ip)) {
      if (!unicastOk) wrongDest.push(`${what(f)} unicast to ${ip}, which the profile forbids`)
    } else if (group && ip !== group && !(transport === 'udp6' && !pdelay && isV6Primary(ip) && isV6Primary(group))) {
      wrongDest.push(`${what(f)} to ${ip} (expected ${group})`)
    }
    const port = isEventMessage(m.header.messageType) ? (map?.eventPort.value ?? 319) : (map?.generalPort.value ?? 320)
    if (f.dstPort === undefined) noPort.push(what(f))
    else if (f.dstPort !== port) wrongPort.push(`${what(f)} to port ${f.dstPort} (expected ${port}, ${isEventMessage(m.header.messageType) ? 'event' : 'general'} message)`)
  }
  const destSource = [map?.primary?.source, map?.pdelay?.source].filter(Boolean).join('; ') || annex
  return [
    addressingCheck('frames to a wrong multicast group', '= 0', destSource, wrongDest, noDest, frames.length - noDest.length),
    addressingCheck('frames to a wrong UDP port (event 319 / general 320)', '= 0', `${annex}; ${map?.eventPort.source ?? ''}`.replace(/; $/, ''), wrongPort, noPort, frames.length - noPort.length),
  ]
}

export default passiveOnDutMaster({
  id: 'MF-05',
  title: 'Transport and addressing follow the profile',
  area: 'MF',
  clause: 'IEEE 1588-2019 Annex C, E, F; profile transport rules',
  mapsTo: ['linuxptp configs/*.cfg ptp_dst_mac', 'openshift ptp-operator addressing checks'],
  tags: ['passive', 'format', 'fast'],
  severity: 'critical',
  estimatedSeconds: 25,
  criteria: {
    pass: 'the transport is one the profile allows and every frame of the DUT goes to the profile\'s address for its message type (EtherType and MAC, or multicast group and UDP port)',
    fail: 'a frame goes to another destination MAC, multicast group or UDP port, or carries another EtherType',
  },
  judgeObserved(ev, profile) {
    const t = profile.transport
    const transport = ev.session.transport
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber).filter((f) => f.message)
    const checks: Check[] = [exactCheck('transport in use is one the profile allows', t.allowed.includes(transport), true, t.source, { detail: `${transport}; allowed: ${t.allowed.join(', ')}` })]
    checks.push(...(transport === 'l2' ? judgeL2(profile, frames) : judgeUdp(profile, transport, frames)))
    const sample = frames.slice(0, 5).map((f) => ({ type: f.message!.type, dstMac: f.dstMac, dstIp: f.dstIp, dstPort: f.dstPort }))
    return { checks, measurements: { frames: frames.length, transport, sampleAddressing: sample, linkHeaderKept: frames.filter((f) => f.raw).length } }
  },
})
