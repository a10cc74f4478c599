import { test } from '@japa/runner'
import { LinkType, readCapture, type PcapReader } from '../../../harness/capture/index.ts'
import { frameOf, pcapFile } from './hand_bytes.ts'

for (const little of [true, false]) {
  for (const nanosecond of [false, true]) {
    const name = `${nanosecond ? 'ns (0xa1b23c4d)' : 'µs (0xa1b2c3d4)'}, ${little ? 'little' : 'big'}-endian`
    test.group(`capture / classic pcap ${name}`, () => {
      test('header and records', ({ assert }) => {
        const records = [
          { sec: 1_700_000_000, frac: nanosecond ? 123_456_789 : 123_456, data: frameOf(0, 60) },
          { sec: 4_294_967_295, frac: nanosecond ? 999_999_999 : 999_999, data: frameOf(1, 1), originalLength: 1500 },
          { sec: 0, frac: 0, data: new Uint8Array(0) },
        ]
        const bytes = pcapFile(little, nanosecond, LinkType.ETHERNET, records)
        const reader = readCapture(bytes) as PcapReader
        assert.equal(reader.format, 'pcap')
        assert.equal(reader.littleEndian, little)
        assert.equal(reader.nanosecond, nanosecond)
        assert.deepEqual([reader.majorVersion, reader.minorVersion], [2, 4])
        const iface = reader.interfaces[0]!
        assert.deepEqual([iface.linkType, iface.snapLength, iface.resolution.exponent], [1, 65535, nanosecond ? 9 : 6])
        const pkts = [...reader]
        const scale = nanosecond ? 1n : 1000n
        assert.deepEqual(
          pkts.map((p) => [p.index, p.interfaceId, p.timestampNs, p.capturedLength, p.originalLength, p.fileOffset]),
          [
            [0, 0, 1_700_000_000n * 1_000_000_000n + BigInt(records[0]!.frac) * scale, 60, 60, 24],
            [1, 0, 4_294_967_295n * 1_000_000_000n + BigInt(records[1]!.frac) * scale, 1, 1500, 24 + 16 + 60],
            [2, 0, 0n, 0, 0, 24 + 16 + 60 + 16 + 1],
          ],
        )
        assert.deepEqual([...pkts[0]!.data], [...frameOf(0, 60)])
      })
    })
  }
}

test.group('capture / classic pcap link type word', () => {
  test('FCS bits in the upper half of the link-type word are not part of the type', ({ assert }) => {
    const bytes = pcapFile(true, false, 0x14000000 | LinkType.LINUX_SLL, [])
    assert.equal(readCapture(bytes).interfaces[0]!.linkType, LinkType.LINUX_SLL)
  })
})
