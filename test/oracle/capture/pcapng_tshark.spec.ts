/**
 * Our pcapng files as Wireshark reads them, and Wireshark-written files as we
 * read them: interfaces, ns timestamps and per-packet comments must agree.
 */
import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinkType, openCapture, writePcapngFile, type PcapngPacketSpec } from '../../../harness/capture/index.ts'
import { tsharkAvailable, tsharkFields } from '../../support/oracle/tshark.ts'

const noTshark = !tsharkAvailable()

// Ethernet frames (EtherType 0x88B5, "local experimental") so tshark does not
// try to dissect anything interesting in them.
function frame(n: number, length: number): Uint8Array {
  const f = Uint8Array.from({ length }, (_, i) => (n + i) & 0xff)
  f.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5], 0)
  return f
}

const T0 = 1_700_000_000_000_000_000n
const packets: PcapngPacketSpec[] = [
  { interfaceId: 0, timestampNs: T0 + 1n, data: frame(0, 60), comment: 'Sync seq 1 from master' },
  { interfaceId: 1, timestampNs: T0 + 123_456_789n, data: frame(1, 64) },
  { interfaceId: 0, timestampNs: T0 + 999_999_999n, data: frame(2, 90), comment: ['two comments', 'größer als 1 µs'] },
  { interfaceId: 1, timestampNs: T0 + 1_000_000_000n, data: frame(3, 70), originalLength: 1514 },
]

function epochString(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`
}

test.group('capture / pcapng written by ptp-conform, read by tshark', (group) => {
  let dir = ''
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-conform-pcapng-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  for (const littleEndian of [true, false]) {
    test(`${littleEndian ? 'little' : 'big'}-endian: interfaces, ns timestamps, lengths, comments`, ({ assert }) => {
      const file = join(dir, 'ours.pcapng')
      writePcapngFile(
        file,
        [
          { linkType: LinkType.ETHERNET, name: 'veth-master' },
          { linkType: LinkType.ETHERNET, name: 'veth-slave' },
        ],
        packets,
        { littleEndian },
      )
      // In tshark 4.0 the per-packet comment is the field frame.comment (pkt_comment is its protocol).
      const rows = tsharkFields(file, [
        'frame.number',
        'frame.interface_id',
        'frame.interface_name',
        'frame.time_epoch',
        'frame.len',
        'frame.cap_len',
        'frame.comment',
      ])
      assert.lengthOf(rows, packets.length)
      rows.forEach((row, i) => {
        const p = packets[i]!
        const [num, ifid, ifname, epoch, len, caplen, comments] = row
        assert.deepEqual(num, [String(i + 1)])
        assert.deepEqual(ifid, [String(p.interfaceId)])
        assert.deepEqual(ifname, [p.interfaceId === 0 ? 'veth-master' : 'veth-slave'])
        assert.deepEqual(epoch, [epochString(p.timestampNs)])
        assert.deepEqual(len, [String(p.originalLength ?? p.data.length)])
        assert.deepEqual(caplen, [String(p.data.length)])
        const want = p.comment === undefined ? [] : typeof p.comment === 'string' ? [p.comment] : [...p.comment]
        assert.deepEqual(comments, want, `comments of frame ${i + 1}`)
      })
    }).skip(noTshark, 'tshark is not installed')
  }

  for (const [format, nanosecond] of [
    ['pcap', false],
    ['nsecpcap', true],
    ['pcapng', true],
  ] as const) {
    test(`editcap -F ${format} output reads back with the same packets`, ({ assert }) => {
      const ours = join(dir, 'ours.pcapng')
      const theirs = join(dir, `theirs.${format}`)
      writePcapngFile(ours, [{ linkType: LinkType.ETHERNET }, { linkType: LinkType.ETHERNET }], packets)
      const r = spawnSync('editcap', ['-F', format, ours, theirs], { encoding: 'utf8' })
      assert.equal(r.status, 0, r.stderr)
      const reader = openCapture(theirs)
      assert.equal(reader.format, format === 'pcapng' ? 'pcapng' : 'pcap')
      const got = [...reader]
      assert.lengthOf(got, packets.length)
      got.forEach((g, i) => {
        const p = packets[i]!
        const want = nanosecond ? p.timestampNs : (p.timestampNs / 1000n) * 1000n
        assert.equal(g.timestampNs, want)
        assert.deepEqual([...g.data], [...p.data])
        assert.equal(g.originalLength, p.originalLength ?? p.data.length)
        if (format === 'pcapng') {
          assert.equal(g.interfaceId, p.interfaceId)
          const want = p.comment === undefined ? [] : typeof p.comment === 'string' ? [p.comment] : [...p.comment]
          assert.deepEqual([...g.comments], want)
        }
      })
    }).skip(noTshark, 'tshark is not installed')
  }
})
