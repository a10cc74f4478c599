/**
 * ROB-03 — sequence faults from the grandmaster: Follow_Up without its Sync, Sync without its
 * Follow_Up, duplicated Sync and Follow_Up, a sequenceId jump, half the Follow_Ups dropped, and
 * Sync from a port that is not the DUT's parent. The DUT must stay a slave of its grandmaster
 * and keep pairing each Follow_Up with the Sync of the same sequenceId from its parent. Each
 * case also steps the grandmaster's time by 1 ms: only a DUT still using the stream reports the
 * new offset, so its error (reported − expected) must stay where the clean control phase had it.
 * A DUT that pairs a Follow_Up with another Sync is off by a Sync interval; one that takes the
 * intruder's Sync, by the intruder's 10 ms.
 */
import { negotiationRequired } from '../../harness/engines/unicast/services.ts'
import { conformance, logIntervalToNs, mutate, type Profile } from '../kit.ts'
import { acquireFaultyStream, type FaultCase, type FaultyStreamEvidence, judgeFaultyStream } from '../support/faulty_grandmaster.ts'

const STEP_NS = 1_000_000n
const INTRUDER_NS = 10_000_000n
const PAIRING = 'IEEE 1588-2019 9.5.10 (a Follow_Up belongs to the Sync with its sequenceId), 11.3.2 (t1 from that Follow_Up)'

/** The cases at the grandmaster's Sync interval (log2 s). */
export function sequenceCases(profile: Profile, logSyncInterval: number): FaultCase[] {
  const T = logIntervalToNs(logSyncInterval)
  const wrongPair = { errorNs: T, what: `a DUT that pairs a Follow_Up with another Sync (off by the ${T / 1_000_000n} ms Sync interval)` }
  const step = { stepNs: STEP_NS }
  return [
    { key: 'follow-up-without-sync', title: 'every 2nd Sync is withheld, its Follow_Up still sent', source: PAIRING, mutations: [{ id: 'withhold-sync', ...mutate.followUpWithoutSync({ kind: 'every', n: 2 }) }], misuse: wrongPair, ...step },
    { key: 'sync-without-follow-up', title: 'every 2nd Follow_Up is left out', source: PAIRING, mutations: [{ id: 'no-follow-up', ...mutate.followUpMissing({ kind: 'every', n: 2 }) }], misuse: wrongPair, ...step },
    { key: 'duplicated-sync', title: 'every Sync is sent twice, the copy a quarter interval later', source: `${PAIRING}; IEEE 1588-2019 7.3.7 (sequenceId tells a repeat)`, mutations: [{ id: 'dup-sync', messageTypes: ['Sync'], mutation: { kind: 'duplicate', spacingNs: T / 4n } }], ...step },
    { key: 'duplicated-follow-up', title: 'every Follow_Up is sent twice, the copy a quarter interval later', source: PAIRING, mutations: [{ id: 'dup-follow-up', messageTypes: ['Follow_Up'], mutation: { kind: 'duplicate', spacingNs: T / 4n } }], misuse: wrongPair, ...step },
    { key: 'sequence-jump', title: 'the sequenceId of Sync and Follow_Up jumps by 1000', source: 'IEEE 1588-2019 7.3.7 (sequenceId; a gap is lost messages, not a fault)', mutations: [{ id: 'seq-jump', messageTypes: ['Sync', 'Follow_Up'], mutation: { kind: 'sequenceId', delta: 1000 } }], ...step },
    // Random drops make runs of missing pairs: where a sync receipt timeout counts them
    // (802.1AS: 3 intervals without Sync and Follow_Up), leaving SLAVE is right, so the case
    // runs only where the profile has none (every 2nd Follow_Up left out stays, above).
    ...(profile.timeouts.syncReceiptTimeout ? [] : [{ key: 'follow-up-drop-50', title: 'half the Follow_Ups dropped at random (seeded)', source: `${PAIRING}; Ixia Follow_Up drop 10–90 %`, mutations: [mutate.dropFollowUps(50)], misuse: wrongPair, ...step }]),
    // Under unicast negotiation the emulated intruder only sends what the DUT granted it, and a
    // DUT asks Sync of its parent alone: nothing would be sent.
    ...(negotiationRequired(profile) ? [] : [{
      key: 'intruder-sync',
      title: `Sync and Follow_Up from a port that is not the DUT's parent, its time ${INTRUDER_NS / 1_000_000n} ms off`,
      source: 'IEEE 1588-2019 9.5.7 (Sync is processed only from the parent port), 9.3 (the parent is chosen from Announce)',
      mutations: [],
      intruderOffsetNs: INTRUDER_NS,
      misuse: { errorNs: INTRUDER_NS, what: `a DUT that takes Sync from a port other than its parent (off by the intruder's ${INTRUDER_NS / 1_000_000n} ms)` },
      ...step,
    }]),
  ]
}

export default conformance<FaultyStreamEvidence>({
  id: 'ROB-03',
  title: 'Sync/Follow_Up sequence faults: the DUT stays with its grandmaster and pairs by sequenceId',
  area: 'ROB',
  clause: 'IEEE 1588-2019 9.5.7, 9.5.10, 11.3.2',
  mapsTo: ['excelfore event types skip/dup/bads/nots/sender', 'Ixia Follow_Up drop 10–90 %', 'linuxptp port.c syfufsm'],
  tags: ['active', 'robustness'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 90,
  criteria: {
    pass: "through each fault the DUT stays a slave of its grandmaster and its offset error (reported − expected, with the grandmaster's time stepped 1 ms per case) stays within noise of the clean control phase",
    fail: "the DUT leaves its grandmaster, stops answering or crashes, or its offset error moves by a Sync interval (a Follow_Up paired with another Sync), by the intruder's 10 ms (a Sync from a non-parent used) or by the 1 ms step (the stream no longer used)",
  },
  appliesTo: (p) => (p.steps.twoStep === 'forbidden' ? `profile ${p.id} forbids two-step clocks: there is no Follow_Up to pair` : true),
  acquire: (ctx) => acquireFaultyStream(ctx, sequenceCases(ctx.profile, ctx.session.dutSettings.intervals.sync.value)),
  judge: (ev, profile) => ({ checks: judgeFaultyStream(ev, profile), measurements: { cases: ev.data.cases.map((c) => `${c.key}: ${c.rules.join('; ') || 'intruder'}`) } }),
})
