/**
 * Micro-benchmark of the PTP decoder on single messages (no framing, no file I/O):
 * prints decodes per second for Sync, Announce, Follow_Up with the 802.1AS TLV, and a
 * Management response, plus encode rates. Usage: node --import tsx bench/codec-micro/run.ts [seconds-per-case]
 */
import {
  buildAnnounce,
  buildFollowUp,
  buildFollowUpInfoTlv,
  buildManagement,
  buildSync,
  decodeMessage,
  encodeMessage,
  type PtpMessage,
} from '../../harness/codec/index.ts'

const seconds = Number(process.argv[2] ?? 1)
const header = {
  sourcePortIdentity: { clockIdentity: '0a1b2c.fffe.3d4e5f', portNumber: 1 },
  correctionField: 0x1234n,
  sequenceId: 4242,
}
const cases: Array<[string, PtpMessage]> = [
  ['Sync', buildSync({ header, originTimestamp: { secondsField: 1_700_000_000n, nanosecondsField: 123_456_789 } })],
  ['Announce', buildAnnounce({ header })],
  ['Follow_Up + 802.1AS TLV', buildFollowUp({ header: { ...header, majorSdoId: 1 }, tlvs: [buildFollowUpInfoTlv()] })],
  ['Management CURRENT_DATA_SET', buildManagement({ header, actionField: 'RESPONSE', managementId: 'CURRENT_DATA_SET', dataField: { name: 'CURRENT_DATA_SET', stepsRemoved: 1, offsetFromMaster: 1000n, meanPathDelay: 2000n } })],
]

function rate(fn: () => void): number {
  // Warm up so the JIT has optimised the path before timing.
  for (let i = 0; i < 200_000; i++) fn()
  let n = 0
  const start = process.hrtime.bigint()
  const limit = BigInt(Math.round(seconds * 1e9))
  let elapsed = 0n
  while (elapsed < limit) {
    for (let i = 0; i < 100_000; i++) fn()
    n += 100_000
    elapsed = process.hrtime.bigint() - start
  }
  return (n * 1e9) / Number(elapsed)
}

let sink = 0
for (const [name, msg] of cases) {
  for (const distinctClocks of [false, true]) {
  const bytes = encodeMessage(msg)
  // A 1000-frame ring of copies (sequenceId and correctionField vary), so the decoder does not
  // see one buffer only; with distinctClocks every frame has its own sourcePortIdentity, which
  // defeats the ClockIdentity formatting cache (the worst case).
  const ring = Array.from({ length: 1000 }, (_, i) => {
    const b = bytes.slice()
    b[31] = i & 0xff
    b[14] = i & 0xff
    b[13] = i >> 8
    if (distinctClocks) {
      b[26] = i & 0xff
      b[27] = i >> 8
    }
    return b
  })
  let k = 0
  const dec = rate(() => {
    sink += decodeMessage(ring[k++ % 1000]!).message.header.sequenceId
  })
  const enc = rate(() => {
    sink += encodeMessage(msg).length
  })
  const ns = 1e9 / dec
  const label = `${name}${distinctClocks ? ', 1000 clocks' : ''}`
  console.log(`${label.padEnd(42)} decode ${(dec / 1e6).toFixed(2)} M msg/s (${ns.toFixed(0)} ns/msg)   encode ${(enc / 1e6).toFixed(2)} M msg/s`)
  }
}
if (sink === 42) console.log('')
