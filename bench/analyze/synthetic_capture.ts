/**
 * A large, conformant capture for `bench/analyze`: one default-profile grandmaster over L2
 * (Announce at 2^1 s, Sync + Follow_Up at 2^0 s, two-step) answering one slave's Delay_Req,
 * written as a nanosecond pcap. Each message is encoded once by the codec; every frame after
 * that patches only its sequenceId and timestamps, so gigabytes take seconds.
 * Usage: node --import tsx bench/analyze/synthetic_capture.ts OUT.pcap MEGABYTES
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { buildAnnounce, buildDelayReq, buildDelayResp, buildFollowUp, buildSync, encodeMessage, encodePtpFrame } from '../../harness/codec/index.ts'

export const GM = { clockIdentity: '02aaaa.fffe.000001', portNumber: 1 }
export const GM_MAC = '02:aa:aa:00:00:01'
const SLAVE = { clockIdentity: '02bbbb.fffe.000002', portNumber: 1 }
const SLAVE_MAC = '02:bb:bb:00:00:02'
const TWO_STEP = 0x0200
const UTC_VALID_PTP = 0x0004 | 0x0008

/** Ethernet (14 octets) + the PTP header: sequenceId at 30, the body's timestamp at 34. */
const SEQ_AT = 14 + 30
const TS_AT = 14 + 34

function frame(msg: Parameters<typeof encodeMessage>[0], mac: string): Uint8Array {
  return encodePtpFrame(encodeMessage(msg), { transport: 'l2', srcMac: mac })
}

const h = (type: string, seq = 0, extra: object = {}) => ({ header: { sourcePortIdentity: type === 'Delay_Req' ? SLAVE : GM, sequenceId: seq, ...extra } })
const TEMPLATES = {
  announce: frame(buildAnnounce({ ...h('Announce', 0, { flagField: UTC_VALID_PTP, logMessageInterval: 1 }), currentUtcOffset: 37, grandmasterIdentity: GM.clockIdentity, grandmasterPriority1: 128, grandmasterPriority2: 128, grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, timeSource: 0xa0 }), GM_MAC),
  sync: frame(buildSync({ ...h('Sync', 0, { flagField: TWO_STEP, logMessageInterval: 0 }) }), GM_MAC),
  followUp: frame(buildFollowUp({ ...h('Follow_Up', 0, { logMessageInterval: 0 }) }), GM_MAC),
  delayReq: frame(buildDelayReq({ ...h('Delay_Req', 0, { logMessageInterval: 0x7f }) }), SLAVE_MAC),
  delayResp: frame(buildDelayResp({ ...h('Delay_Resp', 0, { logMessageInterval: 0 }), requestingPortIdentity: SLAVE }), GM_MAC),
}

/** Writes ~`bytes` of capture; returns the frames written. Deterministic (an LCG draws the jitter). */
export function writeSyntheticCapture(file: string, bytes: number): number {
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(1 << 22)
  let used = 0
  const flush = () => {
    writeSync(fd, chunk, 0, used)
    used = 0
  }
  const g = Buffer.alloc(24)
  g.writeUInt32LE(0xa1b23c4d, 0) // nanosecond pcap
  g.writeUInt16LE(2, 4)
  g.writeUInt16LE(4, 6)
  g.writeUInt32LE(65535, 16)
  g.writeUInt32LE(1, 20) // Ethernet
  writeSync(fd, g)
  let written = 24
  let frames = 0
  let rng = 12345
  const jitterNs = (spread: number) => {
    rng = (rng * 1103515245 + 12345) % 2 ** 31
    return BigInt(Math.round((rng / 2 ** 31 - 0.5) * spread))
  }
  const put = (tpl: Uint8Array, atNs: bigint, seq: number, stampNs: bigint) => {
    if (used + 16 + tpl.length > chunk.length) flush()
    chunk.writeUInt32LE(Number(atNs / 1_000_000_000n), used)
    chunk.writeUInt32LE(Number(atNs % 1_000_000_000n), used + 4)
    chunk.writeUInt32LE(tpl.length, used + 8)
    chunk.writeUInt32LE(tpl.length, used + 12)
    const o = used + 16
    chunk.set(tpl, o)
    chunk.writeUInt16BE(seq & 0xffff, o + SEQ_AT)
    const s = stampNs / 1_000_000_000n
    chunk.writeUInt16BE(Number(s >> 32n), o + TS_AT)
    chunk.writeUInt32BE(Number(s & 0xffffffffn), o + TS_AT + 2)
    chunk.writeUInt32BE(Number(stampNs % 1_000_000_000n), o + TS_AT + 6)
    used += 16 + tpl.length
    written += 16 + tpl.length
    frames++
  }
  const start = 1_767_225_600_000_000_000n // 2026-01-01 UTC
  for (let sec = 0; written < bytes; sec++) {
    const t = start + BigInt(sec) * 1_000_000_000n
    const syncAt = t + jitterNs(20_000)
    if (sec % 2 === 0) put(TEMPLATES.announce, t + 100_000n + jitterNs(20_000), sec / 2, 0n)
    put(TEMPLATES.sync, syncAt, sec, 0n)
    put(TEMPLATES.followUp, syncAt + 40_000n + jitterNs(10_000), sec, syncAt)
    // The slave's requests fall in (0, 2T] after the last: here about mid-second.
    const reqAt = t + 500_000_000n + jitterNs(400_000_000)
    put(TEMPLATES.delayReq, reqAt, sec, 0n)
    put(TEMPLATES.delayResp, reqAt + 60_000n + jitterNs(10_000), sec, reqAt + 20_000n)
  }
  flush()
  closeSync(fd)
  return frames
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, mb] = process.argv.slice(2)
  if (!out || !mb) {
    console.error('usage: synthetic_capture.ts OUT.pcap MEGABYTES')
    process.exit(2)
  }
  const t0 = Date.now()
  const n = writeSyntheticCapture(out, Number(mb) * 1e6)
  console.log(`${out}: ${n} frames, ${mb} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}
