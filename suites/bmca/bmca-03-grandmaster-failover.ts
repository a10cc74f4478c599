/**
 * BMCA-03 — failover: the DUT follows grandmaster A while backup B announces too; A falls
 * silent and the DUT must move to B in the standard's window. The announce receipt timer
 * expires announceReceiptTimeout × announceInterval after A's last Announce (1588-2019
 * 9.2.6.12), at most one interval later (linuxptp: N + U(0,1] intervals); where the profile
 * has a syncReceiptTimeout (802.1AS-2020 10.7.3.1) the sync timer may fire first. Then B is
 * chosen at once, or after FOREIGN_MASTER_THRESHOLD of its Announces if the DUT dropped its
 * record and must requalify it. N is the DUT's CONFIGURED value; the window is widened only
 * by the resolution of the state reads that show the switch, or — where the DUT logs its BMCA
 * choices with times (lab ptp4l) and the logged choice of B lies between those reads — by that
 * log's 1 ms.
 */
import { systemTimeNs } from '../../harness/transport/index.ts'
import type { BestMasterChange } from '../../harness/dut/types.ts'
import { loggedChoice } from '../support/state_history.ts'
import { betterThanDefault, type Check, conformance, type DutSettings, judgeRange, logIntervalToNs, type Profile, type Recorder, testParams, logIntervalToMs } from '../kit.ts'
import { choiceTimeline, holdPollMs, judgeFollowing, type MasterRecord, masterRecord, seconds } from '../support/bmca_cases.ts'
import { isSlaveOf, lockTimeoutMs, masterConfig, startMasters, type StateRead, waitForState, watchState } from '../support/grandmasters.ts'

/**
 * backupQualification 'requalify': the DUT may have discarded the losing backup's record
 * (linuxptp port_compute_best clears it), so it needs threshold new Announces; 'qualified':
 * the record must have been kept (1588-2019 9.3.2.5 keeps qualified records).
 */
const DEFAULTS: { backupQualification: 'requalify' | 'qualified' } = { backupQualification: 'requalify' }

export interface FailoverEvidence {
  a: MasterRecord
  b: MasterRecord
  startedNs: bigint
  lockHistory: StateRead[]
  /** When the harness silenced A (its last Announce is in the recording). */
  silencedAtNs?: bigint
  /** Reads from the silence until the DUT followed B (or the harness gave up), then while it held. */
  switchHistory: StateRead[]
  /** The grandmasters the DUT logged selecting after the silence (lab ptp4l: timed to 1 ms). */
  bestMasterLog?: BestMasterChange[]
  endNs: bigint
  recorder: Recorder
}

export interface FailoverWindow {
  /** Relative to A's last Announce, ns. */
  loNs: bigint
  hiNs: bigint
  explanation: string
  sources: string[]
}

/** The standard's window for the switch, from the DUT's configured timeouts and the profile's qualification rule. */
export function failoverWindow(ev: { dut: DutSettings }, profile: Profile, lastAnnounceNs: bigint, lastSyncNs: bigint | undefined, b: MasterRecord): FailoverWindow {
  const dut = ev.dut
  const n = BigInt(dut.announceReceiptTimeout.value)
  const T = logIntervalToNs(dut.intervals.announce.value)
  let lo = n * T
  let hi = (n + 1n) * T
  const parts = [`announceReceiptTimeout ${n} × ${seconds(T)} (+ at most one interval) after A's last Announce`]
  const sources = [`IEEE 1588-2019 9.2.6.12; announceReceiptTimeout ${n} (${dut.announceReceiptTimeout.origin})`]
  const ns = dut.syncReceiptTimeout
  if (ns && lastSyncNs !== undefined) {
    const Ts = logIntervalToNs(dut.intervals.sync.value)
    const offset = lastSyncNs - lastAnnounceNs
    const sLo = offset + BigInt(ns.value) * Ts
    const sHi = offset + BigInt(ns.value + 1) * Ts
    if (sLo < lo) lo = sLo
    if (sHi < hi) hi = sHi
    parts.push(`or syncReceiptTimeout ${ns.value} × ${seconds(Ts)} after A's last Sync, whichever fires first`)
    sources.push(`IEEE 802.1AS-2020 10.7.3.1; syncReceiptTimeout ${ns.value} (${ns.origin})`)
  }
  const q = testParams(profile, 'BMCA-03', DEFAULTS).backupQualification
  if (q === 'requalify') {
    const th = profile.bmca.foreignMasterThreshold.value
    hi += BigInt(th) * logIntervalToNs(b.logAnnounceInterval)
    parts.push(`then up to ${th} of B's Announces to requalify it`)
    sources.push(profile.bmca.foreignMasterThreshold.source)
  }
  return { loNs: lo, hiNs: hi, explanation: parts.join(', '), sources }
}

export default conformance<FailoverEvidence>({
  id: 'BMCA-03',
  title: 'Failover to the backup grandmaster in the standard\'s window',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.2.6.12, 9.3.2.5; IEEE 802.1AS-2020 10.7.3.1',
  mapsTo: ['linuxptp-testsuite 07-latereselect', 'eco-gotests BC master-interface failure'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  params: DEFAULTS,
  estimatedSeconds: 15,
  criteria: {
    pass: "the DUT follows the backup between announceReceiptTimeout and announceReceiptTimeout + 1 intervals after the grandmaster's last Announce (plus the backup's requalification), and stays with it",
    fail: 'the DUT switches too early, too late or never, follows another clock, or leaves the backup again',
  },
  appliesTo: () => true,
  // A DUT that fails over when syncReceiptTimeout fires switches on the window's lower edge; the
  // state reads (every ~40 ms) cannot put it on either side, so that conformant DUT is inconclusive.
  referenceBaseline: (p) => (p.bmca.variant === '802.1as' ? 'the reference DUT fails over the moment syncReceiptTimeout fires, on the window\'s lower edge, which state reads ~40 ms apart cannot decide (inconclusive, measured 380 ms against 376 ms ± 19.7 ms)' : true),
  async acquire(ctx) {
    const specA = { name: 'gm-a', identity: 1, dataset: betterThanDefault(ctx) }
    const specB = { name: 'gm-b', identity: 2 }
    const a = masterRecord(masterConfig(ctx, specA))
    const b = masterRecord(masterConfig(ctx, specB))
    const s = ctx.session.dutSettings
    const tMs = logIntervalToMs(s.intervals.announce.value)
    const m = await startMasters(ctx, [specA, specB], { freshDut: true })
    const startedNs = systemTimeNs()
    const ev: FailoverEvidence = { a, b, startedNs, lockHistory: [], switchHistory: [], endNs: startedNs, recorder: m.handle.recorder }
    try {
      ctx.step('waiting for the DUT to follow grandmaster A')
      const locked = await waitForState(ctx, isSlaveOf(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, s.announceReceiptTimeout.value, ctx.session.dutSettings), holdPollMs(a.logAnnounceInterval))
      ev.lockHistory = locked.history
      if (locked.atMs === undefined) return ev
      ev.lockHistory.push(...(await watchState(ctx, tMs, holdPollMs(a.logAnnounceInterval))))
      ctx.step('grandmaster A falls silent')
      ev.silencedAtNs = systemTimeNs()
      m.control('gm-a', (gm) => gm.silence())
      // Wait well past the latest the standard allows, so a late switch is measured, not missed.
      const giveUpMs = (s.announceReceiptTimeout.value + 2 + ctx.profile.bmca.foreignMasterThreshold.value) * tMs + 5000
      const switched = await waitForState(ctx, isSlaveOf(b.clockIdentity), giveUpMs, Math.min(20, holdPollMs(a.logAnnounceInterval)))
      ev.switchHistory = switched.history
      if (switched.atMs !== undefined) ev.switchHistory.push(...(await watchState(ctx, 2 * tMs, Math.min(20, holdPollMs(a.logAnnounceInterval)))))
      const logged = await ctx.session.dut.bestMasterChanges?.().catch(() => undefined)
      if (logged) ev.bestMasterLog = logged.filter((x) => x.atNs >= ev.silencedAtNs! - 1_000_000_000n)
    } finally {
      ev.endNs = systemTimeNs()
      await m.close()
    }
    return ev
  },
  judge(ev, profile) {
    const d = ev.data
    const masters = [d.a, d.b]
    const T = logIntervalToNs(ev.dut.intervals.announce.value)
    const checks: Check[] = []
    const lockEnd = d.silencedAtNs ?? d.endNs
    const lock = judgeFollowing({ name: 'the DUT follows grandmaster A (the better one) before it falls silent', history: d.lockHistory, expected: d.a, masters, t0: d.startedNs, untilNs: lockEnd, maxGapNs: T, limit: `= gm-a (${d.a.clockIdentity})`, source: profile.bmca.source })
    checks.push(lock.check)
    if (lock.check.verdict === 'fail' || d.silencedAtNs === undefined) return { checks }
    const fromA = (type: 'Announce' | 'Sync') => d.recorder.frames.filter((f) => f.direction === 'out' && f.message?.type === type && f.message.header.sourcePortIdentity.clockIdentity === d.a.clockIdentity && f.timestampNs !== null)
    const lastA = fromA('Announce').at(-1)?.timestampNs
    if (lastA == null) {
      checks.push({ name: "A's last Announce in the recording", measured: 'none', limit: 'present', source: 'test set-up', verdict: 'inconclusive', detail: 'the recording holds no Announce of A, so the failover cannot be timed' })
      return { checks }
    }
    const lastSync = fromA('Sync').at(-1)?.timestampNs ?? undefined
    const w = failoverWindow(ev, profile, lastA, lastSync, d.b)
    const loMs = Number(w.loNs) / 1e6
    const hiMs = Number(w.hiNs) / 1e6
    const name = "time from A's last Announce until the DUT followed B"
    const base = { name, unit: 'ms', limit: `${loMs.toFixed(0)} … ${hiMs.toFixed(0)} ms`, source: w.sources.join('; '), unconfirmed: !!profile.bmca.foreignMasterThreshold.unconfirmed }
    const sw = judgeFollowing({ name: 'the DUT follows B after the failover and stays with it', history: d.switchHistory, expected: d.b, masters, t0: lastA, untilNs: d.endNs, maxGapNs: T, limit: `= gm-b (${d.b.clockIdentity})`, source: profile.bmca.source, ...(d.bestMasterLog ? { log: d.bestMasterLog } : {}) })
    if (sw.atNs === undefined) {
      const last = d.switchHistory.at(-1)
      checks.push({ ...base, measured: 'never', verdict: sw.check.verdict === 'inconclusive' ? 'inconclusive' : 'fail', detail: `${w.explanation}; watched until +${seconds((last?.atNs ?? d.endNs) - lastA)}: ${choiceTimeline(d.switchHistory, masters, lastA)}` })
      return { checks }
    }
    // The switch happened after the previous read was sent and before the first read showing B
    // came back; where the DUT logged choosing B inside that span (lab ptp4l, 1 ms), that is the
    // bracket. Judge the midpoint, ± half the bracket.
    const prev = sw.prevNs ?? d.silencedAtNs
    const shownNs = sw.atNs
    const chose = loggedChoice(d.bestMasterLog, d.b.clockIdentity, prev, shownNs)
    const from = chose ? chose.atNs : prev
    const to = chose ? chose.atNs + chose.resolutionNs : sw.atNs
    const halfGapMs = Number(to - from) / 2e6
    const elapsedMs = Number(to - lastA) / 1e6 - halfGapMs
    const noiseMs = halfGapMs + Number(ev.noise.ns) / 1e6
    const verdict = judgeRange(elapsedMs, loMs, hiMs, noiseMs)
    const reads = `previous read sent at +${seconds(prev - lastA)}, first read showing B back at +${seconds(sw.atNs - lastA)}`
    checks.push({
      ...base,
      measured: Math.round(elapsedMs),
      noise: Math.round(noiseMs * 10) / 10,
      verdict,
      detail: `${w.explanation}; switch ${chose ? `logged by the DUT ("selected best master clock ${chose.clockIdentity}") at +${seconds(chose.atNs - lastA)}, 1 ms log resolution, inside the reads (${reads})` : `between the reads (${reads})`} (± ${noiseMs.toFixed(1)} ms)${verdict === 'fail' ? (elapsedMs < loMs ? ': too early' : ': too late') : ''}`,
    })
    checks.push(sw.check)
    return { checks, measurements: { elapsedMs, loMs, hiMs, resolutionMs: 2 * halfGapMs } }
  },
})
