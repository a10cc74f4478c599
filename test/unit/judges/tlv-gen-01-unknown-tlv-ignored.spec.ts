/**
 * TLV-GEN-01's judge on the reference DUT run sans-IO as a slave of a harness grandmaster
 * whose Announce, Sync and Follow_Up carry the unknown TLVs: the conformant clock
 * synchronises and passes; with the fault that drops a message carrying an unknown TLV it
 * fails, and the diagnosis runs name the message types it rejects; a grandmaster that did not
 * carry the TLVs is inconclusive; reads too sparse to show the hold are inconclusive.
 */
import { test } from '@japa/runner'
import type { MessageTypeName } from '../../../harness/codec/types.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { ReferenceClock } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import { logIntervalToNs } from '../../../harness/time/log_interval.ts'
import { combineChecks } from '../../../harness/verdict/verdict.ts'
import type { StateRead } from '../../../suites/support/grandmasters.ts'
import { masterRecord } from '../../../suites/support/bmca_cases.ts'
import T, { type Diagnosis, FOREIGN_TLVS, type UnknownTlvEvidence } from '../../../suites/tlv/tlv-gen-01-unknown-tlv-ignored.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'
import { gmConfig, ms, START_NS } from '../../support/evidence/bmca.ts'
import { roundTrip } from '../../support/evidence/round_trip.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope } from '../../support/evidence/simulate.ts'

const e2e = loadProfile('default-e2e')
const gptp = loadProfile('gptp')
const ALL: MessageTypeName[] = ['Announce', 'Sync', 'Follow_Up']
const rule = (carriers: MessageTypeName[]): MutationRule[] => (carriers.length ? [{ id: 'foreign-tlvs', messageTypes: carriers, mutation: { kind: 'appendTlvs', tlvs: FOREIGN_TLVS } }] : [])

/** One fresh reference DUT as a slave of gm-a (with `carriers` carrying the TLVs): reads until SLAVE or `seconds`, then `holdS` more. */
function run(profile: Profile, carriers: MessageTypeName[], o: { faults?: string[]; pollMs?: number; holdNs?: bigint; startNs?: bigint } = {}) {
  const startNs = o.startNs ?? START_NS
  const cfgA = gmConfig(profile, 'gm-a', 1, undefined, { mutations: rule(carriers) })
  const p2p = profile.delayMechanism.default === 'P2P'
  const engines = [new TestMaster(p2p ? { ...cfgA, delayMechanism: 'none' } : cfgA)]
  if (p2p) engines.push(new TestMaster(gmConfig(profile, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })))
  const dut = new ReferenceClock(applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile, settings: dutSettingsFor(profile), role: 'slave', behaviour: {}, seed: 7 }, o.faults ?? []))
  const link = new SimulatedLink({ startNs })
  link.add('dut', dut)
  link.add('harness', new EngineGroup('masters', engines))
  link.start()
  const poll = ms(o.pollMs ?? 50)
  const reads = (untilNs: bigint, stop: (r: StateRead) => boolean) => {
    const out: StateRead[] = []
    while (link.now < untilNs) {
      link.run(link.now + poll)
      const r: StateRead = { atNs: link.now, startNs: link.now - ms(2), state: dut.dutState(Number(link.now / 1_000_000n)) }
      out.push(r)
      if (stop(r)) break
    }
    return out
  }
  const isSlave = (r: StateRead) => r.state?.grandmasterIdentity === cfgA.clockIdentity && r.state.ports.some((p) => p.portState === 'SLAVE')
  const history = reads(startNs + 14_000_000_000n, isSlave)
  const synced = history.some(isSlave)
  const hold = synced && o.holdNs ? reads(link.now + o.holdNs, () => false) : []
  const recorder = new Recorder()
  for (const f of link.recorder.frames) if (f.port === 'harness') recorder.record({ ...f, findings: f.findings, ...(f.message ? { message: f.message } : {}) })
  return { a: masterRecord(cfgA), startNs, history, hold, synced, recorder, endNs: link.now }
}

function evidence(profile: Profile, o: { faults?: string[]; pollMs?: number; carriers?: MessageTypeName[] } = {}) {
  const art = dutSettingsFor(profile).announceReceiptTimeout.value
  const main = run(profile, o.carriers ?? ALL, { ...o, holdNs: BigInt(art + 2) * logIntervalToNs(gmConfig(profile, 'gm-a', 1).logAnnounceInterval) })
  const data: UnknownTlvEvidence = { a: main.a, startedNs: main.startNs, lockHistory: main.history, holdHistory: main.hold, endNs: main.endNs, recorder: main.recorder }
  if (!main.synced) {
    data.diagnosis = [[], ...ALL.map((c) => [c])].map((carriers, i): Diagnosis => {
      const r = run(profile, carriers, { ...o, startNs: main.endNs + BigInt(i + 1) * 20_000_000_000n })
      return { carriers, startedNs: r.startNs, history: r.history, recorder: r.recorder }
    })
  }
  return envelope('TLV-GEN-01', profile, data)
}

const judged = (profile: Profile, o: Parameters<typeof evidence>[1] = {}) => {
  const e = evidence(profile, o)
  const checks = T.judge(e, profile).checks
  return { e, checks, verdict: combineChecks(checks), failed: checks.filter((c) => c.verdict === 'fail') }
}

test.group('judge TLV-GEN-01 unknown TLVs ignored', () => {
  test('a clock that skips unknown TLVs synchronises and holds: pass, also after a round trip', ({ assert }) => {
    const r = judged(e2e)
    assert.equal(r.verdict, 'pass', JSON.stringify(r.checks, null, 1))
    assert.lengthOf(r.checks, 2)
    assert.match(r.checks[0]!.detail!, /gm-a sent \d+ Announce, \d+ Sync, \d+ Follow_Up, each with both TLVs/)
    assert.deepEqual(T.judge(roundTrip(r.e), e2e).checks, r.checks)
  })

  test('passes under gPTP (Follow_Up information TLV kept ahead of the appended ones)', ({ assert }) => {
    assert.equal(judged(gptp).verdict, 'pass')
  })

  test('fault drops-unknown-tlv: fails, and the diagnosis names every message type rejected', ({ assert }) => {
    const r = judged(e2e, { faults: ['drops-unknown-tlv'] })
    assert.equal(r.verdict, 'fail')
    const d = r.failed[0]!.detail!
    assert.match(d, /without the TLVs: SLAVE after/)
    assert.match(d, /the DUT rejects Announce and Sync and Follow_Up carrying an unknown TLV/)
  })

  test('insufficient: a grandmaster that sent no TLVs does not test the rule', ({ assert }) => {
    assert.equal(judged(e2e, { carriers: [] }).verdict, 'inconclusive')
  })

  test('insufficient: reads 3 s apart cannot show the hold', ({ assert }) => {
    const r = judged(e2e, { pollMs: 3000 })
    assert.equal(r.verdict, 'inconclusive')
  })
})
