/**
 * MF-06 — QoS marking of the DUT's frames, from the shared observation:
 *  - the profile's 802.1Q rule: C37.238-2011 requires a tag with priority 4; 802.1AS and
 *    G.8275.1 send untagged frames. Judged on every frame whose link header was kept.
 *  - on UDP, the DSCP of event messages (port 319) and of general ones (320) against what the
 *    DUT is configured to send (linuxptp dscp_event / dscp_general, ptpd ip_dscp, the DUT
 *    file), and that configuration against the profile where the profile states a DSCP.
 *    1588-2019 Annex C only recommends the highest class selector in use, which no capture
 *    can check; none of the shipped profiles states a value.
 * A capture does not say what the DUT was configured with: there the DSCP seen is reported.
 */
import { isEventMessage } from '../../harness/codec/constants.ts'
import type { DutSetting } from '../../harness/dut/settings.ts'
import { addressingCheck } from '../support/addressing_check.ts'
import { type Check, describeFrame, describeSetting, dutFrames, type Profile, passiveOnDutMaster, type RecordedFrame } from '../kit.ts'

const what = describeFrame
const ANNEX_C_DSCP = 'IEEE 1588-2019 Annex C (IPv4) / Annex E (IPv6): DSCP of the sending port'

function vlanChecks(profile: Profile, frames: RecordedFrame[]): Check[] {
  const v = profile.transport.vlan
  // A frame's 802.1Q tag is known where the capture kept its link header (dstMac recorded): no vlan then means untagged.
  const seen = frames.filter((f) => f.dstMac !== undefined)
  const unseen = frames.filter((f) => f.dstMac === undefined).map(what)
  const checks: Check[] = []
  if (v.rule === 'required') {
    const untagged = seen.filter((f) => !f.vlan).map((f) => `${what(f)} untagged`)
    checks.push({ ...addressingCheck('frames without the required 802.1Q tag', '= 0', v.source, untagged, unseen, seen.length), unconfirmed: v.unconfirmed })
    const tagged = seen.filter((f) => f.vlan)
    if (v.priority) {
      const wrongPcp = tagged.filter((f) => f.vlan!.pcp !== v.priority!.value).map((f) => `${what(f)} with priority ${f.vlan!.pcp}`)
      checks.push({ ...addressingCheck(`tagged frames with priority ≠ ${v.priority.value}`, '= 0', v.priority.source, wrongPcp, [], tagged.length), unconfirmed: v.priority.unconfirmed })
    }
    if (v.vid) {
      // The profile's VID is a default the user may change; another VID is reported, not failed.
      const vids = [...new Set(tagged.map((f) => f.vlan!.vid))]
      checks.push({ name: 'VLAN IDs used', measured: vids.join(', ') || 'none', limit: `default ${v.vid.value} (configurable)`, source: v.vid.source, verdict: 'pass' })
    }
  } else if (v.rule === 'forbidden') {
    const tagged = seen.filter((f) => f.vlan).map((f) => `${what(f)} tagged VID ${f.vlan!.vid} priority ${f.vlan!.pcp}`)
    checks.push({ ...addressingCheck('frames carrying an 802.1Q tag', '= 0', v.source, tagged, unseen, seen.length), unconfirmed: v.unconfirmed })
  }
  return checks
}

/** The DSCP of one message class against the configured value, and that value against the profile's. */
function dscpChecks(profile: Profile, transport: 'udp4' | 'udp6', cls: 'event' | 'general', frames: RecordedFrame[], configured: DutSetting | undefined): Check[] {
  if (!frames.length) return []
  const port = cls === 'event' ? 319 : 320
  const values = [...new Set(frames.flatMap((f) => (f.dscp === undefined ? [] : [f.dscp])))].sort((a, b) => a - b)
  const unmeasured = frames.filter((f) => f.dscp === undefined).map(what)
  const checks: Check[] = []
  if (!configured) {
    checks.push({
      name: `DSCP of ${cls} messages (port ${port})`,
      measured: values.join(', ') || 'none recorded',
      limit: 'the configured DSCP',
      source: ANNEX_C_DSCP,
      verdict: 'not-applicable',
      detail: `the DUT's configured DSCP is unknown (give dscp_${cls} in the DUT file); reported only`,
    })
  } else {
    const wrong = frames.filter((f) => f.dscp !== undefined && f.dscp !== configured.value).map((f) => `${what(f)} with DSCP ${f.dscp}`)
    const c = addressingCheck(`${cls} messages (port ${port}) with DSCP ≠ the configured ${configured.value}`, '= 0', ANNEX_C_DSCP, wrong, unmeasured, frames.length - unmeasured.length)
    checks.push({ ...c, detail: [c.detail, `seen: ${values.join(', ') || 'none'}; ${describeSetting(`dscp_${cls}`, configured)}`].filter(Boolean).join('; ') })
  }
  const map = transport === 'udp4' ? profile.transport.udp4 : profile.transport.udp6
  const stated = cls === 'event' ? map?.dscpEvent : (map?.dscpGeneral ?? map?.dscpEvent)
  if (stated && configured && configured.origin !== 'profile default') {
    checks.push({
      name: `configured DSCP of ${cls} messages is the profile's`,
      measured: configured.value,
      limit: `= ${stated.value}`,
      source: stated.source,
      ...(stated.unconfirmed ? { unconfirmed: true } : {}),
      verdict: configured.value === stated.value ? 'pass' : 'fail',
      detail: describeSetting(`dscp_${cls}`, configured),
    })
  }
  return checks
}

export default passiveOnDutMaster({
  id: 'MF-06',
  title: 'QoS marking: 802.1Q priority and DSCP',
  area: 'MF',
  clause: 'IEEE 1588-2019 Annex C, E; IEEE 802.1Q 6.9; profile VLAN rules (C37.238-2011, 802.1AS, G.8275.1)',
  mapsTo: ['ABB power-profile parameters (VLAN priority 4)', 'OCP data-centre PTP profile §6.7 (DSCP)'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  estimatedSeconds: 25,
  appliesTo: (p) =>
    p.transport.vlan.rule === 'required' || p.transport.vlan.rule === 'forbidden' || p.transport.allowed.some((t) => t !== 'l2')
      ? true
      : `profile ${p.id} states no VLAN rule and runs over IEEE 802.3 only, which carries no DSCP`,
  criteria: {
    pass: 'every frame follows the profile\'s 802.1Q rule (tag and priority), and on UDP every event and general message carries the DSCP the DUT is configured with, which is the profile\'s where it states one',
    fail: 'a frame is untagged or carries another priority where the profile requires a tag, carries a tag where the profile forbids one, or carries another DSCP than configured; or the configured DSCP is not the profile\'s',
  },
  judgeObserved(ev, profile) {
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber).filter((f) => f.message)
    const transport = ev.session.transport
    const checks = vlanChecks(profile, frames)
    const event = frames.filter((f) => isEventMessage(f.message!.header.messageType))
    const general = frames.filter((f) => !isEventMessage(f.message!.header.messageType))
    if (transport !== 'l2') checks.push(...dscpChecks(profile, transport, 'event', event, ev.dut.dscp?.event), ...dscpChecks(profile, transport, 'general', general, ev.dut.dscp?.general))
    if (!checks.length) {
      checks.push({ name: 'QoS rule for this run', measured: transport, limit: 'a VLAN rule or a DSCP', source: profile.transport.vlan.source, verdict: 'not-applicable', detail: `profile ${profile.id} states no VLAN rule, and ${transport} carries no DSCP` })
    }
    const dscpSeen = (of: RecordedFrame[]) => [...new Set(of.flatMap((f) => (f.dscp === undefined ? [] : [f.dscp])))]
    return {
      checks,
      measurements: {
        frames: frames.length,
        transport,
        vlanTagsSeen: [...new Set(frames.filter((f) => f.vlan).map((f) => `VID ${f.vlan!.vid} priority ${f.vlan!.pcp}`))],
        ...(transport !== 'l2' ? { dscpEvent: dscpSeen(event), dscpGeneral: dscpSeen(general) } : {}),
      },
    }
  },
})
