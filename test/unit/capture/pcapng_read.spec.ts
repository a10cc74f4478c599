import { test } from '@japa/runner'
import { LinkType, readCapture, type PcapngReader } from '../../../harness/capture/index.ts'
import { block, Bytes, concat, epb, frameOf, idb, shb, spb, textOption } from './hand_bytes.ts'

const tsresol = (v: number) => ({ code: 9, value: Uint8Array.of(v) })
const tsoffset = (little: boolean, s: bigint) => ({ code: 14, value: new Bytes(little).i64(s).bytes() })

for (const little of [true, false]) {
  const order = little ? 'little-endian' : 'big-endian'

  test.group(`capture / pcapng reader, ${order} bytes built by hand`, () => {
    test('interfaces with different link types and resolutions, comments, skipped blocks', ({ assert }) => {
      const bytes = concat(
        shb(little, [textOption(4, 'handmade'), textOption(1, 'shb note')]),
        // interface 0: no if_tsresol -> microseconds (pcapng default)
        idb(little, LinkType.ETHERNET, 0, [textOption(2, 'eth0')]),
        // interface 1: ns
        idb(little, LinkType.LINUX_SLL, 262144, [tsresol(9)]),
        // interface 2: 2^-20 s units, offset +100 s
        idb(little, LinkType.RAW, 0, [tsresol(0x80 | 20), tsoffset(little, 100n)]),
        epb(little, 0, 1_700_000_000_000_001n, frameOf(0, 60), [textOption(1, 'c1'), textOption(1, 'c2')]),
        // Name Resolution Block and Interface Statistics Block: no packets, skipped.
        block(little, 4, new Bytes(little).u16(0).u16(0).bytes()),
        block(little, 5, new Bytes(little).u32(0).u32(0).u32(0).bytes()),
        epb(little, 1, 1_700_000_000_123_456_789n, frameOf(1, 17)),
        // 3.5 s in 2^-20 s units.
        epb(little, 2, 3n * 1048576n + 524288n, frameOf(2, 8)),
        // A custom block (0x00000BAD) is skipped too.
        block(little, 0x00000bad, new Bytes(little).u32(0x12345678).bytes()),
        epb(little, 1, 5n, frameOf(3, 70), [], 1514),
      )
      const reader = readCapture(bytes) as PcapngReader
      const pkts = [...reader]
      assert.equal(reader.skippedBlocks, 3)
      assert.deepEqual(reader.sections.map((s) => [s.littleEndian, s.userApplication, s.comments]), [
        [little, 'handmade', ['shb note']],
      ])
      assert.deepEqual(
        reader.interfaces.map((i) => [i.linkType, i.snapLength, i.resolution.base, i.resolution.exponent, i.name]),
        [
          [LinkType.ETHERNET, 0, 10, 6, 'eth0'],
          [LinkType.LINUX_SLL, 262144, 10, 9, undefined],
          [LinkType.RAW, 0, 2, 20, undefined],
        ],
      )
      assert.deepEqual(
        pkts.map((p) => [p.index, p.interfaceId, p.timestampNs, p.capturedLength, p.originalLength, [...p.comments]]),
        [
          [0, 0, 1_700_000_000_000_001_000n, 60, 60, ['c1', 'c2']],
          [1, 1, 1_700_000_000_123_456_789n, 17, 17, []],
          [2, 2, 103_500_000_000n, 8, 8, []],
          [3, 1, 5n, 70, 1514, []],
        ],
      )
      assert.deepEqual([...pkts[1]!.data], [...frameOf(1, 17)])
      // Block offsets point at the EPBs themselves: the type word is there.
      for (const p of pkts) {
        const v = new DataView(bytes.buffer, bytes.byteOffset)
        assert.equal(v.getUint32(p.fileOffset, little), 6)
      }
    })

    test('Simple Packet Block: no timestamp, captured length cut to snap length', ({ assert }) => {
      const bytes = concat(shb(little), idb(little, LinkType.ETHERNET, 40), spb(little, frameOf(9, 40), 100), spb(little, frameOf(8, 30)))
      const pkts = [...readCapture(bytes)]
      assert.deepEqual(
        pkts.map((p) => [p.timestampNs, p.capturedLength, p.originalLength]),
        [
          [null, 40, 100],
          [null, 30, 30],
        ],
      )
      assert.deepEqual([...pkts[0]!.data], [...frameOf(9, 40)])
    })

    test('obsolete Packet Block (type 2) is read', ({ assert }) => {
      const body = new Bytes(little).u16(0).u16(0).u32(0).u32(42).u32(4).u32(4).raw([1, 2, 3, 4]).bytes()
      const bytes = concat(shb(little), idb(little, LinkType.ETHERNET, 0, [tsresol(9)]), block(little, 2, body, [textOption(1, 'old')]))
      const [p] = [...readCapture(bytes)]
      assert.equal(p!.timestampNs, 42n)
      assert.deepEqual([...p!.data], [1, 2, 3, 4])
      assert.deepEqual([...p!.comments], ['old'])
    })
  })
}

test.group('capture / pcapng reader, sections', () => {
  test('a second section switches byte order and renumbers interfaces', ({ assert }) => {
    const bytes = concat(
      shb(true),
      idb(true, LinkType.ETHERNET, 0, [tsresol(9)]),
      epb(true, 0, 10n, frameOf(0, 20)),
      shb(false),
      idb(false, LinkType.RAW, 0, [tsresol(9)]),
      idb(false, LinkType.ETHERNET, 0, [tsresol(3)]),
      epb(false, 1, 7n, frameOf(1, 20)),
      epb(false, 0, 11n, frameOf(2, 20)),
    )
    const reader = readCapture(bytes) as PcapngReader
    const pkts = [...reader]
    assert.deepEqual(reader.sections.map((s) => s.littleEndian), [true, false])
    assert.deepEqual(
      pkts.map((p) => [p.iface.index, p.iface.section, p.interfaceId, p.linkType, p.timestampNs]),
      [
        [0, 0, 0, LinkType.ETHERNET, 10n],
        [2, 1, 1, LinkType.ETHERNET, 7_000_000n],
        [1, 1, 0, LinkType.RAW, 11n],
      ],
    )
  })
})
