/**
 * Codec throughput on a capture, next to tshark on the same file.
 *
 * Generates (once; reused from os.tmpdir()) a pcapng of 1 000 000 PTP messages
 * in a realistic mix: E2E streams (Sync, Follow_Up, Delay_Req, Delay_Resp),
 * P2P streams (Pdelay_Req, Pdelay_Resp, Pdelay_Resp_Follow_Up), Announce every
 * 4th cycle (every 8th with a PATH_TRACE TLV), 802.1AS Follow_Ups with the
 * Follow_Up information TLV, and a management GET/RESPONSE pair every 250th
 * cycle; over L2, UDP/IPv4 and UDP/IPv6. Then, on one thread:
 *   1. ptp-conform: read the pcapng, decode each frame's Ethernet/IP/UDP headers
 *      and its PTP message (with findings) -> messages per second (best and
 *      median of 3 runs);
 *   2. tshark -r FILE -T fields -e ptp.v2.sequenceid (every frame dissected,
 *      output counted and discarded) -> seconds;
 * and prints the ratio. The machine is shared: run it when nothing else is
 * being timed.
 *
 * Usage: node --import tsx bench/codec/run.ts [messages] [--no-tshark]
 */
import { spawn } from 'node:child_process'
import { existsSync, renameSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LinkType, openCapture, PcapngWriter } from '../../harness/capture/index.ts'
import {
  buildAnnounce,
  buildDelayReq,
  buildDelayResp,
  buildFollowUp,
  buildFollowUpInfoTlv,
  buildManagement,
  buildPathTraceTlv,
  buildPdelayReq,
  buildPdelayResp,
  buildPdelayRespFollowUp,
  buildSync,
  decodeFrame,
  emptyDataFieldFor,
  encodeMessage,
  encodePtpFrame,
  linkTypeFromPcap,
  ManagementId,
  type PtpMessage,
  type PtpTransport,
} from '../../harness/codec/index.ts'

const args = process.argv.slice(2)
const total = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000)
const runTshark = !args.includes('--no-tshark')
const FORMAT_VERSION = 1

// ---------------------------------------------------------------------------------------------
// The capture

interface Stream {
  transport: PtpTransport
  mechanism: 'E2E' | 'P2P'
  gptp: boolean
  master: { clockIdentity: string; portNumber: number }
  slave: { clockIdentity: string; portNumber: number }
  masterMac: string
  slaveMac: string
  masterIp: string
  slaveIp: string
  seq: number
}

function streams(): Stream[] {
  const out: Stream[] = []
  const transports: PtpTransport[] = ['l2', 'l2', 'udp4', 'udp6']
  for (let i = 0; i < 8; i++) {
    const transport = transports[i % transports.length]!
    const gptp = i === 1
    const hex = (n: number) => n.toString(16).padStart(2, '0')
    out.push({
      transport,
      mechanism: gptp || i % 2 === 1 ? 'P2P' : 'E2E',
      gptp,
      master: { clockIdentity: `0200${hex(i)}.fffe.000001`, portNumber: 1 },
      slave: { clockIdentity: `0200${hex(i)}.fffe.000002`, portNumber: 1 },
      masterMac: `02:00:${hex(i)}:00:00:01`,
      slaveMac: `02:00:${hex(i)}:00:00:02`,
      masterIp: transport === 'udp6' ? `2001:db8::${i}:1` : `192.0.2.${2 * i + 1}`,
      slaveIp: transport === 'udp6' ? `2001:db8::${i}:2` : `192.0.2.${2 * i + 2}`,
      seq: 0,
    })
  }
  return out
}

/** One sync/delay cycle of a stream: the messages in wire order, each with who sends it. */
function* cycle(s: Stream, n: number, nowNs: bigint): Generator<[PtpMessage, 'master' | 'slave']> {
  const seq = s.seq++ & 0xffff
  const ts = (ns: bigint) => ({ secondsField: ns / 1_000_000_000n, nanosecondsField: Number(ns % 1_000_000_000n) })
  const mh = (over: object = {}) => ({ sourcePortIdentity: s.master, sequenceId: seq, majorSdoId: s.gptp ? 1 : 0, ...over })
  const sh = (over: object = {}) => ({ sourcePortIdentity: s.slave, sequenceId: seq, majorSdoId: s.gptp ? 1 : 0, ...over })
  if (n % 4 === 0) {
    yield [
      buildAnnounce({
        header: mh({ logMessageInterval: 1, flagField: 0x0008 }),
        tlvs: n % 8 === 0 || s.gptp ? [buildPathTraceTlv([s.master.clockIdentity])] : [],
      }),
      'master',
    ]
  }
  yield [buildSync({ header: mh({ flagField: 0x0200, logMessageInterval: -3 }) }), 'master']
  yield [
    buildFollowUp({
      header: mh({ logMessageInterval: -3, correctionField: BigInt(n % 1000) << 16n }),
      preciseOriginTimestamp: ts(nowNs),
      tlvs: s.gptp ? [buildFollowUpInfoTlv({ cumulativeScaledRateOffset: n % 977 })] : [],
    }),
    'master',
  ]
  if (s.mechanism === 'E2E') {
    yield [buildDelayReq({ header: sh({ logMessageInterval: 0x7f }) }), 'slave']
    yield [buildDelayResp({ header: mh({ logMessageInterval: -3 }), receiveTimestamp: ts(nowNs + 1500n), requestingPortIdentity: s.slave }), 'master']
  } else {
    yield [buildPdelayReq({ header: sh({ logMessageInterval: s.gptp ? 0 : 0x7f }) }), 'slave']
    yield [buildPdelayResp({ header: mh({ flagField: 0x0200 }), requestReceiptTimestamp: ts(nowNs + 1500n), requestingPortIdentity: s.slave }), 'master']
    yield [buildPdelayRespFollowUp({ header: mh(), responseOriginTimestamp: ts(nowNs + 9000n), requestingPortIdentity: s.slave }), 'master']
  }
  if (n % 250 === 0) {
    const id = (['DEFAULT_DATA_SET', 'CURRENT_DATA_SET', 'PORT_DATA_SET'] as const)[(n / 250) % 3]!
    yield [buildManagement({ header: sh({ controlField: 4 }), actionField: 'GET', managementId: id }), 'slave']
    yield [
      buildManagement({
        header: mh({ controlField: 4 }),
        actionField: 'RESPONSE',
        managementId: id,
        dataField: emptyDataFieldFor(ManagementId[id]),
        targetPortIdentity: s.slave,
      }),
      'master',
    ]
  }
}

function generate(file: string, count: number): void {
  const tmp = `${file}.${process.pid}.tmp`
  const w = PcapngWriter.toFile(tmp, { comment: `ptp-conform bench/codec mix, ${count} PTP messages` })
  const eth = w.addInterface({ linkType: LinkType.ETHERNET, name: 'bench' })
  const all = streams()
  let written = 0
  let now = 1_700_000_000_000_000_000n
  for (let n = 0; written < count; n++) {
    for (const s of all) {
      for (const [msg, who] of cycle(s, n, now)) {
        if (written >= count) break
        const master = who === 'master'
        const data = encodePtpFrame(encodeMessage(msg), {
          transport: s.transport,
          srcMac: master ? s.masterMac : s.slaveMac,
          srcIp: master ? s.masterIp : s.slaveIp,
        })
        now += 15_625n
        w.writePacket({ interfaceId: eth, timestampNs: now, data })
        written++
      }
    }
  }
  w.close()
  renameSync(tmp, file)
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface DecodeRun {
  /** Wall-clock seconds. */
  seconds: number
  /** CPU seconds (user + system) of this process: fair when other work shares the CPUs. */
  cpuSeconds: number
  frames: number
  messages: number
  undecodable: number
  findings: number
}

function decodeRun(file: string): DecodeRun {
  const cpu0 = process.cpuUsage()
  const start = process.hrtime.bigint()
  let frames = 0
  let messages = 0
  let undecodable = 0
  let findings = 0
  for (const p of openCapture(file)) {
    frames++
    const lt = linkTypeFromPcap(p.linkType)
    if (lt === undefined) continue
    const r = decodeFrame(p.data, lt)
    if (r.ptp) {
      messages++
      findings += r.ptp.findings.length + r.findings.length
    } else if (r.ptpError) undecodable++
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const cpu = process.cpuUsage(cpu0)
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, frames, messages, undecodable, findings }
}

function readOnlyRun(file: string): number {
  const start = process.hrtime.bigint()
  let octets = 0
  for (const p of openCapture(file)) octets += p.data.length
  if (octets === 0) throw new Error('empty capture')
  return Number(process.hrtime.bigint() - start) / 1e9
}

/**
 * tshark over the whole file, its output counted by wc (so we know every frame
 * was dissected); bash's `times` reports the CPU time of the children.
 */
function tsharkRun(file: string): Promise<{ seconds: number; cpuSeconds: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const script = 'tshark -r "$1" -n -T fields -e ptp.v2.sequenceid 2>/dev/null | wc -l; times'
    const child = spawn('bash', ['-c', script, 'bench', file], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => (out += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      const [count, , children] = out.trim().split('\n')
      // `times` line 2: children's user and system time, e.g. "1m2.345s 0m0.678s".
      const cpu = (children ?? '').split(/\s+/).map((t) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(t)
        return m ? Number(m[1]) * 60 + Number(m[2]) : NaN
      })
      if (code !== 0 || cpu.some(Number.isNaN)) reject(new Error(`tshark run failed (${code}): ${out}`))
      else resolve({ seconds, cpuSeconds: cpu[0]! + cpu[1]!, lines: Number(count) })
    })
  })
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

const file = join(tmpdir(), `ptp-conform-bench-codec-v${FORMAT_VERSION}-${total}.pcapng`)
if (existsSync(file)) {
  console.log(`capture: ${file} (reused, ${fmt(statSync(file).size)} octets)`)
} else {
  const t0 = process.hrtime.bigint()
  generate(file, total)
  console.log(`capture: ${file} (generated in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s, ${fmt(statSync(file).size)} octets)`)
}

// Warm-up pass so the JIT has compiled the decoder before timing.
decodeRun(file)
const runs = [decodeRun(file), decodeRun(file), decodeRun(file)]
const first = runs[0]!
if (first.messages !== total || first.undecodable !== 0) {
  throw new Error(`decoded ${first.messages} of ${total} messages (${first.undecodable} undecodable)`)
}
const byCpu = runs.map((r) => r.messages / r.cpuSeconds).sort((a, b) => a - b)
const byWall = runs.map((r) => r.messages / r.seconds).sort((a, b) => a - b)
const readOnly = Math.min(readOnlyRun(file), readOnlyRun(file))
console.log(`ptp-conform: ${fmt(first.messages)} messages in ${fmt(first.frames)} frames, ${first.findings} findings, 0 undecodable`)
console.log(
  `ptp-conform: read + frame decode + PTP decode, one thread: median ${fmt(byCpu[1]!)} msg/s of CPU time ` +
    `(best ${fmt(byCpu[2]!)}); wall clock median ${fmt(byWall[1]!)} msg/s ` +
    `(runs: ${runs.map((r) => `${r.cpuSeconds.toFixed(2)} s CPU / ${r.seconds.toFixed(2)} s wall`).join(', ')})`,
)
console.log(`ptp-conform: reading the pcapng alone: ${readOnly.toFixed(3)} s wall (${fmt(total / readOnly)} packets/s)`)

if (runTshark) {
  const t = await tsharkRun(file)
  if (t.lines !== total) throw new Error(`tshark printed ${t.lines} lines for ${total} frames`)
  console.log(
    `tshark: -T fields -e ptp.v2.sequenceid over ${fmt(t.lines)} frames: ${t.cpuSeconds.toFixed(1)} s CPU, ` +
      `${t.seconds.toFixed(1)} s wall (${fmt(total / t.cpuSeconds)} msg/s of CPU time)`,
  )
  const oursCpu = total / byCpu[1]!
  const oursWall = total / byWall[1]!
  console.log(
    `ratio: ptp-conform is ${(t.cpuSeconds / oursCpu).toFixed(1)}x tshark by CPU time ` +
      `(${(t.seconds / oursWall).toFixed(1)}x by wall clock), median runs`,
  )
}
