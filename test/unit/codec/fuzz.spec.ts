/**
 * Seeded fuzzing: mutated valid messages must never make the decoder throw anything but
 * CodecError, never make it read outside the window it was given, and every message it does
 * decode must re-encode (with EXACT options) to the very octets it came from.
 */
import { test } from '@japa/runner'
import { CodecError, decodeFrame, decodeMessage, encodeMessage, encodePtpFrame, EXACT, type LinkType } from '../../../harness/codec/index.ts'
import { corpusFrames } from '../../support/codec/corpus.ts'
import { mutateFrame } from '../../support/codec/mutator.ts'
import { SeededRandom } from '../../../harness/engines/random.ts'
import { toHex } from '../../support/codec/hex.ts'

const FRAMES = 300_000
const SEED = Number(process.env.PTP_CONFORM_FUZZ_SEED ?? 0x1588)
const GUARD = 0xa5

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

test.group('codec / fuzz', () => {
  test(`${FRAMES} mutated frames (seed ${SEED}): only CodecError, no reads outside the window, exact re-encode`, ({ assert }) => {
    const corpus = corpusFrames().map((f) => f.bytes)
    const rng = new SeededRandom(SEED)
    const window = new Uint8Array(4096)
    let decoded = 0
    let codecErrors = 0
    let withFindings = 0
    const problems: string[] = []
    const started = Date.now()
    let i = 0
    for (; i < FRAMES && problems.length < 5; i++) {
      const frame = mutateFrame(rng, rng.pick(corpus))
      // The frame sits at an odd offset inside guard octets: any read outside
      // [offset, offset + length) would pick up 0xA5 and break the exact re-encode below.
      const offset = 1 + rng.below(7)
      window.fill(GUARD, 0, offset + frame.length + 16)
      window.set(frame, offset)
      let result
      try {
        result = decodeMessage(window, offset, frame.length)
      } catch (e) {
        if (e instanceof CodecError) {
          codecErrors++
          if (!(e.offset >= 0 && e.offset <= frame.length) || e.field.length === 0) {
            problems.push(`CodecError with offset ${e.offset} field '${e.field}' for ${toHex(frame)}`)
          }
          continue
        }
        problems.push(`${(e as Error).stack} for ${toHex(frame)}`)
        continue
      }
      decoded++
      if (result.findings.length > 0) withFindings++
      for (const f of result.findings) {
        if (!(f.offset >= 0 && f.offset <= frame.length) || !f.field || !f.clause || !f.message) {
          problems.push(`malformed finding ${JSON.stringify(f)} for ${toHex(frame)}`)
        }
      }
      let again: Uint8Array
      try {
        again = encodeMessage(result.message, EXACT)
      } catch (e) {
        problems.push(`re-encode threw ${(e as Error).message} for ${toHex(frame)}`)
        continue
      }
      if (!sameBytes(again, frame)) problems.push(`re-encode differs:\n in  ${toHex(frame)}\n out ${toHex(again)}`)
    }
    const seconds = (Date.now() - started) / 1000
    console.log(`  fuzz: ${i} frames in ${seconds.toFixed(1)} s: ${decoded} decoded (${withFindings} with findings), ${codecErrors} CodecError`)
    assert.deepEqual(problems, [])
    assert.equal(i, FRAMES)
    // The mutator must actually exercise both outcomes, or the test proves nothing.
    assert.isAbove(codecErrors, FRAMES / 100)
    assert.isAbove(withFindings, FRAMES / 10)
  }).timeout(120_000)

  test('50000 mutated link-layer frames: decodeFrame never throws', ({ assert }) => {
    const frames: Array<[Uint8Array, LinkType]> = []
    for (const bytes of corpusFrames().map((f) => f.bytes)) {
      frames.push([encodePtpFrame(bytes, { transport: 'l2', srcMac: '02:00:00:00:00:01', vlan: [{ pcp: 4, dei: 0, vid: 7 }] }), 'ethernet'])
      frames.push([encodePtpFrame(bytes, { transport: 'udp4', srcMac: '02:00:00:00:00:01' }), 'ethernet'])
      const v6 = encodePtpFrame(bytes, { transport: 'udp6', srcMac: '02:00:00:00:00:01' })
      frames.push([v6, 'ethernet'])
      frames.push([v6.slice(14), 'raw-ip'])
    }
    const rng = new SeededRandom(SEED + 1)
    const problems: string[] = []
    let ptp = 0
    for (let i = 0; i < 50_000 && problems.length < 5; i++) {
      const [frame, linkType] = rng.pick(frames)
      const mutated = mutateFrame(rng, frame)
      try {
        if (decodeFrame(mutated, linkType).ptp) ptp++
      } catch (e) {
        problems.push(`${(e as Error).stack} for ${toHex(mutated)}`)
      }
    }
    assert.deepEqual(problems, [])
    assert.isAbove(ptp, 10_000)
  }).timeout(60_000)
})
