/**
 * `ptp-conform decode FILE [--json]` end to end, on captures built here: PTP
 * over every transport, a non-PTP frame, an undecodable PTP frame, a frame
 * with a finding, a damaged file, an unreadable file.
 */
import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodePcapng, LinkType } from '../../../harness/capture/index.ts'
import {
  buildAnnounce,
  buildManagement,
  buildPathTraceTlv,
  buildSync,
  encodeMessage,
  encodePtpFrame,
} from '../../../harness/codec/index.ts'
import { pcapFile } from './hand_bytes.ts'

const CLI = join(import.meta.dirname, '../../../bin/ptp-conform.js')

function decode(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'decode', ...args], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const src = '02:00:00:00:00:01'
const sync = buildSync({
  header: { sequenceId: 7, correctionField: -((1n << 40n) + 5n), domainNumber: 3, sourcePortIdentity: { clockIdentity: '0a1b2c.fffe.3d4e5f', portNumber: 2 } },
  originTimestamp: { secondsField: 0x123456789abcn, nanosecondsField: 5 },
})
const announce = buildAnnounce({ header: { sequenceId: 8, logMessageInterval: -2 }, tlvs: [buildPathTraceTlv(['0a1b2c.fffe.3d4e5f'])] })
const mgmt = buildManagement({ header: { sequenceId: 9 }, actionField: 'GET', managementId: 'DEFAULT_DATA_SET' })
// A reserved flag bit (0x8000) is an error finding; the frame still decodes.
const flagged = buildSync({ header: { sequenceId: 10, flagField: 0x8000 } })
const arp = Uint8Array.from([...Array(12).fill(0xff), 0x08, 0x06, ...Array(46).fill(0)])
// EtherType 0x88F7 with 10 octets: too short for the 34-octet header.
const truncatedPtp = encodePtpFrame(encodeMessage(sync), { transport: 'l2', srcMac: src }).slice(0, 24)

const frames = [
  encodePtpFrame(encodeMessage(sync), { transport: 'l2', srcMac: src }),
  encodePtpFrame(encodeMessage(announce), { transport: 'l2', srcMac: src, vlan: [{ pcp: 7, dei: 0, vid: 42 }] }),
  encodePtpFrame(encodeMessage(mgmt), { transport: 'udp4', srcMac: src }),
  arp,
  encodePtpFrame(encodeMessage(flagged), { transport: 'udp6', srcMac: src }),
  truncatedPtp,
]

test.group('capture / ptp-conform decode', (group) => {
  let dir = ''
  let file = ''
  group.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-conform-decode-'))
    file = join(dir, 'mixed.pcapng')
    writeFileSync(
      file,
      encodePcapng(
        [{ linkType: LinkType.ETHERNET }],
        frames.map((data, i) => ({ interfaceId: 0, timestampNs: 1_700_000_000_000_000_000n + BigInt(i), data })),
      ),
    )
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('--json: one object per PTP frame, IEEE 1588 names, bigints as decimal strings', ({ assert }) => {
    const r = decode(file, '--json')
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    assert.deepEqual(lines.map((l) => l.frame), [1, 2, 3, 5, 6])
    const [s, a, m, f, bad] = lines
    assert.equal(s.messageType, 'Sync')
    assert.equal(s.sequenceId, 7)
    assert.equal(s.domainNumber, 3)
    assert.equal(s.correctionField, String(-((1n << 40n) + 5n)))
    assert.deepEqual(s.sourcePortIdentity, { clockIdentity: '0a1b2c.fffe.3d4e5f', portNumber: 2 })
    assert.deepEqual(s.originTimestamp, { secondsField: String(0x123456789abcn), nanosecondsField: 5 })
    assert.equal(s.timestampNs, '1700000000000000000')
    assert.equal(s.transport.kind, 'L2')
    assert.equal(a.messageType, 'Announce')
    assert.equal(a.logMessageInterval, -2)
    assert.deepEqual(a.transport.vlan, [{ pcp: 7, dei: 0, vid: 42 }])
    assert.equal(a.tlvs[0].kind, 'PATH_TRACE')
    assert.deepEqual(a.tlvs[0].pathSequence, ['0a1b2c.fffe.3d4e5f'])
    assert.equal(m.messageType, 'Management')
    assert.equal(m.transport.kind, 'UDPv4')
    assert.equal(m.tlvs[0].managementIdName, 'DEFAULT_DATA_SET')
    assert.equal(f.transport.kind, 'UDPv6')
    assert.isTrue(f.findings.some((x: any) => x.field === 'flagField' && x.severity === 'error'))
    assert.equal(bad.error.frameOffset, 24, 'the offset where decoding stopped, from the start of the frame')
    assert.isUndefined(bad.messageType)
    assert.match(r.stderr, /6 frames, 5 PTP \(1 undecodable\), 1 not PTP skipped/)
  })

  test('human output: each frame, its TLVs, findings and the undecodable one', ({ assert }) => {
    const r = decode(file)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /frame 1 .*L2 02:00:00:00:00:01 > 01:1b:19:00:00:00/)
    assert.match(r.stdout, /Sync {2}domain 3 {2}seq 7 {2}from 0a1b2c\.fffe\.3d4e5f-2/)
    assert.match(r.stdout, /tlv\[0\] PATH_TRACE/)
    assert.match(r.stdout, /ERROR @6 flagField/)
    assert.match(r.stdout, /frame 6 [\s\S]*UNDECODABLE PTP at frame offset 24/)
    assert.notMatch(r.stdout, /frame 4 /, 'the ARP frame is skipped')
  })

  test('classic pcap input', ({ assert }) => {
    const pcap = join(dir, 'classic.pcap')
    writeFileSync(pcap, pcapFile(false, true, LinkType.ETHERNET, [{ sec: 1, frac: 2, data: frames[0]! }]))
    const r = decode(pcap, '--json')
    assert.equal(r.code, 0, r.stderr)
    const [s] = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    assert.equal(s.timestampNs, '1000000002')
    assert.equal(s.sequenceId, 7)
  })

  test('exit 2 on a missing, a non-capture and a damaged file; frames before the damage are printed', ({ assert }) => {
    const missing = decode(join(dir, 'nope.pcapng'))
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /cannot read .*ENOENT/)
    const junk = join(dir, 'junk.pcapng')
    writeFileSync(junk, 'this is not a capture')
    const j = decode(junk)
    assert.equal(j.code, 2)
    assert.match(j.stderr, /not a pcap or pcapng file/)
    const whole = encodePcapng(
      [{ linkType: LinkType.ETHERNET }],
      frames.slice(0, 3).map((data, i) => ({ interfaceId: 0, timestampNs: BigInt(i), data })),
    )
    const cut = join(dir, 'cut.pcapng')
    writeFileSync(cut, whole.subarray(0, whole.length - 10))
    const c = decode(cut, '--json')
    assert.equal(c.code, 2)
    assert.lengthOf(c.stdout.trim().split('\n'), 2)
    assert.match(c.stderr, /damaged after frame 2: truncated block/)
  })

  test('usage errors', ({ assert }) => {
    assert.equal(decode().code, 2)
    assert.equal(decode(file, '--bogus').code, 2)
    const help = decode('--help')
    assert.equal(help.code, 0)
    assert.match(help.stdout, /usage: ptp-conform decode FILE \[--json\]/)
  })
})
