/**
 * TLV-GPTP-02 — every Announce of an 802.1AS grandmaster carries PATH_TRACE holding
 * stepsRemoved + 1 clock identities (8 octets each), the last of them the sender's own
 * (a grandmaster's path is itself).
 */
import type { AnnounceMessage, PathTraceTlv } from '../../harness/codec/types.ts'
import { conformance, dutFrames, exactCheck, type Observation, observationFault, observeDutMaster } from '../kit.ts'
import { presenceChecks, requiredTlv, watchOf } from '../support/tlv.ts'

export default conformance<{ observation: Observation }>({
  id: 'TLV-GPTP-02',
  title: 'PATH_TRACE TLV in every Announce',
  area: 'TLV',
  clause: 'IEEE 802.1AS-2020 10.6.3.3, IEEE 1588-2019 16.2',
  mapsTo: ['Avnu gPTP.com.c.10.x'],
  tags: ['passive', 'tlv', 'gptp', 'fast'],
  capturable: true,
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  criteria: {
    pass: 'every Announce carries PATH_TRACE with stepsRemoved + 1 whole clock identities, the last one the sender\'s',
    fail: 'an Announce lacks PATH_TRACE, or its list has another number of entries, a partial entry, or does not end with the sender',
  },
  appliesTo: (p) => (requiredTlv(p, 'Announce', 'PATH_TRACE') ? true : `profile ${p.id} does not require PATH_TRACE in Announce`),
  async acquire(ctx) {
    return { observation: await observeDutMaster(ctx) }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const ref = requiredTlv(profile, 'Announce', 'PATH_TRACE')
    const { checks, found } = presenceChecks(dutFrames(ev.data.observation, ev.session.domainNumber), 'Announce', 'PATH_TRACE', ref?.source ?? 'IEEE 802.1AS-2020 10.6.3.3', watchOf(ev, 'Announce'), ref?.unconfirmed)
    const lists = found.flatMap(({ frame, tlvs }) => (tlvs as PathTraceTlv[]).map((t) => ({ m: frame.message as AnnounceMessage, t })))
    if (!lists.length) return { checks, measurements: { announces: found.length } }
    const wrongCount = lists.filter(({ m, t }) => t.pathSequence.length !== m.stepsRemoved + 1)
    const partial = lists.filter(({ t }) => t.lengthField % 8 !== 0)
    const wrongLast = lists.filter(({ m, t }) => t.pathSequence.at(-1) !== m.header.sourcePortIdentity.clockIdentity)
    const first = (xs: typeof lists) => (xs[0] ? { detail: `e.g. Announce #${xs[0].m.header.sequenceId}: stepsRemoved ${xs[0].m.stepsRemoved}, lengthField ${xs[0].t.lengthField}, path [${xs[0].t.pathSequence.join(', ')}]` } : {})
    checks.push(exactCheck('PATH_TRACE lists with ≠ stepsRemoved + 1 entries', wrongCount.length, 0, 'IEEE 802.1AS-2020 10.3.8.23, 10.6.3.3.2', first(wrongCount)))
    checks.push(exactCheck('PATH_TRACE lengthField not a multiple of 8 (a partial ClockIdentity)', partial.length, 0, 'IEEE 1588-2019 16.2.4 (pathSequence is ClockIdentity[N])', first(partial)))
    checks.push(exactCheck("PATH_TRACE lists not ending with the sender's clockIdentity", wrongLast.length, 0, 'IEEE 1588-2019 16.2.5', first(wrongLast)))
    return { checks, measurements: { announces: found.length, pathTraces: lists.length } }
  },
})
