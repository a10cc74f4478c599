/**
 * MF-03 — sequenceId counters and follow-up pairing, judged on the DUT's own frames. Each
 * counted message type goes up by one per message and wraps 65535 → 0 (1588-2019 7.3.7): a
 * repeat or a step back is the DUT's fault wherever it is seen. A gap is the DUT's fault on
 * a lab link (a veth pair loses nothing); on a device or a capture a frame may have been lost
 * between the DUT and the observer, so a gap there is inconclusive, with the frames named.
 * Every Follow_Up carries a sequenceId of a two-step Sync sent before it (9.5.10), every
 * Pdelay_Resp_Follow_Up that of its Pdelay_Resp, same requester (11.4.2 c) 8)).
 */
import { type Check, describeFrame, dutFrames, type RecordedFrame, passiveOnDutMaster } from '../kit.ts'
import { inTimeOrder } from '../../harness/recorder/time_order.ts'
import { describeStep, pairingReport, sequenceReport, type SequenceStep } from '../support/sequence_ids.ts'

const COUNTERS = 'IEEE 1588-2019 7.3.7 (one sequenceId pool per message type, +1 per message, modulo 2^16)'
const what = describeFrame
const some = <T>(xs: T[], show: (x: T) => string, n = 3) => xs.slice(0, n).map(show).join('; ') + (xs.length > n ? `; … ${xs.length - n} more` : '')

export default passiveOnDutMaster({
  id: 'MF-03',
  title: 'sequenceId counters and Follow_Up pairing',
  area: 'MF',
  clause: 'IEEE 1588-2019 7.3.7, 9.5.10, 11.4.2',
  mapsTo: ['ptp-analyzer sequenceId checks', 'linuxptp-testsuite 13-delayedfup'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  estimatedSeconds: 25,
  criteria: {
    pass: 'per message type the sequenceId goes up by one per message (65535 → 0 is a step of one); every Follow_Up and Pdelay_Resp_Follow_Up carries the sequenceId of a two-step event message sent before it',
    fail: 'a repeated sequenceId or a step back, a gap on a lab link, a follow-up matching no earlier event message, or two-step event messages left without a follow-up',
  },
  judgeObserved(ev, profile) {
    // Wire order: across the event and general sockets the recording order is not time order.
    const frames = inTimeOrder(dutFrames(ev.data.observation, ev.session.domainNumber).filter((f) => f.message)).map((x) => x.f)
    const seq = sequenceReport(frames)
    const lab = ev.session.mode === 'lab'
    const counted = Object.entries(seq.counted).map(([t, n]) => `${n} ${t}`).join(', ')
    const steps = (xs: SequenceStep[]) => some(xs, describeStep)
    const checks: Check[] = [
      {
        name: 'repeated sequenceIds or steps back (per message type)',
        measured: seq.repeats.length + seq.backwards.length,
        limit: '= 0',
        source: COUNTERS,
        verdict: seq.repeats.length + seq.backwards.length === 0 ? 'pass' : 'fail',
        detail: [seq.repeats.length ? `repeats: ${steps(seq.repeats)}` : '', seq.backwards.length ? `steps back: ${steps(seq.backwards)}` : '', `over ${counted}`, seq.wraps ? `${seq.wraps} wrap(s) 65535 → 0 done right` : '']
          .filter(Boolean)
          .join('; '),
      },
      {
        name: 'sequenceId gaps (per message type)',
        measured: seq.gaps.length,
        limit: '= 0',
        source: COUNTERS,
        // On a device or a capture the frame may have been lost on the way to the observer.
        verdict: seq.gaps.length === 0 ? 'pass' : lab ? 'fail' : 'inconclusive',
        detail: seq.gaps.length
          ? `${seq.missing} sequenceId(s) skipped in ${seq.gaps.length} gap(s): ${steps(seq.gaps)}; ${lab ? 'a lab veth link loses no frame, so the DUT skipped them' : 'a frame lost between the DUT and the observer looks the same, so the harness cannot tell'}`
          : `over ${counted}`,
      },
    ]
    const pairs: [event: 'Sync' | 'Pdelay_Resp', followUp: 'Follow_Up' | 'Pdelay_Resp_Follow_Up', source: string][] = [
      ['Sync', 'Follow_Up', 'IEEE 1588-2019 9.5.10 (a Follow_Up carries its Sync\'s sequenceId)'],
      ['Pdelay_Resp', 'Pdelay_Resp_Follow_Up', 'IEEE 1588-2019 11.4.2 c) 8) (a Pdelay_Resp_Follow_Up carries its Pdelay_Resp\'s sequenceId and requestingPortIdentity)'],
    ]
    for (const [event, followUp, source] of pairs) {
      const r = pairingReport(frames, event, followUp)
      if (r.followUps === 0 && r.orphans.length === 0) continue
      checks.push({
        name: `${followUp} matching no earlier two-step ${event}`,
        measured: r.unmatched.length,
        limit: '= 0',
        source,
        verdict: r.unmatched.length === 0 ? 'pass' : 'fail',
        detail: r.unmatched.length ? `${r.unmatched.length} of ${r.followUps}: ${some(r.unmatched, what)}` : `${r.followUps} ${followUp} paired`,
      })
      checks.push({
        name: `two-step ${event} without a ${followUp}`,
        measured: r.orphans.length,
        limit: '= 0',
        source,
        verdict: r.orphans.length === 0 ? 'pass' : lab ? 'fail' : 'inconclusive',
        ...(r.orphans.length
          ? { detail: `${some(r.orphans, what)}${lab ? '' : '; a follow-up lost between the DUT and the observer looks the same'}` }
          : {}),
      })
    }
    return {
      checks,
      measurements: {
        counted: seq.counted,
        wraps: seq.wraps,
        gaps: seq.gaps.map((s) => [s.type, s.from.index, s.to.index, s.step]),
        repeats: seq.repeats.map((s) => [s.type, s.from.index, s.to.index]),
        backwards: seq.backwards.map((s) => [s.type, s.from.index, s.to.index, s.step]),
      },
    }
  },
})
