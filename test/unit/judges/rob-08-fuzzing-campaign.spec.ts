/**
 * ROB-08's judge on evidence the campaign loop itself made against the reference DUT on a
 * simulated link: the conformant clock stays well and passes (E2E and P2P); the fragile parser
 * (crashes-on-tlv-overrun) crashes, the failure recurs, is minimised to the one case whose TLV
 * runs past the end and replayed, and fails with its reproducer; a DUT that hangs (silent, no
 * state answers) fails; one that does not come back after a restart fails and ends the campaign;
 * a DUT that never works fails before any case; frames the harness did not send make it
 * inconclusive.
 */
import { test } from '@japa/runner'
import { decodeMessage } from '../../../harness/codec/message.ts'
import { tlvOverrun } from '../../../harness/codec/findings/malformed.ts'
import { readReproducer } from '../../../harness/fuzz/reproducer.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import ROB08 from '../../../suites/rob/rob-08-fuzzing-campaign.ts'
import { FUZZ_DEFAULTS } from '../../../suites/support/fuzz_campaign.ts'
import { simulatedCampaign } from '../../support/evidence/fuzz.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'

const e2e = loadProfile('default-e2e')
const judged = (e: Awaited<ReturnType<typeof simulatedCampaign>>['evidence'], p = e2e) => {
  const checks = ROB08.judge(e, p).checks
  return { checks, verdict: combineChecks(checks), failed: checks.filter((c) => c.verdict === 'fail').map((c) => c.name) }
}

test('conformant reference DUT: well after every batch, pass (and the same from stored evidence)', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 0.25 })
  assert.isAtLeast(evidence.data.batches.length, 5)
  const j = judged(evidence)
  assert.equal(j.verdict, 'pass', JSON.stringify(j.checks, null, 1))
  assert.equal(judged(roundTrip(evidence)).verdict, 'pass')
  assert.equal(ROB08.judge(evidence, e2e).measurements?.cases, evidence.data.batches.length * FUZZ_DEFAULTS.batchSize)
})

test('conformant reference DUT on a peer-delay link (gPTP): pass', async ({ assert }) => {
  const gptp = loadProfile('gptp')
  const { evidence } = await simulatedCampaign(gptp, { minutes: 0.15 })
  assert.equal(evidence.data.delayRequest, 'Pdelay_Req')
  assert.equal(judged(evidence, gptp).verdict, 'pass')
})

test('crashes-on-tlv-overrun: crashed, recurred, minimised to the overrunning case, replayed, FAIL with the reproducer', async ({ assert }) => {
  const { evidence, files } = await simulatedCampaign(e2e, { minutes: 0.25 }, { faults: ['crashes-on-tlv-overrun'] })
  const f = evidence.data.failures[0]!
  assert.deepEqual(f.problems.map((p) => p.kind), ['crashed'])
  assert.isTrue(f.recurred)
  assert.lengthOf(f.minimal!.cases, 1)
  assert.isFalse(f.minimal!.exhausted)
  assert.deepEqual(f.replay!.problems.map((p) => p.kind), ['crashed'])
  const { frames } = readReproducer(files.get(f.reproducer!.replace('evidence/', ''))!)
  assert.isTrue(frames.some((x) => {
    try {
      return tlvOverrun(decodeMessage(x.payload).findings) !== undefined
    } catch {
      return false
    }
  }), 'the minimal case holds a TLV running past the end')
  const j = judged(evidence)
  assert.equal(j.verdict, 'fail')
  assert.include(j.failed, `the DUT stayed well after batch ${f.batch}`)
  const detail = j.checks.find((c) => c.verdict === 'fail')!.detail!
  assert.match(detail, /recurred/)
  assert.match(detail, new RegExp(`case ${f.minimal!.cases[0]!.id.replace('.', '\\.')}`))
  assert.match(detail, /reproducer evidence\/fuzz-failure-1-seed1-batch\d+\.pcapng/)
  assert.equal(judged(roundTrip(evidence)).verdict, 'fail')
})

test('a weakness found once is quarantined: later batches leave cases like its minimal one out, and fuzz on', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 1, maxFailures: 10 }, { faults: ['crashes-on-tlv-overrun'] })
  const [first, ...later] = evidence.data.failures
  // Case 0.1 was a Delay_Resp whose flipped bit 0 of octet 0 made it a Follow_Up: the wire's type counts.
  assert.equal(first!.quarantined, "the grandmaster's Follow_Up")
  const after = evidence.data.batches.filter((b) => b.batch > first!.batch)
  assert.isAbove(after.length, 3)
  assert.isAbove(after.reduce((n, b) => n + (b.leftOut ?? 0), 0), 0)
  for (const f of later) assert.notEqual(f.quarantined, first!.quarantined)
  assert.match(judged(evidence).checks.find((c) => c.name === `the DUT stayed well after batch ${first!.batch}`)!.detail!, /later batches left out cases like it \(the grandmaster's Follow_Up\)/)
})

test('a DUT that never follows the clean grandmaster fails before any fuzz case', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 0.1 }, { mute: true })
  assert.lengthOf(evidence.data.batches, 0)
  const j = judged(evidence)
  assert.equal(j.verdict, 'fail')
  assert.deepEqual(j.failed, ['the DUT followed the clean grandmaster before any fuzz case'])
  assert.match(String(j.checks[0]!.measured), /silent: no Delay_Req/)
})

test('frames the harness did not send: inconclusive, not pass', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 0.1 }, { unsentPerBurst: 1 })
  const j = judged(evidence)
  assert.equal(j.verdict, 'inconclusive')
  const c = j.checks.find((x) => x.verdict === 'inconclusive')!
  assert.equal(c.name, 'the harness sent every fuzz frame it planned')
  assert.match(String(c.measured), /^\d+ of \d+ frames/)
})

test('the campaign ends at its failure limit, and says so', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 5, maxFailures: 2 }, { faults: ['crashes-on-tlv-overrun'] })
  assert.lengthOf(evidence.data.failures, 2)
  assert.equal(evidence.data.stopped, 'failures')
  assert.equal(ROB08.judge(evidence, e2e).measurements?.stopped, 'failures')
})

test('a failure that does not recur still fails, with the whole batch as first sent for a reproducer', async ({ assert }) => {
  const { evidence, files } = await simulatedCampaign(e2e, { minutes: 0.25 }, { crashOnceAfterNs: 9_000_000_000n })
  const f = evidence.data.failures[0]!
  assert.deepEqual(f.problems.map((p) => p.kind), ['crashed'])
  assert.isFalse(f.recurred)
  assert.isUndefined(f.minimal)
  assert.match(f.note!, /did not recur; the reproducer is the whole batch as first sent/)
  const { meta, frames } = readReproducer(files.get(f.reproducer!.replace('evidence/', ''))!)
  assert.lengthOf(meta.cases, FUZZ_DEFAULTS.batchSize)
  assert.isAtLeast(frames.length, FUZZ_DEFAULTS.batchSize)
  const j = judged(evidence)
  assert.equal(j.verdict, 'fail')
  assert.match(j.checks.find((c) => c.verdict === 'fail')!.detail!, /it did not recur when the batch was sent again/)
  assert.isAbove(evidence.data.batches.length, f.batch + 1, 'the campaign went on')
})

test('a DUT that hangs after a batch (alive, silent, no state answers) fails with both seen', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 0.25 }, { hangOnceAfterNs: 9_000_000_000n })
  const f = evidence.data.failures[0]!
  assert.deepEqual(f.problems.map((p) => p.kind), ['silent', 'management-silent'])
  assert.match(f.problems[1]!.detail, /none of \d+ state reads answered/)
  const j = judged(evidence)
  assert.equal(j.verdict, 'fail')
  assert.include(j.failed, `the DUT stayed well after batch ${f.batch}`)
})

test('a DUT that does not come back after a restart fails, and the campaign ends there', async ({ assert }) => {
  const { evidence } = await simulatedCampaign(e2e, { minutes: 0.25 }, { faults: ['crashes-on-tlv-overrun'], downAfterCrash: true })
  assert.equal(evidence.data.stopped, 'dut-did-not-come-back')
  const f = evidence.data.failures[0]!
  assert.match(f.note!, /did not come back well after a restart/)
  assert.isUndefined(f.reproducer)
  const j = judged(evidence)
  assert.equal(j.verdict, 'fail')
  assert.sameMembers(j.failed, [`the DUT stayed well after batch ${f.batch}`, 'the DUT came back after a restart'])
})
