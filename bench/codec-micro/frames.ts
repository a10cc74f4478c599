/**
 * decodeFrame throughput per transport (Ethernet + optional IP/UDP + PTP Sync), one frame decoded
 * repeatedly from a ring of 1000 copies with varying sequenceId. No file I/O.
 * Usage: node --import tsx bench/codec-micro/frames.ts [frames-per-case]
 */
import { buildSync, decodeFrame, encodeMessage, encodePtpFrame, type PtpTransport } from '../../harness/codec/index.ts'

const N = Number(process.argv[2] ?? 3_000_000)
let sink = 0
for (const transport of ['l2', 'udp4', 'udp6'] as PtpTransport[]) {
  const ring = Array.from({ length: 1000 }, (_, i) => {
    const sync = encodeMessage(buildSync({ header: { sourcePortIdentity: { clockIdentity: '001b19.fffe.000001', portNumber: 1 }, sequenceId: i } }))
    return encodePtpFrame(sync, { transport, srcMac: '02:00:00:00:00:01' })
  })
  for (let i = 0; i < 300_000; i++) sink += decodeFrame(ring[i % 1000]!, 'ethernet').ptpOffset
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) sink += decodeFrame(ring[i % 1000]!, 'ethernet').ptpOffset
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  console.log(`${transport.padEnd(5)} decodeFrame ${(N / seconds / 1e6).toFixed(2)} M frames/s (${((seconds / N) * 1e9).toFixed(0)} ns/frame)`)
}
if (sink === 42) console.log('')
