/**
 * MGT-01 — the data sets the DUT reports over PTP management on the wire agree with what
 * it sends: DEFAULT_DATA_SET (priorities, clockQuality, identity, domain, twoStepFlag),
 * CURRENT_DATA_SET (stepsRemoved), PARENT_DATA_SET (grandmaster fields; a grandmaster is
 * its own parent) and TIME_PROPERTIES_DATA_SET (UTC offset, flags, timeSource) against the
 * DUT's own Announce and Sync. Evidence: the observation, then each GET as sent and every
 * answer as it came back, with its time. A DUT that says it answers management on the wire
 * and answers none of the GETs fails, naming them.
 */
import type { AnnounceMessage, ManagementDataField, SyncMessage } from '../../harness/codec/types.ts'
import type { ManagementErrorInfo } from '../../harness/management/client.ts'
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import { type Check, conformance, dutFrames, dutPortOf, exactCheck, type Observation, observationFault, observeDutMaster } from '../kit.ts'

export const DATA_SETS = ['DEFAULT_DATA_SET', 'CURRENT_DATA_SET', 'PARENT_DATA_SET', 'TIME_PROPERTIES_DATA_SET'] as const
type DataSetName = (typeof DATA_SETS)[number]
const TIMEOUT_MS = 1000

export interface ManagementRead {
  request: DataSetName
  /** ms after the reads began. */
  sentAtMs: number
  timeoutMs: number
  domainNumber: number
  answers: { sourceKey: string; action: string; data?: ManagementDataField | null; error?: ManagementErrorInfo; rxTimestampNs: bigint | null }[]
  undecodable: number
  /** The request could not be sent (harness side). */
  sendError?: string
}

export interface MgtEvidence {
  observation: Observation
  /** The DUT's description says it answers PTP management on the wire. */
  claimsWireManagement: boolean
  implementation: string
  reads: ManagementRead[]
}

export default conformance<MgtEvidence>({
  id: 'MGT-01',
  title: 'Data sets read over management agree with the DUT\'s Announce and Sync',
  area: 'MGT',
  clause: 'IEEE 1588-2019 15.5.3, 13.5.2, 8.2',
  mapsTo: ['facebook/time ptp/protocol management client', 'pmc GET'],
  tags: ['management', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 28,
  criteria: {
    pass: 'the DUT answers GET DEFAULT_DATA_SET, CURRENT_DATA_SET, PARENT_DATA_SET and TIME_PROPERTIES_DATA_SET with the values its Announce and Sync carry',
    fail: 'a management value differs from the wire, a GET is refused or unanswered, or a DUT claiming wire management answers none',
  },
  appliesTo: (p) => (p.unusedMessages.some((u) => u.message === 'Management') ? `profile ${p.id} does not use PTP management messages` : true),
  async acquire(ctx) {
    const observation = await observeDutMaster(ctx)
    const desc = await ctx.session.dutDescription()
    ctx.step(`GET ${DATA_SETS.join(', ')} over the wire`)
    // The observation's engines are closed: the port is free for a management client.
    const client = ctx.session.managementClient()
    const reads: ManagementRead[] = []
    const t0 = Date.now()
    try {
      for (const request of DATA_SETS) {
        const read: ManagementRead = { request, sentAtMs: Date.now() - t0, timeoutMs: TIMEOUT_MS, domainNumber: ctx.session.domainNumber, answers: [], undecodable: 0 }
        try {
          const r = await client.get(request, { timeoutMs: TIMEOUT_MS })
          read.answers = r.answers.map((a) => ({ sourceKey: a.sourceKey, action: a.action, ...(a.data !== undefined ? { data: a.data } : {}), ...(a.error ? { error: a.error } : {}), rxTimestampNs: a.rxTimestampNs }))
          read.undecodable = r.undecodable.length
        } catch (e) {
          read.sendError = (e as Error).message
        }
        reads.push(read)
      }
    } finally {
      client.close()
    }
    return { observation, claimsWireManagement: desc.capabilities.wireManagement, implementation: `${desc.implementation} ${desc.version}`, reads }
  },
  judge(ev, profile) {
    const fault = observationFault(ev, profile)
    if (fault) return { checks: [fault] }
    const o = ev.data.observation
    const domain = ev.session.domainNumber
    const frames = dutFrames(o, domain)
    const ann = frames.findLast((f) => f.message?.type === 'Announce')?.message as AnnounceMessage | undefined
    const sync = frames.findLast((f) => f.message?.type === 'Sync' && f.message.header.domainNumber === domain)?.message as SyncMessage | undefined
    const dutId = normalizeClockIdentity(dutPortOf(o, domain)!.clockIdentity)
    const fromDut = (k: string) => normalizeClockIdentity(k.split('-')[0]!) === dutId
    const reads = ev.data.reads
    const dutAnswers = reads.flatMap((r) => r.answers.filter((a) => fromDut(a.sourceKey)))
    const sent = reads.map((r) => `GET ${r.request} at ${r.sentAtMs} ms${r.sendError ? ` (not sent: ${r.sendError})` : ''}`).join(', ')
    if (reads.length && reads.every((r) => r.sendError)) {
      return { checks: [{ name: 'management requests sent', measured: 0, limit: `${reads.length}`, source: 'harness', verdict: 'inconclusive', detail: `the harness could not send its requests: ${sent}` }] }
    }
    if (!dutAnswers.length) {
      const others = reads.flatMap((r) => r.answers).map((a) => `${a.sourceKey} ${a.action}`)
      const what = `sent ${sent} in domain ${reads[0]?.domainNumber ?? domain}, ${TIMEOUT_MS} ms each; no answer from ${dutId}${others.length ? `; answers from others: ${others.join(', ')}` : ''}`
      if (!ev.data.claimsWireManagement) {
        return { checks: [{ name: 'the DUT answers PTP management on the wire', measured: 'no answer', limit: 'applies to DUTs that answer wire management', source: 'IEEE 1588-2019 15.1 (management is optional)', verdict: 'not-applicable', detail: `${ev.data.implementation} does not claim wire management; ${what}` }], reason: `${ev.data.implementation} does not answer PTP management on the wire` }
      }
      return { checks: [{ name: 'the DUT answers PTP management on the wire', measured: 0, limit: `≥ 1 RESPONSE to ${reads.length} GETs`, source: 'IEEE 1588-2019 15.3.3 (a GET is answered with a RESPONSE), 15.5.3', verdict: 'fail', detail: `${ev.data.implementation} claims wire management; ${what}` }] }
    }
    if (!ann || !sync) {
      return { checks: [{ name: 'an Announce and a Sync from the DUT to compare with', measured: `${ann ? 1 : 0} Announce, ${sync ? 1 : 0} Sync`, limit: '≥ 1 each', source: 'IEEE 1588-2019 9.2.5 (a MASTER port sends Announce and Sync)', verdict: 'fail', detail: 'the DUT served Sync but sent no Announce in the observation' }] }
    }
    const checks: Check[] = []
    const got = <N extends DataSetName>(name: N): Extract<ManagementDataField, { name: N }> | undefined => {
      const r = reads.find((x) => x.request === name)
      const mine = r?.answers.filter((a) => fromDut(a.sourceKey)) ?? []
      const ok = mine.find((a) => a.action === 'RESPONSE' && a.data?.name === name)
      const seen = mine.map((a) => (a.error ? `error ${a.error.name}` : `${a.action} ${a.data?.name ?? 'empty dataField'}`))
      checks.push({ name: `GET ${name} answered by the DUT`, measured: ok ? 'RESPONSE' : seen.join(', ') || 'no answer', limit: `RESPONSE with ${name}`, source: 'IEEE 1588-2019 15.3.3, 15.5.3', verdict: ok ? 'pass' : 'fail', ...(r ? { detail: `sent at ${r.sentAtMs} ms, window ${r.timeoutMs} ms` } : {}) })
      return ok?.data as Extract<ManagementDataField, { name: N }> | undefined
    }
    const at = `Announce #${ann.header.sequenceId}`
    const eq = (name: string, mgmt: string | number, wire: string | number, source: string) => checks.push(exactCheck(name, mgmt, wire, source, mgmt === wire ? {} : { detail: `management says ${mgmt}, ${at} / Sync #${sync.header.sequenceId} carry ${wire}` }))
    const id = (c: string) => normalizeClockIdentity(c)
    const d = got('DEFAULT_DATA_SET')
    if (d) {
      eq('DEFAULT_DATA_SET.priority1 = Announce grandmasterPriority1', d.priority1, ann.grandmasterPriority1, 'IEEE 1588-2019 8.2.1.4.1, 13.5.2.3')
      eq('DEFAULT_DATA_SET.priority2 = Announce grandmasterPriority2', d.priority2, ann.grandmasterPriority2, 'IEEE 1588-2019 8.2.1.4.2, 13.5.2.5')
      eq('DEFAULT_DATA_SET.clockClass = Announce', d.clockQuality.clockClass, ann.grandmasterClockQuality.clockClass, 'IEEE 1588-2019 8.2.1.3.1.2, 13.5.2.4')
      eq('DEFAULT_DATA_SET.clockAccuracy = Announce', d.clockQuality.clockAccuracy, ann.grandmasterClockQuality.clockAccuracy, 'IEEE 1588-2019 8.2.1.3.1.3, 13.5.2.4')
      eq('DEFAULT_DATA_SET.offsetScaledLogVariance = Announce', d.clockQuality.offsetScaledLogVariance, ann.grandmasterClockQuality.offsetScaledLogVariance, 'IEEE 1588-2019 8.2.1.3.1.4, 13.5.2.4')
      eq('DEFAULT_DATA_SET.clockIdentity = Announce grandmasterIdentity (the DUT is grandmaster)', id(d.clockIdentity), id(ann.grandmasterIdentity), 'IEEE 1588-2019 8.2.1.2.2, 13.5.2.6')
      eq('DEFAULT_DATA_SET.domainNumber = Sync domainNumber', d.domainNumber, sync.header.domainNumber, 'IEEE 1588-2019 8.2.1.4.3, 13.3.2.4')
      // DEFAULT_DATA_SET flags bit 0 (TSC) is twoStepFlag; the Sync header carries it in flagField octet 0 bit 1.
      eq('DEFAULT_DATA_SET twoStepFlag = Sync twoStepFlag', d.flags & 1, (sync.header.flagField >> 9) & 1, 'IEEE 1588-2019 8.2.1.2.1, 15.5.3.3.1, 13.3.2.8 Table 37')
    }
    const c = got('CURRENT_DATA_SET')
    if (c) eq('CURRENT_DATA_SET.stepsRemoved = Announce stepsRemoved', c.stepsRemoved, ann.stepsRemoved, 'IEEE 1588-2019 8.2.2.2, 13.5.2.7')
    const p = got('PARENT_DATA_SET')
    if (p) {
      eq('PARENT_DATA_SET.grandmasterIdentity = Announce', id(p.grandmasterIdentity), id(ann.grandmasterIdentity), 'IEEE 1588-2019 8.2.3.6, 13.5.2.6')
      eq('PARENT_DATA_SET.grandmasterPriority1 = Announce', p.grandmasterPriority1, ann.grandmasterPriority1, 'IEEE 1588-2019 8.2.3.8, 13.5.2.3')
      eq('PARENT_DATA_SET.grandmasterPriority2 = Announce', p.grandmasterPriority2, ann.grandmasterPriority2, 'IEEE 1588-2019 8.2.3.9, 13.5.2.5')
      eq('PARENT_DATA_SET.grandmasterClockQuality.clockClass = Announce', p.grandmasterClockQuality.clockClass, ann.grandmasterClockQuality.clockClass, 'IEEE 1588-2019 8.2.3.7, 13.5.2.4')
      eq('PARENT_DATA_SET.grandmasterClockQuality.clockAccuracy = Announce', p.grandmasterClockQuality.clockAccuracy, ann.grandmasterClockQuality.clockAccuracy, 'IEEE 1588-2019 8.2.3.7, 13.5.2.4')
      eq('PARENT_DATA_SET.grandmasterClockQuality.offsetScaledLogVariance = Announce', p.grandmasterClockQuality.offsetScaledLogVariance, ann.grandmasterClockQuality.offsetScaledLogVariance, 'IEEE 1588-2019 8.2.3.7, 13.5.2.4')
      // A grandmaster is its own parent (1588-2019 9.3.5 Table 30, decision M1/M2: parentPortIdentity = defaultDS.clockIdentity).
      eq('PARENT_DATA_SET.parentPortIdentity.clockIdentity = the DUT (grandmaster)', id(p.parentPortIdentity.clockIdentity), dutId, 'IEEE 1588-2019 8.2.3.2, 9.3.5 Table 30')
    }
    const t = got('TIME_PROPERTIES_DATA_SET')
    if (t) {
      eq('TIME_PROPERTIES_DATA_SET.currentUtcOffset = Announce', t.currentUtcOffset, ann.currentUtcOffset, 'IEEE 1588-2019 8.2.4.2, 13.5.2.2')
      eq('TIME_PROPERTIES_DATA_SET.timeSource = Announce', t.timeSource, ann.timeSource, 'IEEE 1588-2019 8.2.4.9, 13.5.2.8')
      // The data set's flag octet is octet 1 of the Announce flagField (bits 0–5: leap61 … frequencyTraceable).
      eq('TIME_PROPERTIES_DATA_SET flags = Announce flagField octet 1 (bits 0–5)', t.flags & 0x3f, ann.header.flagField & 0x3f, 'IEEE 1588-2019 13.3.2.8 Table 37, 15.5.3.6.1')
    }
    return { checks, measurements: { reads: reads.map((r) => ({ request: r.request, sentAtMs: r.sentAtMs, answers: r.answers.map((a) => `${a.sourceKey} ${a.error ? `error ${a.error.name}` : a.action}`) })), comparedWith: `${at}, Sync #${sync.header.sequenceId}` } }
  },
})
