/**
 * Long fuzz run of the PTP decoder: N mutated messages (default 10 000 000), each decoded and,
 * when decodable, re-encoded with EXACT options and compared with the input.
 * Prints the count, CodecErrors, other exceptions (must be 0), re-encode mismatches (must be 0)
 * and the time. Usage: node --import tsx bench/codec-fuzz/run.ts [N] [seed]
 */
import { CodecError, decodeMessage, encodeMessage, EXACT } from '../../harness/codec/index.ts'
import { corpusFrames } from '../../test/support/codec/corpus.ts'
import { mutateFrame } from '../../test/support/codec/mutator.ts'
import { SeededRandom } from '../../harness/engines/random.ts'
import { toHex } from '../../test/support/codec/hex.ts'

const N = Number(process.argv[2] ?? 10_000_000)
const SEED = Number(process.argv[3] ?? 0x1588)
const corpus = corpusFrames().map((f) => f.bytes)
const rng = new SeededRandom(SEED)
let decoded = 0
let codecErrors = 0
let exceptions = 0
let mismatches = 0
let longest = 0n
const started = process.hrtime.bigint()
for (let i = 0; i < N; i++) {
  const frame = mutateFrame(rng, rng.pick(corpus))
  const t0 = process.hrtime.bigint()
  try {
    const { message } = decodeMessage(frame)
    decoded++
    const again = encodeMessage(message, EXACT)
    if (Buffer.compare(again, frame) !== 0) {
      if (mismatches++ < 3) console.log(`mismatch: in ${toHex(frame)}\n         out ${toHex(again)}`)
    }
  } catch (e) {
    if (e instanceof CodecError) codecErrors++
    else if (exceptions++ < 3) console.log(`exception ${(e as Error).stack} for ${toHex(frame)}`)
  }
  const dt = process.hrtime.bigint() - t0
  if (dt > longest) longest = dt
  if ((i + 1) % 1_000_000 === 0) console.log(`  ${i + 1} ...`)
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9
console.log(`frames ${N}  seed ${SEED}`)
console.log(`decoded ${decoded}  CodecError ${codecErrors}  other exceptions ${exceptions}  re-encode mismatches ${mismatches}`)
console.log(`time ${seconds.toFixed(1)} s  (${((N / seconds) / 1e3).toFixed(0)} k frames/s incl. mutation and re-encode; slowest frame ${(Number(longest) / 1e6).toFixed(2)} ms)`)
process.exitCode = exceptions === 0 && mismatches === 0 ? 0 : 1
