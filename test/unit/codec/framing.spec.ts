/**
 * Ethernet / 802.1Q / IPv4 / IPv6 / UDP framing (IEEE 1588-2019 Annexes C, E, F). The frame
 * octets below were produced once and checked with tshark 4.0 (ip/udp checksum status "Good",
 * VLAN PCP/DEI/VID and PTP fields as expected), then pinned here.
 */
import { test } from '@japa/runner'
import {
  buildPdelayReq,
  buildSync,
  decodeFrame,
  encodeIpv4Udp,
  encodeMessage,
  encodePtpFrame,
  formatIpv6,
  internetChecksum,
  ipv6PtpPrimary,
  isEventMessage,
  linkTypeFromPcap,
  parseIpv6,
  udpPortFor,
} from '../../../harness/codec/index.ts'
import { hex, toHex } from '../../support/codec/hex.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { profileL2Destinations } from '../../../harness/profiles/l2_destinations.ts'

const header = (sequenceId: number, flagField = 0) => ({ sourcePortIdentity: { clockIdentity: '001b19.fffe.000001', portNumber: 1 }, sequenceId, flagField })
const sync = () => encodeMessage(buildSync({ header: header(5, 0x200) }))
const pdelay = () => encodeMessage(buildPdelayReq({ header: header(9) }))
const MAC = '02:00:00:00:00:01'

const SYNC_UDP4 = '01005e0001810200000000010800450000480000400040119722c0000201e0000181013f013f00343f350002002c00000200000000000000000000000000001b19fffe00000100010005000000000000000000000000'
const SYNC_UDP6 = '33330000018102000000000186dd600000000034114020010db8000000000000000000000001ff0e0000000000000000000000000181013f013f0034b46e0002002c00000200000000000000000000000000001b19fffe00000100010005000000000000000000000000'
const PDELAY_UDP4 = '01005e00006b020000000001080045000052000040000111d72ec0000201e000006b013f013f003e3aaa0202003600000000000000000000000000000000001b19fffe00000100010009057f0000000000000000000000000000000000000000'
const PDELAY_UDP6_VLAN = '33330000006b0200000000018100effe86dd60000000003e110120010db8000000000000000000000001ff02000000000000000000000000006b013f013f003eafef0202003600000000000000000000000000000000001b19fffe00000100010009057f0000000000000000000000000000000000000000'
const SYNC_L2_VLAN = '011b190000000200000000018100b00a88f70002002c00000200000000000000000000000000001b19fffe00000100010005000000000000000000000000'

test.group('codec / framing', () => {
  test('RFC 1071 checksum example', ({ assert }) => {
    assert.equal(internetChecksum(hex('00 01 f2 03 f4 f5 f6 f7'), 0, 8), 0x220d)
  })

  test('encodePtpFrame produces the tshark-checked frames for all three transports', ({ assert }) => {
    assert.equal(toHex(encodePtpFrame(sync(), { transport: 'udp4', srcMac: MAC, srcIp: '192.0.2.1' })), toHex(hex(SYNC_UDP4)))
    assert.equal(toHex(encodePtpFrame(sync(), { transport: 'udp6', srcMac: MAC, srcIp: '2001:db8::1' })), toHex(hex(SYNC_UDP6)))
    assert.equal(toHex(encodePtpFrame(pdelay(), { transport: 'udp4', srcMac: MAC, srcIp: '192.0.2.1' })), toHex(hex(PDELAY_UDP4)))
    assert.equal(
      toHex(encodePtpFrame(pdelay(), { transport: 'udp6', srcMac: MAC, srcIp: '2001:db8::1', vlan: [{ pcp: 7, dei: 0, vid: 4094 }] })),
      toHex(hex(PDELAY_UDP6_VLAN)),
    )
    assert.equal(toHex(encodePtpFrame(sync(), { transport: 'l2', srcMac: MAC, vlan: [{ pcp: 5, dei: 1, vid: 10 }] })), toHex(hex(SYNC_L2_VLAN)))
  })

  test('UDP/IPv4 frame: headers, checksums and the PTP message', ({ assert }) => {
    const r = decodeFrame(hex(SYNC_UDP4), 'ethernet')
    assert.deepEqual(r.eth, { dst: '01:00:5e:00:01:81', src: MAC, etherType: 0x0800 })
    assert.include(r.ip as object, { version: 4, src: '192.0.2.1', dst: '224.0.1.129', ttl: 64, dscp: 0, headerChecksumOk: true, protocol: 17 })
    assert.deepEqual(r.udp, { srcPort: 319, dstPort: 319, length: 52, checksum: 0x3f35, checksumOk: true })
    assert.equal(r.ptpOffset, 42)
    assert.equal(r.ptp!.message.type, 'Sync')
    assert.deepEqual(r.findings, [])
    assert.deepEqual(r.ptp!.findings, [])
  })

  test('UDP/IPv6 frame with a VLAN tag: PCP, DEI, VID, hop limit 1 for ff02::6b', ({ assert }) => {
    const r = decodeFrame(hex(PDELAY_UDP6_VLAN), 'ethernet')
    assert.deepEqual(r.eth!.vlan, [{ pcp: 7, dei: 0, vid: 4094 }])
    assert.include(r.ip as object, { version: 6, src: '2001:db8::1', dst: 'ff02::6b', hopLimit: 1 })
    assert.isTrue(r.udp!.checksumOk)
    assert.equal(r.ptp!.message.type, 'Pdelay_Req')
    assert.deepEqual(r.findings, [])
  })

  test('L2 frame padded to 60 octets: the padding is no finding, and is kept', ({ assert }) => {
    const frame = encodePtpFrame(sync(), { transport: 'l2', srcMac: MAC })
    assert.equal(frame.length, 60)
    const r = decodeFrame(frame, 'ethernet')
    assert.equal(r.eth!.dst, '01:1b:19:00:00:00')
    assert.equal(r.ptp!.message.trailer!.length, 2)
    assert.deepEqual(r.ptp!.findings, [])
    assert.deepEqual(r.findings, [])
  })

  test('wrong UDP and IPv4 header checksums are findings when asked for; a zero IPv6 UDP checksum always', ({ assert }) => {
    const bad = hex(SYNC_UDP4)
    bad[40] ^= 0xff
    bad[24] ^= 0x01
    assert.deepEqual(decodeFrame(bad, 'ethernet', { checksumFindings: true }).findings.map((f) => [f.field, f.offset]), [['ipv4.headerChecksum', 24], ['udp.checksum', 40]])
    // Captures on the sending host carry offload checksums: by default only the flags say so.
    const quiet = decodeFrame(bad, 'ethernet')
    assert.deepEqual(quiet.findings, [])
    assert.isFalse(quiet.udp!.checksumOk)
    assert.isFalse((quiet.ip as { headerChecksumOk: boolean }).headerChecksumOk)
    const zero4 = hex(SYNC_UDP4)
    zero4[40] = 0
    zero4[41] = 0
    const z4 = decodeFrame(zero4, 'ethernet')
    assert.isNull(z4.udp!.checksumOk)
    assert.deepEqual(z4.findings, [], 'IPv4 allows a zero UDP checksum')
    const zero6 = hex(SYNC_UDP6)
    zero6[60] = 0
    zero6[61] = 0
    assert.deepEqual(decodeFrame(zero6, 'ethernet').findings.map((f) => f.field), ['udp.checksum'])
  })

  test('event message to the general port, wrong multicast group, TTL not 1 on 224.0.0.107, wrong MAC', ({ assert }) => {
    const wrongPort = encodePtpFrame(sync(), { transport: 'udp4', srcMac: MAC, dstPort: 320 })
    assert.deepEqual(decodeFrame(wrongPort, 'ethernet').findings.map((f) => f.field), ['udp.dstPort'])
    const wrongGroup = encodePtpFrame(pdelay(), { transport: 'udp4', srcMac: MAC, dstIp: '224.0.1.129', ttl: 5 })
    assert.deepEqual(decodeFrame(wrongGroup, 'ethernet').findings.map((f) => f.field), ['ipv4.dst'])
    const ttl = encodePtpFrame(pdelay(), { transport: 'udp4', srcMac: MAC, ttl: 2 })
    assert.deepEqual(decodeFrame(ttl, 'ethernet').findings.map((f) => [f.field, f.offset]), [['ipv4.ttl', 22]])
    const mac = encodePtpFrame(pdelay(), { transport: 'l2', srcMac: MAC, dstMac: '01:1b:19:00:00:00' })
    assert.deepEqual(decodeFrame(mac, 'ethernet').findings.map((f) => f.field), ['eth.dst'])
    const gptpSync = encodeMessage(buildSync({ header: { ...header(1), majorSdoId: 1 } }))
    const gptp = encodePtpFrame(gptpSync, { transport: 'l2', srcMac: MAC })
    assert.equal(decodeFrame(gptp, 'ethernet').eth!.dst, '01:80:c2:00:00:0e')
    assert.deepEqual(decodeFrame(gptp, 'ethernet').findings, [])
  })

  test('under a profile (decode --profile), its addresses decide: G.8275.1 sends Sync to the non-forwardable MAC', ({ assert }) => {
    const g82751 = profileL2Destinations(loadProfile('g8275-1'))!
    const nonForwardable = encodePtpFrame(sync(), { transport: 'l2', srcMac: MAC, dstMac: '01:80:c2:00:00:0e' })
    assert.deepEqual(decodeFrame(nonForwardable, 'ethernet').findings.map((f) => f.field), ['eth.dst'], 'Annex F: Sync belongs on 01-1B-19-00-00-00')
    assert.deepEqual(decodeFrame(nonForwardable, 'ethernet', { l2Destinations: g82751 }).findings, [])
    const forwardable = encodePtpFrame(sync(), { transport: 'l2', srcMac: MAC, dstMac: '01:1b:19:00:00:00' })
    assert.deepEqual(decodeFrame(forwardable, 'ethernet', { l2Destinations: g82751 }).findings, [], 'G.8275.1 accepts both')
    const other = encodePtpFrame(sync(), { transport: 'l2', srcMac: MAC, dstMac: '01:00:5e:00:01:81' })
    assert.match(decodeFrame(other, 'ethernet', { l2Destinations: g82751 }).findings[0]!.message, /the profile gives 01:80:c2:00:00:0e/)
  })

  test('2 octets after the message over UDP (linuxptp\'s checksum fix-up room) are no finding; 3 are', ({ assert }) => {
    const withPad = (n: number) => {
      const m = sync()
      const padded = new Uint8Array(m.length + n)
      padded.set(m)
      return encodePtpFrame(padded, { transport: 'udp6', srcMac: MAC })
    }
    const two = decodeFrame(withPad(2), 'ethernet')
    assert.deepEqual(two.ptp!.findings, [])
    assert.equal(two.ptp!.message.trailer!.length, 2)
    assert.deepEqual(decodeFrame(withPad(3), 'ethernet').ptp!.findings.map((f) => f.field), ['messageLength'])
  })

  test('frames that are not PTP say why', ({ assert }) => {
    const arp = new Uint8Array(60)
    arp.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06])
    assert.match(decodeFrame(arp, 'ethernet').notPtp!, /EtherType 0x0806/)
    const dns = encodeIpv4Udp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 5353, dstPort: 53, payload: new Uint8Array(8) })
    assert.match(decodeFrame(dns, 'raw-ipv4').notPtp!, /not PTP/)
    assert.match(decodeFrame(new Uint8Array(10), 'ethernet').notPtp!, /truncated/)
    assert.equal(decodeFrame(hex(SYNC_UDP4).subarray(0, 30), 'ethernet').notPtp, 'truncated IPv4 header')
  })

  test('raw IP, Linux cooked (SLL, SLL2) and bare PTP link types', ({ assert }) => {
    const ip = hex(SYNC_UDP4).subarray(14)
    assert.equal(decodeFrame(ip, 'raw-ip').ptp!.message.type, 'Sync')
    assert.equal(decodeFrame(hex(SYNC_UDP6).subarray(14), 'raw-ip').ptp!.message.type, 'Sync')
    const sll = new Uint8Array(16 + ip.length)
    sll.set([0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00])
    sll.set(ip, 16)
    const r = decodeFrame(sll, 'linux-sll')
    assert.equal(r.sll!.address, '02:00:00:00:00:01')
    assert.equal(r.ptp!.message.type, 'Sync')
    const sll2 = new Uint8Array(20 + 44)
    sll2.set([0x88, 0xf7, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0])
    sll2.set(sync(), 20)
    const r2 = decodeFrame(sll2, 'linux-sll2')
    assert.equal(r2.sll!.interfaceIndex, 3)
    assert.equal(r2.ptp!.message.type, 'Sync')
    assert.equal(decodeFrame(sync(), 'ptp').ptp!.message.type, 'Sync')
    assert.equal(linkTypeFromPcap(1), 'ethernet')
    assert.equal(linkTypeFromPcap(113), 'linux-sll')
    assert.isUndefined(linkTypeFromPcap(105))
  })

  test('event/general classes, ports and addresses of Annexes C, E, F', ({ assert }) => {
    assert.deepEqual([0, 1, 2, 3].map(isEventMessage), [true, true, true, true])
    assert.deepEqual([8, 9, 0xa, 0xb, 0xc, 0xd].map(isEventMessage), [false, false, false, false, false, false])
    assert.equal(udpPortFor(0), 319)
    assert.equal(udpPortFor(0xb), 320)
    assert.equal(ipv6PtpPrimary(), 'ff0e::181')
    assert.equal(ipv6PtpPrimary(2), 'ff02::181')
  })

  test('IPv6 text forms round-trip in RFC 5952 form', ({ assert }) => {
    for (const [input, canonical] of [
      ['FF0E::181', 'ff0e::181'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::', '::'],
      ['::1', '::1'],
      ['fe80::1%veth0', 'fe80::1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ]) {
      assert.equal(formatIpv6(parseIpv6(input!), 0), canonical)
    }
    assert.throws(() => parseIpv6('1::2::3'), RangeError)
    assert.throws(() => parseIpv6('1:2:3:4:5:6:7:8:9'), RangeError)
  })
})
