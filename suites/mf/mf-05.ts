/**
 * MF-05 — transport and addressing per profile: destination MAC (Annex F) or
 * multicast group (Annex C / E), UDP port by message class (event 319, general 320),
 * and the VLAN rule (power profile: tag required with a priority; gPTP, G.8275.1: none).
 */
import { isEventMessage, isPeerDelayMessage } from '../../harness/codec/constants.ts'
import { conformance } from '../../harness/run/definition.ts'
import { type Check, exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'

const norm = (mac: string | undefined) => mac?.toLowerCase().replace(/-/g, ':')

export default conformance({
  id: 'MF-05',
  title: 'Transport and addressing follow the profile',
  area: 'MF',
  clause: 'IEEE 1588-2019 Annex C, E, F; profile transport rules',
  mapsTo: ['linuxptp configs/*.cfg ptp_dst_mac', 'openshift ptp-operator addressing checks'],
  tags: ['passive', 'format', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const t = ctx.profile.transport
    const transport = ctx.session.transport
    const frames = o.fromDut.filter((f) => f.message)
    const checks: Check[] = []
    checks.push({
      name: 'transport in use',
      measured: transport,
      limit: `one of ${t.allowed.join(', ')}`,
      source: t.source,
      verdict: t.allowed.includes(transport) ? 'pass' : 'fail',
    })
    const wrongDest: string[] = []
    const wrongPort: string[] = []
    for (const f of frames) {
      const m = f.message!
      const pdelay = isPeerDelayMessage(m.header.messageType)
      if (transport === 'l2') {
        const want = [norm(pdelay ? (t.l2?.pdelayMac ?? t.l2?.primaryMac)?.value : t.l2?.primaryMac.value), ...(t.l2?.acceptedMacs?.value ?? []).map(norm)]
        if (!want.includes(norm(f.dstMac))) wrongDest.push(`${m.type} #${m.header.sequenceId} to ${f.dstMac} (expected ${want.filter(Boolean).join(' or ')})`)
      } else {
        const map = transport === 'udp4' ? t.udp4 : t.udp6
        const group = (pdelay ? map?.pdelay : map?.primary)?.value
        if (group && f.dstIp && f.dstIp.toLowerCase() !== group.toLowerCase()) wrongDest.push(`${m.type} #${m.header.sequenceId} to ${f.dstIp} (expected ${group})`)
        const port = isEventMessage(m.header.messageType) ? (map?.eventPort.value ?? 319) : (map?.generalPort.value ?? 320)
        if (f.dstPort !== undefined && f.dstPort !== port) wrongPort.push(`${m.type} #${m.header.sequenceId} to port ${f.dstPort} (expected ${port})`)
      }
    }
    const src = transport === 'l2' ? (t.l2?.primaryMac.source ?? t.source) : ((transport === 'udp4' ? t.udp4 : t.udp6)?.primary?.source ?? t.source)
    checks.push(exactCheck('frames to a wrong destination address', wrongDest.length, 0, src, { detail: wrongDest[0] }))
    if (transport !== 'l2') checks.push(exactCheck('frames to a wrong UDP port (event 319 / general 320)', wrongPort.length, 0, 'IEEE 1588-2019 C.3, E.3', { detail: wrongPort[0] }))

    if (transport === 'l2') {
      const tagged = frames.filter((f) => f.vlan)
      const v = t.vlan
      if (v.rule === 'required') {
        checks.push(exactCheck('frames without the required 802.1Q tag', frames.length - tagged.length, 0, v.source, { unconfirmed: v.unconfirmed }))
        if (v.priority) {
          const wrongPcp = tagged.filter((f) => f.vlan!.pcp !== v.priority!.value)
          checks.push(exactCheck(`tagged frames with priority ≠ ${v.priority.value}`, wrongPcp.length, 0, v.priority.source, { unconfirmed: v.priority.unconfirmed }))
        }
      } else if (v.rule === 'forbidden') {
        checks.push(exactCheck('frames carrying an 802.1Q tag', tagged.length, 0, v.source, { unconfirmed: v.unconfirmed }))
      } else {
        checks.push({ name: 'frames carrying an 802.1Q tag (optional under this profile)', measured: tagged.length, limit: 'any', source: v.source, verdict: 'pass' })
      }
    }
    return { checks, measurements: { frames: frames.length, wrongDestinations: wrongDest.slice(0, 20), wrongPorts: wrongPort.slice(0, 20) } }
  },
})
