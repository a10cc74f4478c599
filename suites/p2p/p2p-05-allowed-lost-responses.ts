/**
 * P2P-05 — lost Pdelay responses and asCapable (802.1AS): the DUT, a master alone on its link,
 * sends Sync while its link partner answers its Pdelay_Req; then the partner stops answering.
 * A port tolerates allowedLostResponses consecutive lost responses and is no longer asCapable
 * once more are lost (802.1AS-2020 11.2.19: lostResponses > allowedLostResponses), so its Sync
 * must go on while at most N requests are unanswered and stop once N + 1 are — noticed when it
 * sends the next request. Counted on the wire: the DUT's unanswered Pdelay_Req before its last
 * Sync must number N + 1 or N + 2. When the partner answers again, Sync must resume. N is the
 * DUT's (DutSettings.allowedLostResponses: configured, else the implementation's default),
 * itself checked against the profile's.
 */
import { type Check, conformance, describeSetting, type Recorder, TestMaster } from '../kit.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { noSyncAsMaster, startAloneAsMaster, type AloneStart } from '../support/alone_as_master.ts'
import { RESUME_EXCHANGES, syncResumesCheck, syncStopsCheck, lostResponseSettings } from '../support/lost_responses.ts'
import { asCapableRule } from '../../harness/profiles/as_capable.ts'

export interface LostResponsesData extends AloneStart {
  allowed: number
  logPdelayReqInterval: number
  /** When the partner stopped answering, and when it answered again (timestamp clock). */
  silencedAtNs?: bigint
  resumedAtNs?: bigint
  endNs?: bigint
  recorder?: Recorder
}

const SOURCE = 'IEEE 802.1AS-2020 11.2.19 (lostResponses > allowedLostResponses: asCapable FALSE), 10.2 (no Sync on a port that is not asCapable)'

export function judgeLostResponses(d: LostResponsesData): Check[] {
  const n = d.allowed
  if (d.silencedAtNs === undefined || d.resumedAtNs === undefined || d.endNs === undefined) {
    return [{ name: 'responses withheld and resumed', measured: 'not run', limit: 'both phases', source: 'harness', verdict: 'inconclusive', detail: 'the acquisition ended before both phases ran' }]
  }
  return [
    syncStopsCheck(d.recorder, d.silencedAtNs, d.resumedAtNs, { name: `Pdelay responses withheld: Sync goes on up to ${n} lost responses and stops after ${n + 1}`, answered: 'unanswered', minBefore: n + 1, maxBefore: n + 2, source: SOURCE }),
    syncResumesCheck(d.recorder, d.resumedAtNs, d.endNs, d.logPdelayReqInterval, SOURCE),
  ]
}

export default conformance<LostResponsesData>({
  id: 'P2P-05',
  title: 'Lost Pdelay responses: Sync goes on up to allowedLostResponses and stops after one more',
  area: 'P2P',
  clause: 'IEEE 802.1AS-2020 11.2.19 (allowedLostResponses, lostResponses), 11.2.2, 10.2',
  mapsTo: ['Avnu gPTP 15.3 (lost responses)', 'excelfore md_pdelay_req_sm.c', 'linuxptp port.c ALLOWED_LOST_RESPONSES'],
  tags: ['active', 'p2p', 'gptp', 'impairment'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 35,
  criteria: {
    pass: "the DUT's allowedLostResponses N is the profile's; with its Pdelay_Req unanswered it still sends Sync until N + 1 responses are lost (N + 1 or N + 2 unanswered requests before its last Sync), then none; answered again, Sync resumes within 16 intervals",
    fail: 'N is not the profile\'s, or Sync stops after fewer lost responses, goes on after more, or does not resume',
  },
  appliesTo: asCapableRule,
  async acquire(ctx) {
    const { allowed, logPdelayReqInterval: interval, intervalMs } = lostResponseSettings(ctx)
    const { handle, group, ...start } = await startAloneAsMaster(ctx, 'p2p-05')
    const data: LostResponsesData = { allowed, logPdelayReqInterval: interval, ...start }
    const peer = (fn: (p: TestMaster, now: bigint) => void | ReturnType<TestMaster['resume']>) => handle.driver.invoke((now) => group.control<TestMaster>('link-peer', (p) => fn(p, now) ?? []))
    try {
      if (data.firstSyncNs === undefined) return { ...data, recorder: handle.recorder }
      await ctx.sleep(2000)
      ctx.step(`the link partner stops answering Pdelay_Req (allowedLostResponses ${allowed})`)
      peer((p) => p.silence({ announce: false, sync: false, answers: true }))
      data.silencedAtNs = systemTimeNs()
      // N + 1 lost, noticed at the next request, then as long again to see Sync stays stopped.
      await ctx.sleep((allowed + 5) * intervalMs + 1000)
      ctx.step('the link partner answers again')
      peer((p, now) => p.resume(now, { announce: false, sync: false, answers: true }))
      data.resumedAtNs = systemTimeNs()
      await ctx.sleep(RESUME_EXCHANGES * intervalMs + 2000)
      data.endNs = systemTimeNs()
    } finally {
      await handle.close()
      await ctx.session.restartDut('master', ctx.signal)
    }
    return { ...data, recorder: handle.recorder }
  },
  judge(ev, profile) {
    const d = ev.data
    const checks: Check[] = []
    const configured = ev.dut.allowedLostResponses
    const spec = profile.peerDelay?.allowedLostResponses
    if (configured && spec) {
      checks.push({ name: "allowedLostResponses against the profile's", measured: configured.value, limit: `${spec.value} (profile)`, source: spec.source, verdict: configured.value === spec.value ? 'pass' : 'fail', detail: describeSetting('allowedLostResponses', configured) })
    }
    const none = noSyncAsMaster(d, 'the DUT sends Sync as master while its Pdelay_Req are answered', SOURCE)
    if (none) return { checks: [...checks, none] }
    return { checks: [...checks, ...judgeLostResponses(d)] }
  },
})
