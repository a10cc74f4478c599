/**
 * ROB-05 — time faults from the grandmaster: one Follow_Up (one Sync where two-step is
 * forbidden) whose timestamp jumps 1 s back, then a step of the grandmaster's time by +1 s and
 * by −1 s that stays. A one-off jump is an outlier: afterwards the DUT's offset error must be
 * back where the clean control phase had it. A step is the grandmaster's new time: the DUT must
 * follow it, so its offset error (reported − expected, expected moving with the step) must not
 * change. Throughout, the DUT stays a slave of the grandmaster and keeps running.
 * Leap-second flags are not sent here (see the README's note on ROB-05).
 */
import { conformance, type Profile } from '../kit.ts'
import { acquireFaultyStream, type FaultCase, type FaultyStreamEvidence, judgeFaultyStream } from '../support/faulty_grandmaster.ts'

const JUMP_NS = 1_000_000_000n
const TIME = 'IEEE 1588-2019 11.2 (the slave aligns to its master\'s time), 11.3.2 (offsetFromMaster from each Sync)'

export function timeCases(profile: Profile): FaultCase[] {
  const carrier = profile.steps.twoStep === 'forbidden' ? 'Sync' : 'Follow_Up'
  return [
    {
      key: 'one-timestamp-back',
      title: `one ${carrier}'s timestamp 1 s back`,
      source: `${TIME}; OpenAvnu PR #595 (a backward preciseOriginTimestamp)`,
      mutations: [{ id: 'jump-back', messageTypes: [carrier], select: { kind: 'first', n: 1 }, mutation: { kind: 'timestampJump', ns: -JUMP_NS } }],
      misuse: { errorNs: JUMP_NS, what: 'a DUT that kept the jumped time (off by 1 s after it)' },
      offsetPhase: 'after',
    },
    { key: 'step-forward', title: "the grandmaster's time steps 1 s forward", source: `${TIME}; linuxptp-testsuite 09-largeoffset, 19-externalstep`, mutations: [], stepNs: JUMP_NS },
    { key: 'step-back', title: "the grandmaster's time steps 1 s back", source: `${TIME}; linuxptp-testsuite 19-externalstep`, mutations: [], stepNs: -JUMP_NS },
  ]
}

export default conformance<FaultyStreamEvidence>({
  id: 'ROB-05',
  title: "Time jumps from the grandmaster: an outlier is recovered from, a step is followed",
  area: 'ROB',
  clause: 'IEEE 1588-2019 11.2, 11.3.2',
  mapsTo: ['OpenAvnu PR #595', 'linuxptp-testsuite 09-largeoffset, 19-externalstep'],
  tags: ['active', 'robustness'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 45,
  criteria: {
    pass: 'the DUT stays a slave of its grandmaster; after a one-off 1 s timestamp jump its offset error is back within noise of the control phase; after a ±1 s step of the grandmaster\'s time it reports the new offset (its error unchanged within noise)',
    fail: 'the DUT leaves its grandmaster, stops answering or crashes, keeps a jumped time after the outlier, or keeps its old offset after a step',
  },
  appliesTo: () => true,
  acquire: (ctx) => acquireFaultyStream(ctx, timeCases(ctx.profile)),
  judge: (ev, profile) => ({ checks: judgeFaultyStream(ev, profile), measurements: { cases: ev.data.cases.map((c) => `${c.key}: ${c.rules.join('; ') || (c.stepNs ? `time step ${c.stepNs} ns` : '')}`) } }),
})
