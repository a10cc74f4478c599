/**
 * ROB-08 — fuzzing campaign: seeded batches of broken messages (header fields, flags, lengths,
 * TLVs, timestamps, other fields, flipped bits, orderings), from the DUT's own grandmaster and
 * from a stranger, while the grandmaster keeps a clean stream going. After every batch the DUT
 * must be well again within the time the standard gives it to lock: its process runs, it still
 * asks for delay measurement, and where it answered state reads before, it still does and is
 * still a slave of the grandmaster. A batch after which it is not is sent again to a fresh DUT,
 * minimised to the smallest sequence that still does it, and that sequence is written as a
 * replayable reproducer (pcapng + seed: `ptp-conform replay FILE`; one that does not recur keeps
 * the batch as first sent, and still fails: the DUT was seen unwell). A minimal case that does it
 * alone is quarantined: later batches leave out cases of the same senders and wire messageTypes, so
 * one weakness does not hide the others (ptp4l faults its port on any unsolicited Pdelay_Resp).
 * `run` fuzzes for half a minute and stops at the second failure; `ptp-conform fuzz --minutes M
 * --seed S` for as long as asked (at most 10 failures).
 */
import { describeProblems } from '../../harness/fuzz/health.ts'
import { type Check, conformance, type Profile } from '../kit.ts'
import { acquireFuzz, FUZZ_DEFAULTS, type FailureRecord, type FuzzEvidence } from '../support/fuzz_campaign.ts'

const WELL = 'IEEE 1588-2019 9.2 (a clock keeps running its port state machine), 9.5 (a slave keeps exchanging timing messages with its master), 13.3.2.5 and 14.1.2 (a message or TLV that does not parse is discarded)'

function failureDetail(f: FailureRecord): string {
  const parts = [describeProblems(f.problems)]
  parts.push(f.recurred ? 'it recurred when the batch was sent again to a fresh DUT' : 'it did not recur when the batch was sent again')
  if (f.minimal) {
    const budget = f.minimal.exhausted ? ' (the trial budget ran out: it may be smaller still)' : ''
    parts.push(`smallest sequence found in ${f.minimal.trials} trials${budget}: ${f.minimal.cases.map((c) => `case ${c.id} (${c.description})`).join(', ')}`)
  }
  if (f.replay) parts.push(f.replay.problems.length ? `sent once more: ${describeProblems(f.replay.problems)}` : 'sent once more it left the DUT well')
  if (f.reproducer) parts.push(`reproducer ${f.reproducer}`)
  if (f.quarantined) parts.push(`later batches left out cases like it (${f.quarantined})`)
  if (f.note) parts.push(f.note)
  if (f.logTail) parts.push(`the DUT's log ended:\n${f.logTail}`)
  return parts.join('; ')
}

export function judgeFuzz(ev: FuzzEvidence, _profile?: Profile): Check[] {
  const lockLimit = `a slave of ${ev.grandmaster} sending ${ev.delayRequest}, seen within ${ev.recoveryMs / 1000} s`
  const base = ev.baseline
  const checks: Check[] = [{
    name: 'the DUT followed the clean grandmaster before any fuzz case',
    verdict: base.problems.length ? 'fail' : 'pass',
    measured: describeProblems(base.problems),
    limit: lockLimit,
    source: WELL,
  }]
  if (base.problems.length) return checks
  const cases = ev.batches.reduce((n, b) => n + b.cases, 0)
  const planned = ev.batches.reduce((n, b) => n + b.planned, 0)
  const sent = ev.batches.reduce((n, b) => n + b.sent, 0)
  checks.push({
    name: 'the harness sent every fuzz frame it planned',
    verdict: ev.batches.length === 0 ? 'inconclusive' : sent < planned ? 'inconclusive' : 'pass',
    measured: ev.batches.length === 0 ? `no batch was sent (${ev.stopped})` : `${sent} of ${planned} frames in ${ev.batches.length} batches`,
    limit: 'all of them (a case the harness did not send says nothing of the DUT)',
    source: 'the harness\'s own sending',
  })
  for (const f of ev.failures) {
    checks.push({
      name: `the DUT stayed well after batch ${f.batch}`,
      verdict: 'fail',
      measured: f.problems.map((p) => p.kind).join(', '),
      limit: `${lockLimit} again after the batch`,
      source: WELL,
      detail: failureDetail(f),
    })
  }
  if (ev.stopped === 'dut-did-not-come-back') {
    checks.push({ name: 'the DUT came back after a restart', verdict: 'fail', measured: 'it did not: the campaign stopped', limit: lockLimit, source: WELL })
  }
  if (ev.failures.length === 0 && ev.batches.length > 0) {
    const checked = ev.batches.length
    checks.push({
      name: 'the DUT stayed well after every batch',
      verdict: 'pass',
      measured: `${checked} health checks after ${cases} cases; slowest back well after ${Math.max(...ev.batches.map((b) => Number((b.health.toNs - b.health.fromNs) / 1_000_000n)))} ms`,
      limit: `${lockLimit} after each batch`,
      source: WELL,
    })
  }
  return checks
}

function measurements(ev: FuzzEvidence) {
  const families: Record<string, number> = {}
  for (const b of ev.batches) for (const [k, v] of Object.entries(b.families)) families[k] = (families[k] ?? 0) + v
  return {
    seed: ev.params.seed,
    minutes: ev.params.minutes,
    batches: ev.batches.length,
    cases: ev.batches.reduce((n, b) => n + b.cases, 0),
    frames: ev.batches.reduce((n, b) => n + b.sent, 0),
    families,
    healthChecks: ev.batches.length,
    leftOut: ev.batches.reduce((n, b) => n + (b.leftOut ?? 0), 0),
    failures: ev.failures.map((f) => `batch ${f.batch}: ${f.problems.map((p) => p.kind).join(', ')}${f.minimal ? ` → ${f.minimal.cases.map((c) => c.id).join(', ')}` : ''}${f.reproducer ? ` (${f.reproducer})` : ''}`),
    stopped: ev.stopped,
    durationS: Number((ev.endNs - ev.startedNs) / 1_000_000n) / 1000,
  }
}

export default conformance<FuzzEvidence>({
  id: 'ROB-08',
  title: 'Fuzzing campaign: the DUT stays well through seeded broken messages, failures minimised to a reproducer',
  area: 'ROB',
  clause: 'IEEE 1588-2019 9.2, 13.3.2.5, 14.1.2',
  mapsTo: ['Defensics PTP test suite', 'beSTORM', 'clknetsim fuzz mode'],
  tags: ['active', 'robustness', 'fuzz'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 45,
  criteria: {
    pass: 'after every batch of fuzz cases the DUT is back well within its lock time: running, sending its delay requests, a slave of the clean grandmaster where it reports state',
    fail: 'after a batch the DUT has crashed, is silent, no longer answers state reads or is no longer a slave of the grandmaster; the smallest failing sequence is attached as a reproducer',
  },
  params: { ...FUZZ_DEFAULTS },
  appliesTo: () => true,
  acquire: (ctx) => acquireFuzz(ctx, ctx.params({ ...FUZZ_DEFAULTS })),
  judge: (ev) => ({ checks: judgeFuzz(ev.data), measurements: measurements(ev.data) }),
})
