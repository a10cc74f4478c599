/**
 * Load-generation benchmark: how many Delay_Req per second the harness's emulated-slave fleet
 * sends, each with its TX timestamp, on one core, and how far those TX timestamps sit from the
 * planned send times at that rate (what ROB-07 calls the harness's TX-schedule error).
 *
 *   node --import tsx bench/load/run.ts [seconds-per-step]      (root: namespaces, veth, tshark)
 *
 * A veth pair in two namespaces: on one side a TestMaster (Sync 8/s, answers every Delay_Req),
 * on the other fleets of 500 … 8000 TestSlaves, each at one Delay_Req per second, one fleet at a
 * time. Reference, measured in the same run: tshark on the master's side counts the Delay_Req
 * frames that arrived (an independent count of what reached the wire). Both sides run in this one
 * process, so the master's answers compete with the fleet for the core. Nothing here asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createSlaveFleet } from '../../harness/engines/slave_fleet.ts'
import { TestMaster } from '../../harness/engines/test_master.ts'
import { emulatedClockIdentity } from '../../harness/engines/clock_identities.ts'
import { openDriver } from '../../harness/runtime/open_driver.ts'
import { Recorder } from '../../harness/recorder/recorder.ts'
import { summarize } from '../../harness/stats/percentiles.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { createVethPair } from '../../test/support/transport/veth_pair.ts'

const FLEETS = [500, 1000, 2000, 4000, 8000]
const SECONDS = Number(process.argv[2] ?? 6)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const us = (ns: bigint) => `${(Number(ns) / 1000).toFixed(1)} µs`

function startTshark(netns: string, ifname: string, file: string): ChildProcess {
  return spawn('ip', ['netns', 'exec', netns, 'tshark', '-q', '-i', ifname, '-f', 'ether proto 0x88f7', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] })
}

function countDelayReq(file: string): number {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'ptp.v2.messagetype == 0x1'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
  return out.split('\n').filter((l) => l.trim()).length
}

async function main(): Promise<void> {
  const pair = createVethPair('ld')
  const dir = mkdtempSync(join(tmpdir(), 'ptpc-bench-load-'))
  const master = new TestMaster({ name: 'gm', clockIdentity: emulatedClockIdentity(1), logAnnounceInterval: 0, logSyncInterval: -3 })
  const gmRecorder = new Recorder()
  const gm = openDriver({ port: { interface: pair.b.ifname, netns: pair.b.netns, transport: 'l2' }, engine: master, recorder: gmRecorder, name: 'gm' })
  gm.driver.start()
  console.log(`bench/load: ${SECONDS} s per fleet, Delay_Req at 1/s per slave, l2 over veth; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  console.log('fleet  offered/s  sent/s (TX ts)  tshark/s  TX−planned p50     p99       max   answered')
  try {
    for (const n of FLEETS) {
      const file = join(dir, `fleet-${n}.pcapng`)
      gmRecorder.clear() // the master's side keeps nothing: tshark is the count there
      const tshark = startTshark(pair.b.netns, pair.b.ifname, file)
      await sleep(1500)
      const fleet = createSlaveFleet({ name: `load-${n}`, count: n, identityFamily: 0x02_5e_08, slave: { delayMechanism: 'E2E', logMinDelayReqInterval: 0, master: { clockIdentity: emulatedClockIdentity(1), portNumber: 1 }, maxSamples: 4 }, seed: n })
      const side = openDriver({ port: { interface: pair.a.ifname, netns: pair.a.netns, transport: 'l2' }, engine: fleet, name: 'fleet' })
      const t0 = systemTimeNs()
      side.driver.start()
      await sleep(SECONDS * 1000)
      const t1 = systemTimeNs()
      await side.close()
      await sleep(500)
      tshark.kill('SIGINT')
      await new Promise((r) => tshark.once('exit', r))
      const frames = side.driver.recorder.frames
      const sent = frames.filter((f) => f.direction === 'out' && f.message?.type === 'Delay_Req' && f.timestampNs !== null)
      const errors = sent.filter((f) => f.plannedAt !== undefined).map((f) => f.timestampNs! - f.plannedAt!)
      const answered = frames.filter((f) => f.direction === 'in' && f.message?.type === 'Delay_Resp').length
      const secs = Number(t1 - t0) / 1e9
      const s = errors.length ? summarize(errors) : undefined
      const seen = countDelayReq(file)
      console.log(`${String(n).padStart(5)}  ${String(n).padStart(9)}  ${(sent.length / secs).toFixed(0).padStart(14)}  ${(seen / secs).toFixed(0).padStart(8)}  ${s ? `${us(s.p50).padStart(10)} ${us(s.p99).padStart(9)} ${us(s.max).padStart(9)}` : '—'}   ${answered}/${sent.length}`)
    }
  } finally {
    await gm.close()
    pair.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
