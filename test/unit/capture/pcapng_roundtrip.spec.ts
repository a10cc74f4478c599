import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  encodePcapng,
  FileSource,
  LinkType,
  openCapture,
  PcapngReader,
  readCapture,
  writePcapngFile,
  type PcapngPacketSpec,
} from '../../../harness/capture/index.ts'
import { frameOf } from './hand_bytes.ts'

const interfaces = [
  { linkType: LinkType.ETHERNET, name: 'veth-a', description: 'master side' },
  { linkType: LinkType.RAW, name: 'tun0', snapLength: 96 },
  { linkType: LinkType.ETHERNET, name: 'veth-µs', timestampExponent: 6 },
]

// Timestamps chosen to need all 64 bits of ns arithmetic: beyond 2^53 ns and
// with every nanosecond digit significant.
const T0 = 1_700_000_000_123_456_789n

function samplePackets(): PcapngPacketSpec[] {
  return [
    { interfaceId: 0, timestampNs: T0, data: frameOf(0, 60) },
    { interfaceId: 1, timestampNs: T0 + 1n, data: frameOf(1, 45), comment: 'one comment' },
    { interfaceId: 0, timestampNs: T0 + 999_999_999n, data: frameOf(2, 1), comment: ['first', 'zweite: größer', ''] },
    { interfaceId: 2, timestampNs: T0 + 5_000_123n, data: frameOf(3, 64), originalLength: 1514 },
    { interfaceId: 0, timestampNs: 0n, data: new Uint8Array(0) },
    { interfaceId: 1, timestampNs: (1n << 64n) - 1n, data: frameOf(5, 3) },
  ]
}

function check(assert: any, bytes: Uint8Array | null, path?: string, chunk?: number): void {
  const reader = path
    ? chunk
      ? new PcapngReader(new FileSource(path, chunk))
      : openCapture(path)
    : readCapture(bytes!)
  assert.equal(reader.format, 'pcapng')
  const got = [...reader]
  const want = samplePackets()
  assert.lengthOf(got, want.length)
  assert.lengthOf(reader.interfaces, 3)
  assert.deepEqual(
    reader.interfaces.map((i) => [i.linkType, i.name, i.snapLength, i.resolution.exponent]),
    [
      [LinkType.ETHERNET, 'veth-a', 0, 9],
      [LinkType.RAW, 'tun0', 96, 9],
      [LinkType.ETHERNET, 'veth-µs', 0, 6],
    ],
  )
  assert.equal(reader.interfaces[0]!.description, 'master side')
  got.forEach((p, i) => {
    const w = want[i]!
    assert.equal(p.index, i)
    assert.equal(p.interfaceId, w.interfaceId)
    assert.equal(p.linkType, interfaces[w.interfaceId]!.linkType)
    // The µs interface truncates to whole microseconds; the others are exact.
    const expectTs = w.interfaceId === 2 ? (w.timestampNs / 1000n) * 1000n : w.timestampNs
    assert.equal(p.timestampNs, expectTs)
    assert.deepEqual([...p.data], [...w.data])
    assert.equal(p.capturedLength, w.data.length)
    assert.equal(p.originalLength, w.originalLength ?? w.data.length)
    const comments = w.comment === undefined ? [] : typeof w.comment === 'string' ? [w.comment] : w.comment
    assert.deepEqual([...p.comments], [...comments])
  })
}

test.group('capture / pcapng write then read', () => {
  test('in memory, little-endian: interfaces, comments, ns timestamps survive', ({ assert }) => {
    check(assert, encodePcapng(interfaces, samplePackets()))
  })

  test('in memory, big-endian section reads the same', ({ assert }) => {
    const bytes = encodePcapng(interfaces, samplePackets(), { littleEndian: false })
    // The section header's byte-order magic is really written big-endian.
    assert.deepEqual([...bytes.subarray(8, 12)], [0x1a, 0x2b, 0x3c, 0x4d])
    check(assert, bytes)
  })

  test('through a file, also with chunks smaller than a block', ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptp-conform-capture-'))
    try {
      const path = join(dir, 'rt.pcapng')
      writePcapngFile(path, interfaces, samplePackets(), { comment: 'section note' })
      check(assert, null, path)
      // 24-octet chunks force every block to straddle refills.
      check(assert, null, path, 24)
      const reader = new PcapngReader(new FileSource(path, 24))
      ;[...reader]
      assert.deepEqual(reader.sections.map((s) => [s.littleEndian, s.userApplication, s.comments]), [
        [true, 'ptp-conform', ['section note']],
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('packet data stays valid after the iterator has moved on', ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptp-conform-capture-'))
    try {
      const path = join(dir, 'many.pcapng')
      const many = Array.from({ length: 500 }, (_, i) => ({ interfaceId: 0, timestampNs: BigInt(i), data: frameOf(i, 100) }))
      writePcapngFile(path, [{ linkType: LinkType.ETHERNET }], many)
      const kept = [...new PcapngReader(new FileSource(path, 4096))]
      kept.forEach((p, i) => assert.deepEqual([...p.data], [...many[i]!.data]))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('writer refuses what it cannot represent', ({ assert }) => {
    assert.throws(() => encodePcapng([{ linkType: 1 }], [{ interfaceId: 1, timestampNs: 0n, data: new Uint8Array(1) }]), /unknown interface/)
    assert.throws(() => encodePcapng([{ linkType: 1 }], [{ interfaceId: 0, timestampNs: -1n, data: new Uint8Array(1) }]), /negative/)
    assert.throws(() => encodePcapng([{ linkType: 1 }], [{ interfaceId: 0, timestampNs: 1n << 64n, data: new Uint8Array(1) }]), /64 bits/)
    assert.throws(() => encodePcapng([{ linkType: 1, timestampExponent: 12 }], []), /0\.\.9/)
  })
})
