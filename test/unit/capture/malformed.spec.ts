import { test } from '@japa/runner'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CaptureError, encodePcapng, LinkType, openCapture, readCapture, type CapturePacket } from '../../../harness/capture/index.ts'
import { block, Bytes, concat, epb, frameOf, idb, pcapFile, shb } from './hand_bytes.ts'

/** Reads everything it can; returns the packets and the error that ended reading, if any. */
function drain(bytes: Uint8Array): { packets: CapturePacket[]; error: unknown } {
  const packets: CapturePacket[] = []
  try {
    for (const p of readCapture(bytes)) packets.push(p)
    return { packets, error: undefined }
  } catch (error) {
    return { packets, error }
  }
}

function expectCaptureError(assert: any, bytes: Uint8Array, pattern: RegExp, offset?: number): CapturePacket[] {
  const { packets, error } = drain(bytes)
  assert.instanceOf(error, CaptureError)
  assert.match((error as Error).message, pattern)
  if (offset !== undefined) assert.equal((error as CaptureError).offset, offset)
  return packets
}

const good = encodePcapng(
  [{ linkType: LinkType.ETHERNET }],
  Array.from({ length: 5 }, (_, i) => ({ interfaceId: 0, timestampNs: BigInt(i), data: frameOf(i, 50 + i), comment: i % 2 ? 'odd' : [] })),
)

test.group('capture / bad input gives a CaptureError, never a crash', () => {
  test('empty file and unknown magic', ({ assert }) => {
    assert.throws(() => readCapture(new Uint8Array(0)), /empty file/)
    assert.throws(() => readCapture(Uint8Array.of(1, 2)), /too short/)
    assert.throws(() => readCapture(new TextEncoder().encode('hello world, not a capture')), /not a pcap or pcapng/)
  })

  test('pcapng truncated at every length: all complete packets before the cut are kept', ({ assert }) => {
    const whole = [...readCapture(good)]
    for (let cut = 1; cut < good.length; cut++) {
      const { packets, error } = drain(good.subarray(0, cut))
      if (error !== undefined) assert.instanceOf(error, CaptureError, `cut at ${cut}: ${String(error)}`)
      // Exactly the packets whose block ends at or before the cut were yielded, intact.
      const view = new DataView(good.buffer, good.byteOffset)
      const complete = whole.filter((p) => p.fileOffset + view.getUint32(p.fileOffset + 4, true) <= cut)
      assert.lengthOf(packets, complete.length, `cut at ${cut}`)
      packets.forEach((p, i) => assert.deepEqual([...p.data], [...whole[i]!.data]))
    }
  })

  test('pcap truncated at every length', ({ assert }) => {
    const bytes = pcapFile(false, true, 1, [0, 1, 2].map((i) => ({ sec: i, frac: i, data: frameOf(i, 40) })))
    for (let cut = 1; cut < bytes.length; cut++) {
      const { packets, error } = drain(bytes.subarray(0, cut))
      const complete = Math.max(0, Math.floor((cut - 24) / 56))
      assert.lengthOf(packets, complete, `cut at ${cut}`)
      if (cut !== 24 + 56 * complete) assert.instanceOf(error, CaptureError, `cut at ${cut}`)
      else assert.isUndefined(error)
    }
  })

  test('random garbage after a valid section header: only CaptureError', ({ assert }) => {
    let seed = 12345
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) & 0xff
    for (let round = 0; round < 2000; round++) {
      const noise = Uint8Array.from({ length: 1 + (round % 200) }, rnd)
      const bytes = concat(shb(true), idb(true, 1, 0), noise)
      const { error } = drain(bytes)
      if (error !== undefined) assert.instanceOf(error, CaptureError, String(error))
    }
  })

  test('random mutations of a valid file: only CaptureError, never past the buffer', ({ assert }) => {
    let seed = 99
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n
    for (let round = 0; round < 3000; round++) {
      const bytes = good.slice()
      for (let k = 1 + rnd(4); k > 0; k--) bytes[rnd(bytes.length)] = rnd(256)
      const { packets, error } = drain(bytes)
      if (error !== undefined) assert.instanceOf(error, CaptureError, String(error))
      for (const p of packets) assert.isAtMost(p.capturedLength, bytes.length)
    }
  })

  test('specific structural errors name the problem and the offset', ({ assert }) => {
    const head = concat(shb(true), idb(true, 1, 0))
    const at = head.length
    expectCaptureError(assert, concat(head, epb(true, 3, 0n, frameOf(0, 10))), /refers to interface 3/, at)
    // Total length not a multiple of 4.
    expectCaptureError(assert, concat(head, new Bytes(true).u32(6).u32(14).u32(0).bytes()), /invalid total length 14/, at)
    // Trailing length differs from the leading one.
    const bad = epb(true, 0, 0n, frameOf(0, 10)).slice()
    new DataView(bad.buffer).setUint32(bad.length - 4, 8, true)
    expectCaptureError(assert, concat(head, bad), /trailing copy/, at)
    // A length field claiming 3 GB.
    expectCaptureError(assert, concat(head, new Bytes(true).u32(6).u32(0xc0000000).u32(0).bytes()), /exceeds the .* limit/, at)
    // Captured length larger than the block.
    const big = epb(true, 0, 0n, frameOf(0, 8)).slice()
    new DataView(big.buffer).setUint32(20, 400, true)
    expectCaptureError(assert, concat(head, big), /captured length 400 exceeds/, at)
    // An option whose length runs past the block.
    const opt = block(true, 6, new Bytes(true).u32(0).u32(0).u32(0).u32(0).u32(0).u16(1).u16(200).bytes())
    expectCaptureError(assert, concat(head, opt), /option 1 of length 200/, at)
    // First block not a section header.
    expectCaptureError(assert, concat(new Bytes(false).u32(0x0a0d0d0a).bytes(), idb(true, 1, 0)), /byte-order magic/, 0)
    // Bad SHB version.
    const v2 = shb(true).slice()
    new DataView(v2.buffer).setUint16(12, 2, true)
    expectCaptureError(assert, v2, /major version 2/, 0)
    // pcap record larger than any sane snap length.
    expectCaptureError(assert, concat(pcapFile(true, false, 1, []), new Bytes(true).u32(0).u32(0).u32(0x7fffffff).u32(1).bytes()), /exceeds the limit/, 24)
  })

  test('files: unreadable path and directory raise the system error', ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptp-conform-capture-'))
    try {
      assert.throws(() => openCapture(join(dir, 'missing.pcapng')), /ENOENT/)
      assert.throws(() => openCapture(dir), /EISDIR/)
      const junk = join(dir, 'junk.pcap')
      writeFileSync(junk, 'garbage!')
      assert.throws(() => openCapture(junk), CaptureError)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
