/**
 * The emulated clocks against ptp4l 3.1.1 in the virtual lab (UDPv4, E2E, fast intervals:
 * Announce −2, Sync −3, Delay_Req −3).
 *
 * 1. A ptp4l slave follows the test master and reports the offset the master injects; moving
 *    time into correctionField (and the timestamp by the same amount) changes nothing.
 * 2. With two emulated grandmasters the ptp4l slave picks the one our BMCA engine predicts, for
 *    every data set attribute in both orders.
 * 3. When the grandmaster falls silent, ptp4l switches to the backup within the window the
 *    failover predictor gives.
 * 4. The test slave measures a ptp4l master: offset near 0 (the lab shares one clock), mean path
 *    delay near the veth kernel latency.
 *
 * The true offset between lab namespaces is 0 (one CLOCK_REALTIME); ptp4l runs free_running and
 * is let into SLAVE with SET SYNCHRONIZATION_UNCERTAIN_NP 0 (the adapter does it), so the offset
 * it reports tracks what the test master injects directly. Measured figures are printed.
 */
import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { FLAG_CURRENT_UTC_OFFSET_VALID, FLAG_PTP_TIMESCALE } from '../../../harness/codec/constants.ts'
import { Lab } from '../../../harness/lab/index.ts'
import { LinuxptpDut, PTP4L, waitForPortState } from '../../../harness/dut/index.ts'
import { loadProfile, type Profile } from '../../../harness/profiles/index.ts'
import { openDriver, type OpenedDriver } from '../../../harness/runtime/index.ts'
import {
  EngineGroup,
  emulatedClockIdentity,
  TestMaster,
  TestSlave,
  timeBaseShowingSlaveOffset,
  TimeBase,
  scaledToNs,
  type AnnounceDataset,
  ManagementPoller,
  changeInterval,
  createSlaveFleet,
  fleetSlaves,
  type ManagementObservation,
} from '../../../harness/engines/index.ts'
import { predictChoice, predictFailover, type Candidate } from '../../../harness/bmca/index.ts'
import { pairDelayReqResp, pairSyncFollowUp } from '../../../harness/recorder/index.ts'
import { systemTimeNs } from '../../../harness/transport/index.ts'
import { summarize } from '../../../harness/stats/percentiles.ts'
import { formatNs } from '../../../harness/time/format.ts'
import { abs, readParent, sampleOffsets, waitForGrandmaster } from '../../support/engines/ptp4l_probe.ts'

const isRoot = process.getuid?.() === 0
const canRun = isRoot && existsSync(PTP4L)
const FAST = { logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3 }
const MS = 1_000_000n
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Both emulated grandmasters share a locally administered identity family; gm-b's identity is the higher. */
const GM_A = emulatedClockIdentity(0x0a, 0x02_aa_00)
const GM_B = emulatedClockIdentity(0x0b, 0x02_aa_00)

const BASE: AnnounceDataset = {
  grandmasterPriority1: 128,
  grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
  grandmasterPriority2: 128,
  stepsRemoved: 0,
  timeSource: 0xa0,
  currentUtcOffset: 37,
  flagField: 0,
}

function fmt(ns: bigint): string {
  return formatNs(ns)
}

test.group('engines (lab) / test masters and a ptp4l slave', (group) => {
  let lab: Lab
  let profile: Profile
  let opened: OpenedDriver
  let clocks: EngineGroup
  let gmA: TestMaster
  let gmB: TestMaster
  let dut: LinuxptpDut
  let probe: ManagementPoller
  let noiseP90 = 0n

  group.setup(async () => {
    if (!canRun) return
    lab = await Lab.up({ topology: 'pair' })
    try {
      profile = await loadProfile('default-e2e')
      const h = lab.port('h')
      const d = lab.port('d1')
      gmA = new TestMaster({ name: 'gm-a', clockIdentity: GM_A, ...FAST, dataset: { ...BASE, grandmasterPriority1: 100 } })
      gmB = new TestMaster({ name: 'gm-b', clockIdentity: GM_B, ...FAST, dataset: { ...BASE, grandmasterPriority1: 110 } })
      gmB.silence()
      probe = new ManagementPoller({ name: 'probe', clockIdentity: emulatedClockIdentity(0x0f, 0x02_aa_00), managementId: 'PARENT_DATA_SET', periodNs: 10n * MS, active: false })
      clocks = new EngineGroup('h', [gmA, gmB, probe])
      opened = openDriver({ port: { interface: h.ifname, netns: h.netns, transport: 'udp4' }, engine: clocks, ip: h.ipv4Address, name: 'h' })
      opened.driver.start()
      dut = new LinuxptpDut({ tracker: lab, label: 'slave', node: 'd1' })
      await dut.start({ profile, role: 'slave', transport: 'udp4', interfaces: [d], options: FAST })
      await waitForPortState(dut, 'SLAVE', { timeoutMs: 15_000 })
    } catch (err) {
      await opened?.close()
      await dut?.stop()
      await lab.down()
      throw err
    }
  })
  group.teardown(async () => {
    if (!canRun) return
    await dut?.stop()
    await opened?.close()
    await lab?.down()
  })

  test('the slave reports the injected offset, unchanged when time moves into correctionField or onto the PTP timescale', async ({ assert }) => {
    const target = dut.pmcTarget
    assert.equal((await readParent(target))?.grandmasterIdentity, GM_A, 'ptp4l follows the test master')
    // Control: nothing injected. The reported offsets are the lab's timestamp noise.
    await sleep(1000)
    const control = await sampleOffsets(target, 32)
    const c = summarize(control.map(abs))
    noiseP90 = c.p90

    const injected = 1_000_000n
    opened.driver.invoke(() => gmA.setTimeBase(timeBaseShowingSlaveOffset(injected)))
    await sleep(500)
    const plain = (await sampleOffsets(target, 32)).map((r) => r - injected)

    const shift = 123_456_789n
    opened.driver.invoke(() => gmA.setCorrectionShift({ ns: shift }))
    await sleep(500)
    const shifted = (await sampleOffsets(target, 32)).map((r) => r - injected)

    // The PTP timescale: the master sends TAI (UTC + currentUtcOffset); ptp4l on CLOCK_REALTIME
    // subtracts currentUtcOffset again. Not timeTraceable, so ptp4l does not try to set the kernel's TAI offset.
    opened.driver.invoke(() => {
      gmA.setCorrectionShift(undefined)
      gmA.setDataset({ flagField: FLAG_PTP_TIMESCALE | FLAG_CURRENT_UTC_OFFSET_VALID, currentUtcOffset: 37 })
    })
    await sleep(500)
    const tai = (await sampleOffsets(target, 32)).map((r) => r - injected)
    opened.driver.invoke(() => {
      gmA.setDataset({ flagField: 0 })
      gmA.setTimeBase(new TimeBase())
    })

    const e1 = summarize(plain.map(abs))
    const e2 = summarize(shifted.map(abs))
    const e3 = summarize(tai.map(abs))
    const m1 = summarize(plain).p50
    const m2 = summarize(shifted).p50
    const m3 = summarize(tai).p50
    console.log(
      `  offset: control |reported| median ${fmt(c.p50)} p90 ${fmt(c.p90)}; ` +
        `injected ${fmt(injected)}: |reported − injected| median ${fmt(e1.p50)} p90 ${fmt(e1.p90)} (median error ${fmt(m1)}); ` +
        `with ${fmt(shift)} in correctionField: median ${fmt(e2.p50)} p90 ${fmt(e2.p90)} (median error ${fmt(m2)}); ` +
        `PTP timescale (TAI on the wire): median ${fmt(e3.p50)} p90 ${fmt(e3.p90)} (median error ${fmt(m3)})`,
    )
    // The error with an injected offset is no larger than the noise with none (2 µs floor for
    // quiet runs), and moving time into correctionField does not move the result.
    const bound = noiseP90 > 2_000n ? noiseP90 : 2_000n
    assert.isAtMost(Number(abs(m1)), Number(bound), `median error ${fmt(m1)} vs noise p90 ${fmt(noiseP90)}`)
    assert.isAtMost(Number(abs(m2)), Number(bound), `median error with correctionField ${fmt(m2)} vs noise p90 ${fmt(noiseP90)}`)
    assert.isAtMost(Number(abs(m3)), Number(bound), `median error with the PTP timescale ${fmt(m3)} vs noise p90 ${fmt(noiseP90)}`)
    assert.isAtMost(Number(e1.p50), Number(bound))
    assert.isAtMost(Number(e2.p50), Number(bound))
    assert.isAtMost(Number(e3.p50), Number(bound))

    // The shift really was on the wire: Follow_Ups of gm-a carried it in correctionField.
    const fus = opened.driver.recorder.query({ direction: 'out', source: 'gm-a', type: 'Follow_Up' })
    assert.isTrue(fus.some((f) => f.message!.header.correctionField === shift << 16n))
    const pairs = pairSyncFollowUp(opened.driver.recorder, { direction: 'out', source: 'gm-a' })
    assert.lengthOf(pairs.orphanFollowUps, 0)
  }).skip(!canRun, 'needs root and ptp4l').timeout(60_000)

  test('ptp4l follows the grandmaster our BMCA engine predicts, for every attribute in both orders', async ({ assert }) => {
    const target = dut.pmcTarget
    const self = await dut.readState()
    const local = {
      clockIdentity: self.clockIdentity!,
      priority1: self.priority1!,
      clockQuality: self.clockQuality!,
      priority2: self.priority2!,
      slaveOnly: self.slaveOnly === true,
    }
    opened.driver.invoke((now) => clocks.control<TestMaster>('gm-b', (gm) => gm.resume(now)))

    type Case = { attribute: string; better: Partial<AnnounceDataset>; worse: Partial<AnnounceDataset> }
    const q = (clockClass: number, clockAccuracy: number, offsetScaledLogVariance: number) => ({ grandmasterClockQuality: { clockClass, clockAccuracy, offsetScaledLogVariance } })
    const cases: Case[] = [
      { attribute: 'priority1', better: { grandmasterPriority1: 100 }, worse: { grandmasterPriority1: 101 } },
      { attribute: 'clockClass', better: q(6, 0xfe, 0xffff), worse: q(7, 0xfe, 0xffff) },
      { attribute: 'clockAccuracy', better: q(248, 0x21, 0xffff), worse: q(248, 0x22, 0xffff) },
      { attribute: 'offsetScaledLogVariance', better: q(248, 0xfe, 0x4e5d), worse: q(248, 0xfe, 0x4e5e) },
      { attribute: 'priority2', better: { grandmasterPriority2: 127 }, worse: { grandmasterPriority2: 128 } },
    ]
    const rows: string[] = []
    const disagreements: string[] = []
    const runCase = async (label: string, a: AnnounceDataset, b: AnnounceDataset) => {
      opened.driver.invoke(() => {
        gmA.setDataset(a)
        gmB.setDataset(b)
      })
      const candidate = (name: string, gm: TestMaster, d: AnnounceDataset): Candidate => ({
        name,
        sender: gm.portIdentity,
        priority1: d.grandmasterPriority1,
        clockQuality: d.grandmasterClockQuality,
        priority2: d.grandmasterPriority2,
      })
      const p = predictChoice({ variant: profile.bmca.variant, dut: local, candidates: [candidate('gm-a', gmA, a), candidate('gm-b', gmB, b)] })
      const t0 = Date.now()
      let got: string | undefined
      try {
        await waitForGrandmaster(target, p.grandmasterIdentity, 5000)
        // Hold: still the same choice two announce intervals later.
        await sleep(600)
        got = (await readParent(target))?.grandmasterIdentity
      } catch {
        got = (await readParent(target))?.grandmasterIdentity
      }
      const ok = got === p.grandmasterIdentity
      rows.push(`    ${label.padEnd(44)} predicted ${p.parent?.name} (decided by ${p.decidedBy}) · ptp4l ${got === GM_A ? 'gm-a' : got === GM_B ? 'gm-b' : got} · ${Date.now() - t0} ms${ok ? '' : '  ✗'}`)
      if (!ok) disagreements.push(label)
    }
    for (const c of cases) {
      // gm-b has the higher identity: giving it the better value shows the attribute beats the identity tie-break.
      await runCase(`${c.attribute}: gm-b better`, { ...BASE, ...c.worse }, { ...BASE, ...c.better })
      await runCase(`${c.attribute}: gm-a better`, { ...BASE, ...c.better }, { ...BASE, ...c.worse })
    }
    await runCase('clockIdentity: all else equal', { ...BASE, grandmasterPriority2: 127 }, { ...BASE, grandmasterPriority2: 127 })
    console.log(`  BMCA cases (DUT ${local.clockIdentity}, slaveOnly ${local.slaveOnly}):\n${rows.join('\n')}`)
    assert.deepEqual(disagreements, [])
  }).skip(!canRun, 'needs root and ptp4l').timeout(90_000)

  test('when the grandmaster falls silent, ptp4l switches within the predicted window', async ({ assert }) => {
    const target = dut.pmcTarget
    const state = await dut.readState()
    const port = state.ports[0]!
    const prediction = predictFailover({
      announceReceiptTimeout: port.announceReceiptTimeout!,
      logAnnounceInterval: port.logAnnounceInterval!,
      spread: 'linuxptp',
      // linuxptp clears the records of foreign masters that lose a comparison (port_compute_best),
      // so the backup may need up to FOREIGN_MASTER_THRESHOLD Announces after the timeout.
      backup: { logAnnounceInterval: FAST.logAnnounceInterval, qualification: 'requalify', threshold: profile.bmca.foreignMasterThreshold.value },
    })
    const strict = predictFailover({ announceReceiptTimeout: port.announceReceiptTimeout!, logAnnounceInterval: port.logAnnounceInterval!, spread: 'linuxptp', backup: { logAnnounceInterval: FAST.logAnnounceInterval, qualification: 'qualified', threshold: 2 } })
    opened.driver.invoke((now) => {
      gmA.setDataset({ ...BASE, grandmasterPriority1: 100 })
      gmB.setDataset({ ...BASE, grandmasterPriority1: 110 })
      return gmB.isAnnouncing ? [] : clocks.control<TestMaster>('gm-b', (gm) => gm.resume(now))
    })
    const results: Array<{ lo: bigint; hi: bigint; estimate: bigint }> = []
    const isB = (o: ManagementObservation) => o.data?.name === 'PARENT_DATA_SET' && o.data.grandmasterIdentity === GM_B
    for (let round = 0; round < 3; round++) {
      await waitForGrandmaster(target, GM_A, 5000)
      await sleep(1500) // both masters qualified and steady
      // GET PARENT_DATA_SET on the wire every 10 ms: each answer is bracketed by TX and RX timestamps.
      opened.driver.invoke((now) => clocks.control<ManagementPoller>('probe', (p) => p.setActive(true, now)))
      await sleep(100)
      const from = probe.observations.at(-1)?.responseRxNs ?? 0n
      opened.driver.invoke(() => gmA.silence())
      await waitForGrandmaster(target, GM_B, 5000, 50)
      await sleep(100)
      opened.driver.invoke(() => clocks.control<ManagementPoller>('probe', (p) => p.setActive(false, 0n)))
      const last = opened.driver.recorder.last({ direction: 'out', source: 'gm-a', type: 'Announce' })!
      const L = last.timestampNs!
      const change = changeInterval(probe.since(from), isB)
      assert.exists(change, 'the wire probe saw the parent change')
      // The switch happened after the last GET still answered gm-a left, and before the first gm-b answer arrived.
      const lo = change!.afterNs - L
      const hi = change!.beforeNs - L
      results.push({ lo, hi, estimate: (lo + hi) / 2n })
      opened.driver.invoke((now) => clocks.control<TestMaster>('gm-a', (gm) => gm.resume(now)))
    }
    await waitForGrandmaster(target, GM_A, 5000)
    const text = results.map((r) => `${fmt(r.estimate)} [${fmt(r.lo)} … ${fmt(r.hi)}]`).join(', ')
    console.log(
      `  failover after the last Announce of gm-a: ${text}; predicted ${fmt(prediction.earliestNs)} … ${fmt(prediction.latestNs)} ` +
        `(${prediction.explanation}); with the backup kept qualified ${fmt(strict.earliestNs)} … ${fmt(strict.latestNs)}`,
    )
    for (const r of results) {
      // Observation windows are a few ms wide (10 ms polling); they must overlap the predicted window.
      assert.isAtMost(Number(r.lo), Number(prediction.latestNs), `switch no later than predicted (${text})`)
      assert.isAtLeast(Number(r.hi), Number(prediction.earliestNs), `switch no earlier than announceReceiptTimeout intervals (${text})`)
    }
  }).skip(!canRun, 'needs root and ptp4l').timeout(60_000)
})

test.group('engines (lab) / the test slave and a ptp4l master', (group) => {
  let lab: Lab
  let opened: OpenedDriver
  let dut: LinuxptpDut
  let slave: TestSlave
  let engines: EngineGroup

  group.setup(async () => {
    if (!canRun) return
    lab = await Lab.up({ topology: 'pair' })
    try {
      const profile = await loadProfile('default-e2e')
      const h = lab.port('h')
      const d = lab.port('d1')
      dut = new LinuxptpDut({ tracker: lab, label: 'master', node: 'd1' })
      await dut.start({ profile, role: 'master', transport: 'udp4', interfaces: [d], options: FAST })
      slave = new TestSlave({ name: 'ts', clockIdentity: emulatedClockIdentity(0x5a, 0x02_bb_00), delayMechanism: 'E2E', logMinDelayReqInterval: FAST.logMinDelayReqInterval, seed: 17 })
      engines = new EngineGroup('h', [slave])
      opened = openDriver({ port: { interface: h.ifname, netns: h.netns, transport: 'udp4' }, engine: engines, ip: h.ipv4Address, name: 'h' })
      opened.driver.start()
    } catch (err) {
      await opened?.close()
      await dut?.stop()
      await lab.down()
      throw err
    }
  })
  group.teardown(async () => {
    if (!canRun) return
    await opened?.close()
    await dut?.stop()
    await lab?.down()
  })

  test('offset within noise of 0, mean path delay near the veth kernel latency', async ({ assert }) => {
    const deadline = Date.now() + 20_000
    while (slave.delayExchanges.length < 48 && Date.now() < deadline) await sleep(100)
    assert.isAtLeast(slave.delayExchanges.length, 48, 'enough Delay_Req/Delay_Resp exchanges')
    const state = await dut.readState()
    assert.equal(slave.master?.clockIdentity, state.clockIdentity)
    const ex = slave.delayExchanges.slice(8) // after the first second
    const offsets = ex.map((x) => scaledToNs(x.offsetFromMaster))
    const delays = ex.map((x) => scaledToNs(x.meanPathDelay))
    const o = summarize(offsets)
    const oAbs = summarize(offsets.map(abs))
        const dly = summarize(delays)
    console.log(
      `  test slave vs ptp4l master: offset median ${fmt(o.p50)}, |offset| median ${fmt(oAbs.p50)} p90 ${fmt(oAbs.p90)}; ` +
        `meanPathDelay median ${fmt(dly.p50)} min ${fmt(dly.min)} p90 ${fmt(dly.p90)} over ${ex.length} exchanges`,
    )
    // One clock for the whole lab: every one-way delay is positive and far below a Sync interval,
    // so each exchange paired the right Sync / Follow_Up / Delay_Resp with the right timestamps.
    for (const x of ex) {
      assert.isTrue(x.t2 > x.t1 && x.t2 - x.t1 < 10n * MS, `master→slave ${x.t2 - x.t1} ns (Sync #${x.syncSequenceId})`)
      assert.isTrue(x.t4 > x.t3 && x.t4 - x.t3 < 10n * MS, `slave→master ${x.t4 - x.t3} ns (Delay_Req #${x.delayReqSequenceId})`)
    }
    // True offset is 0: the median error stays within the path delay (the most an asymmetry can
    // add) with a 2 µs floor, and the delay is the kernel's veth latency: 1-3 µs on an idle
    // machine, tens of µs when other work competes for the 2 vCPUs.
    const bound = dly.p50 > 2_000n ? dly.p50 : 2_000n
    assert.isAtMost(Number(abs(o.p50)), Number(bound), `median offset ${fmt(o.p50)} vs median path delay ${fmt(dly.p50)}`)
    assert.isAbove(Number(dly.p50), 0)
    assert.isAtMost(Number(dly.p50), 50_000)
  }).skip(!canRun, 'needs root and ptp4l').timeout(60_000)

  test('a fleet of 16 emulated slaves is served by the ptp4l master', async ({ assert }) => {
    const fleet = createSlaveFleet({ name: 'load', count: 16, slave: { delayMechanism: 'E2E', logMinDelayReqInterval: FAST.logMinDelayReqInterval }, seed: 3 })
    const t0 = systemTimeNs()
    opened.driver.invoke((now) => engines.add(fleet, now))
    await sleep(4000)
    const slaves = fleetSlaves(fleet)
    const counts = slaves.map((s) => s.delayExchanges.length)
    const pairs = pairDelayReqResp(opened.driver.recorder, { from: t0 })
    const fleetPairs = pairs.pairs.filter((p) => p.request.reason?.source?.startsWith('load-'))
    const answered = fleetPairs.filter((p) => p.responses.length === 1).length
    console.log(`  fleet: ${fleetPairs.length} Delay_Req from 16 slaves in 4 s, ${answered} answered once; exchanges per slave ${Math.min(...counts)}…${Math.max(...counts)}`)
    assert.isTrue(slaves.every((s) => s.master !== undefined), 'every slave found the master')
    assert.isAtLeast(Math.min(...counts), 10)
    // A request sent in the last moments may still be unanswered when we look.
    assert.isAtLeast(answered, fleetPairs.length - 16)
    assert.lengthOf(pairs.orphanResponses.filter((f) => f.message?.type === 'Delay_Resp' && f.message.requestingPortIdentity.clockIdentity.startsWith('025e00')), 0)
  }).skip(!canRun, 'needs root and ptp4l').timeout(60_000)
})
