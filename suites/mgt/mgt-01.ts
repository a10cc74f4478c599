/**
 * MGT-01 — the datasets the DUT reports over PTP management on the wire agree with
 * what it announces: DEFAULT_DATA_SET (priorities, clockQuality, identity, domain),
 * PARENT_DATA_SET (grandmaster fields) and TIME_PROPERTIES_DATA_SET (UTC offset,
 * time-property flags, timeSource) against the DUT's own Announce.
 */
import type { AnnounceMessage } from '../../harness/codec/types.ts'
import { dataBySource } from '../../harness/management/client.ts'
import { conformance } from '../../harness/run/definition.ts'
import { type Check, exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'

export default conformance({
  id: 'MGT-01',
  title: 'Datasets read over management agree with the DUT\'s Announce',
  area: 'MGT',
  clause: 'IEEE 1588-2019 15.5.3, 13.5.2',
  mapsTo: ['facebook/time ptp/protocol management client', 'pmc GET'],
  tags: ['management', 'fast'],
  severity: 'normal',
  fixture: 'dut-master',
  estimatedSeconds: 28,
  appliesTo: (p) => (p.unusedMessages.some((u) => u.message === 'Management') ? `profile ${p.id} does not use PTP management messages` : true),
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const ann = o.fromDut.findLast((f) => f.message?.type === 'Announce')?.message as AnnounceMessage | undefined
    if (!ann) return { checks: [{ name: 'an Announce to compare with', measured: 0, limit: '≥ 1', source: 'IEEE 1588-2019 13.5', verdict: 'inconclusive', detail: 'the DUT sent no Announce' }] }
    const dutKey = `${ann.header.sourcePortIdentity.clockIdentity}`
    ctx.step('GET DEFAULT_DATA_SET, PARENT_DATA_SET, TIME_PROPERTIES_DATA_SET over the wire')
    const client = ctx.session.managementClient()
    const checks: Check[] = []
    const answers: Record<string, unknown> = {}
    try {
      const src = 'IEEE 1588-2019 15.5.3'
      const one = async <T extends 'DEFAULT_DATA_SET' | 'PARENT_DATA_SET' | 'TIME_PROPERTIES_DATA_SET'>(name: T) => {
        const r = await client.get(name, { timeoutMs: 1000 })
        const byClock = [...dataBySource(r, name).entries()].filter(([k]) => k.startsWith(dutKey))
        const errors = r.answers.filter((a) => a.error).map((a) => `${a.sourceKey}: ${a.error!.name}`)
        answers[name] = byClock.map(([k, v]) => ({ source: k, ...v }))
        checks.push({ name: `${name} answered by the DUT`, measured: byClock.length ? 'yes' : errors.length ? `error ${errors.join(', ')}` : 'no answer', limit: 'one RESPONSE', source: src, verdict: byClock.length ? 'pass' : 'fail' })
        return byClock[0]?.[1]
      }
      const d = await one('DEFAULT_DATA_SET')
      if (d) {
        checks.push(exactCheck('DEFAULT_DATA_SET.priority1 = Announce grandmasterPriority1', d.priority1, ann.grandmasterPriority1, 'IEEE 1588-2019 13.5.2.3'))
        checks.push(exactCheck('DEFAULT_DATA_SET.priority2 = Announce grandmasterPriority2', d.priority2, ann.grandmasterPriority2, 'IEEE 1588-2019 13.5.2.5'))
        checks.push(exactCheck('DEFAULT_DATA_SET.clockClass = Announce', d.clockQuality.clockClass, ann.grandmasterClockQuality.clockClass, 'IEEE 1588-2019 13.5.2.4'))
        checks.push(exactCheck('DEFAULT_DATA_SET.clockAccuracy = Announce', d.clockQuality.clockAccuracy, ann.grandmasterClockQuality.clockAccuracy, 'IEEE 1588-2019 13.5.2.4'))
        checks.push(exactCheck('DEFAULT_DATA_SET.offsetScaledLogVariance = Announce', d.clockQuality.offsetScaledLogVariance, ann.grandmasterClockQuality.offsetScaledLogVariance, 'IEEE 1588-2019 13.5.2.4'))
        checks.push(exactCheck('DEFAULT_DATA_SET.clockIdentity = Announce grandmasterIdentity (DUT is grandmaster)', d.clockIdentity, ann.grandmasterIdentity, 'IEEE 1588-2019 13.5.2.6'))
        checks.push(exactCheck('DEFAULT_DATA_SET.domainNumber = header domainNumber', d.domainNumber, ann.header.domainNumber, 'IEEE 1588-2019 8.2.1.4.1'))
      }
      const p = await one('PARENT_DATA_SET')
      if (p) {
        checks.push(exactCheck('PARENT_DATA_SET.grandmasterIdentity = Announce', p.grandmasterIdentity, ann.grandmasterIdentity, 'IEEE 1588-2019 8.2.3.6'))
        checks.push(exactCheck('PARENT_DATA_SET.grandmasterPriority1 = Announce', p.grandmasterPriority1, ann.grandmasterPriority1, 'IEEE 1588-2019 8.2.3.8'))
        checks.push(exactCheck('PARENT_DATA_SET.grandmasterClockQuality.clockClass = Announce', p.grandmasterClockQuality.clockClass, ann.grandmasterClockQuality.clockClass, 'IEEE 1588-2019 8.2.3.7'))
      }
      const t = await one('TIME_PROPERTIES_DATA_SET')
      if (t) {
        checks.push(exactCheck('TIME_PROPERTIES_DATA_SET.currentUtcOffset = Announce', t.currentUtcOffset, ann.currentUtcOffset, 'IEEE 1588-2019 13.5.2.1'))
        checks.push(exactCheck('TIME_PROPERTIES_DATA_SET.timeSource = Announce', t.timeSource, ann.timeSource, 'IEEE 1588-2019 13.5.2.8'))
        // The dataset's flag octet maps to octet 1 of the Announce flagField (bits 0–5; 2019 adds bit 6).
        checks.push(exactCheck('TIME_PROPERTIES_DATA_SET flags = Announce flagField octet 1 (bits 0–5)', t.flags & 0x3f, ann.header.flagField & 0x3f, 'IEEE 1588-2019 13.3.2.8, 15.5.3.6.1'))
      }
    } finally {
      client.close()
    }
    return { checks, measurements: { answers, announceFrom: dutKey } }
  },
})
