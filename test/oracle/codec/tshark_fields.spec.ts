/**
 * The codec against Wireshark on frames we build: every message type and
 * every TLV the codec supports, over L2, 802.1Q-tagged L2, UDP/IPv4 and
 * UDP/IPv6, written to one pcapng and dissected by one tshark run. Every field
 * tshark decodes is compared with ours (test/support/oracle/field_map.ts);
 * a disagreement fails with the field name and both values.
 */
import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinkType, writePcapngFile, type PcapngPacketSpec } from '../../../harness/capture/index.ts'
import { encodeMessage, encodePtpFrame, type PtpTransport, type VlanTag } from '../../../harness/codec/index.ts'
import { catalogue } from '../../support/oracle/catalogue.ts'
import { Comparison, compareFrame } from '../../support/oracle/compare.ts'
import { FIELD_MAP } from '../../support/oracle/field_map.ts'
import { decodeCapture, type DecodedCapture } from '../../support/oracle/our_decode.ts'
import type { PdmlPacket } from '../../support/oracle/pdml.ts'
import { tsharkAvailable, tsharkPdml } from '../../support/oracle/tshark.ts'

const TRANSPORTS: { name: string; transport: PtpTransport; vlan?: VlanTag[] }[] = [
  { name: 'L2', transport: 'l2' },
  { name: 'L2 802.1Q', transport: 'l2', vlan: [{ pcp: 5, dei: 1, vid: 0x123 }] },
  // An S-tag (802.1ad) around the C-tag: tshark dissects the outer one as ieee8021ad.
  { name: 'L2 802.1ad+802.1Q', transport: 'l2', vlan: [{ pcp: 3, dei: 0, vid: 10, tpid: 0x88a8 }, { pcp: 6, dei: 0, vid: 4094 }] },
  { name: 'UDPv4', transport: 'udp4' },
  { name: 'UDPv6', transport: 'udp6' },
]

/**
 * FIELD_MAP entries no catalogue frame can make tshark print, with the reason.
 * Everything else in FIELD_MAP must have been compared at least once.
 */
const NEVER_SHOWN: Readonly<Record<string, string>> = {}

let lastRun: { pdml: PdmlPacket[]; ours: DecodedCapture } | undefined

test.group('codec / tshark field comparison on built frames', (group) => {
  let dir = ''
  group.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-conform-oracle-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('every message type and TLV over L2, VLAN, UDPv4, UDPv6 agrees with tshark', async ({ assert }) => {
    const entries = catalogue()
    const packets: PcapngPacketSpec[] = []
    const labels: string[] = []
    let t = 1_700_000_000_000_000_000n
    for (const entry of entries) {
      const bytes = encodeMessage(entry.message)
      for (const tr of TRANSPORTS) {
        const data = encodePtpFrame(bytes, { transport: tr.transport, srcMac: '02:00:5e:10:00:01', vlan: tr.vlan })
        labels.push(`${entry.label} over ${tr.name}`)
        packets.push({ interfaceId: 0, timestampNs: t++, data, comment: labels[labels.length - 1] })
      }
    }
    const file = join(dir, 'catalogue.pcapng')
    writePcapngFile(file, [{ linkType: LinkType.ETHERNET, name: 'built' }], packets)

    const ours = decodeCapture(file)
    assert.equal(ours.totalFrames, packets.length)
    assert.deepEqual(ours.undecodable, [], 'frames the codec could not decode')
    assert.deepEqual(ours.roundTripFailures, [], 'encode(decode(bytes)) differs from bytes')
    const errors = ours.findings.filter((f) => f.finding.severity === 'error')
    assert.deepEqual(
      errors.map((e) => `${labels[e.frame - 1]}: ${e.finding.field} ${e.finding.message}`),
      [],
      'valid frames must decode without error findings',
    )

    const pdml = await tsharkPdml(file)
    assert.lengthOf(pdml, packets.length)
    const cmp = new Comparison()
    for (const pkt of pdml) {
      const mine = ours.frames.get(pkt.number)
      assert.isDefined(mine, `frame ${pkt.number} (${labels[pkt.number - 1]}) was not decoded as PTP by us`)
      compareFrame(pkt, mine!, cmp)
    }
    const report = cmp.report()
    // Name each disagreeing frame by what it is.
    const named = cmp.disagreements.map((d) => `${labels[d.frame - 1]}: ${d.field} @${d.offset}: ours ${d.ours}, tshark ${d.theirs}`)
    assert.deepEqual(named, [], `disagreements with tshark:\n${named.slice(0, 60).join('\n')}`)
    assert.equal(cmp.unmapped.size, 0, `tshark fields without a mapping:\n${report}`)
    assert.deepEqual(cmp.expert, [], 'tshark reported expert info (malformed?)')

    const neverCompared = Object.keys(FIELD_MAP).filter(
      (k) => !cmp.comparedByField.has(k) && !cmp.seenNotCompared.has(k) && !(k in NEVER_SHOWN),
    )
    assert.deepEqual(neverCompared, [], 'FIELD_MAP entries no built frame exercised')

    lastRun = { pdml, ours }
    console.log(
      `  tshark oracle: ${packets.length} frames (${entries.length} messages x ${TRANSPORTS.length} transports), ` +
        `${cmp.compared} field values compared over ${cmp.comparedByField.size} distinct tshark fields`,
    )
  })
    .skip(!tsharkAvailable(), 'tshark is not installed')
    .timeout(120_000)
})

/**
 * The comparison must be able to fail: corrupt one field of our decode at a
 * time (header, body, TLV, management dataField, framing) and expect exactly
 * that tshark field to be reported.
 */
test.group('codec / tshark field comparison can fail', () => {
  const cases: { label: string; field: string; corrupt: (m: any, f: any) => void }[] = [
    { label: 'Sync two-step over L2', field: 'ptp.v2.sequenceid', corrupt: (m) => (m.header.sequenceId += 1) },
    { label: 'Sync one-step, negative fractional correction over L2', field: 'ptp.v2.correction.subns', corrupt: (m) => (m.header.correctionField += 1n) },
    { label: 'Announce, every flag of octet 1 over UDPv4', field: 'ptp.v2.an.origincurrentutcoffset', corrupt: (m) => (m.currentUtcOffset = -m.currentUtcOffset) },
    { label: 'Announce + C37.238-2017 TLV, lengthField 18 over L2', field: 'ptp.v2.an.oe.totalTimeInaccuracy', corrupt: (m) => (m.tlvs[0].totalTimeInaccuracy ^= 1) },
    { label: 'Management RESPONSE PORT_DATA_SET over UDPv6', field: 'ptp.v2.mm.logMinPdelayReqInterval', corrupt: (m) => (m.tlvs[0].dataField.logMinPdelayReqInterval -= 1) },
    { label: 'Signaling + GRANT_UNICAST_TRANSMISSION over L2 802.1Q', field: 'vlan.id', corrupt: (_m, f) => (f.eth.vlan[0].vid += 1) },
  ]
  for (const c of cases) {
    test(`a wrong ${c.field} is reported`, ({ assert }) => {
      assert.isDefined(lastRun, 'the comparison test above must run first')
      const { pdml, ours } = lastRun!
      const pkt = pdml.find((p) => ours.frames.has(p.number) && labelOf(p) === c.label)
      assert.isDefined(pkt, `no frame labelled ${c.label}`)
      const mine = ours.frames.get(pkt!.number)!
      const message = structuredClone(mine.message)
      const frame = structuredClone(mine.frame)
      c.corrupt(message, frame)
      const cmp = new Comparison()
      compareFrame(pkt!, { ...mine, message, frame }, cmp)
      assert.deepEqual([...new Set(cmp.disagreements.map((d) => d.field))], [c.field])
    }).skip(!tsharkAvailable(), 'tshark is not installed')
  }
})

/** The label the built-frames test wrote as the frame's pcapng comment. */
function labelOf(p: PdmlPacket): string | undefined {
  for (const proto of p.protos) {
    for (const f of proto.fields) if (f.name === 'frame.comment') return f.show
  }
  return undefined
}
