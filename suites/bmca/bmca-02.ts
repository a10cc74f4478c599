/**
 * BMCA-02 — foreign-master qualification: while the DUT follows grandmaster A, a
 * single Announce from a better clock B must not make it switch (1588-2019 9.3.2.5:
 * FOREIGN_MASTER_THRESHOLD Announces within FOREIGN_MASTER_TIME_WINDOW). As a control
 * that the harness would see a switch, B then announces continuously and the DUT
 * must move to it.
 */
import { conformance } from '../../harness/run/definition.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import { betterThanDefault, isSlaveOf, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'

export default conformance({
  id: 'BMCA-02',
  title: 'A single Announce does not qualify a foreign master',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.2.5',
  mapsTo: ['facebook/time PR #198', 'linuxptp foreign.h FOREIGN_MASTER_THRESHOLD'],
  tags: ['active', 'bmca'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const a = { name: 'gm-a', identity: 1 }
    const b = { name: 'gm-b', identity: 2, dataset: betterThanDefault(ctx), extra: { sendAnnounce: false, sendSync: false } }
    const cfgA = masterConfig(ctx, a)
    const cfgB = masterConfig(ctx, b)
    const t = 2 ** cfgA.logAnnounceInterval * 1000
    const window = ctx.profile.bmca.foreignMasterTimeWindow.value
    const m = await startMasters(ctx, [a, b], { freshDut: true })
    const checks: Check[] = []
    try {
      ctx.step('waiting for the DUT to follow grandmaster A')
      const locked = await waitForState(ctx, isSlaveOf(cfgA.clockIdentity), lockTimeoutMs(cfgA.logAnnounceInterval, 3))
      if (locked.atMs === undefined) return { checks: [{ name: 'DUT follows grandmaster A', measured: locked.last?.grandmasterIdentity ?? 'none', limit: `= ${cfgA.clockIdentity}`, source: 'IEEE 1588-2019 9.3', verdict: 'inconclusive', detail: 'the DUT never followed A, so a switch cannot be tested' }] }
      ctx.step('one Announce from the better clock B')
      const before = m.handle.recorder.size
      m.control('gm-b', (gm, now) => gm.resume(now, { announce: true, sync: false, answers: false }))
      // Silence B as soon as its first Announce has left (its next one is an interval away).
      const deadline = Date.now() + 3 * t + 1000
      while (Date.now() < deadline && !m.handle.recorder.frames.slice(before).some((f) => f.direction === 'out' && f.message?.type === 'Announce' && f.message.header.sourcePortIdentity.clockIdentity === cfgB.clockIdentity)) await ctx.sleep(2)
      m.control('gm-b', (gm) => gm.silence({ announce: true, sync: true, answers: true }))
      const sentB = m.handle.recorder.frames.slice(before).filter((f) => f.direction === 'out' && f.message?.type === 'Announce' && f.message.header.sourcePortIdentity.clockIdentity === cfgB.clockIdentity).length
      checks.push({ name: 'Announce messages B sent in the single-Announce phase', measured: sentB, limit: '= 1', source: 'test set-up', verdict: sentB === 1 ? 'pass' : 'inconclusive' })
      const watchMs = (window + 1) * t
      ctx.step(`watching ${watchMs} ms (${window + 1} announce intervals) for a switch`)
      const switched = await waitForState(ctx, isSlaveOf(cfgB.clockIdentity), watchMs, 100)
      checks.push({
        name: 'DUT switched to B after a single Announce',
        measured: switched.atMs === undefined ? 'no' : `yes, after ${switched.atMs} ms`,
        limit: 'no',
        source: `${ctx.profile.bmca.foreignMasterThreshold.source}`,
        unconfirmed: ctx.profile.bmca.foreignMasterThreshold.unconfirmed,
        verdict: switched.atMs === undefined ? 'pass' : 'fail',
      })
      ctx.step('control: B announces continuously; the DUT must now switch')
      m.control('gm-b', (gm, now) => gm.resume(now, { announce: true, sync: true, answers: true }))
      const control = await waitForState(ctx, isSlaveOf(cfgB.clockIdentity), lockTimeoutMs(cfgB.logAnnounceInterval, 3))
      checks.push({
        name: 'control: DUT switches to B once B keeps announcing',
        measured: control.atMs === undefined ? 'no' : `after ${control.atMs} ms`,
        limit: 'switches',
        source: 'IEEE 1588-2019 9.3',
        verdict: control.atMs !== undefined ? 'pass' : 'inconclusive',
        detail: control.atMs === undefined ? 'the DUT never switched, so the harness cannot show that it would see a switch' : undefined,
      })
    } finally {
      await m.close()
      ctx.attach('qualification.pcapng', recordingToPcapng(m.handle.recorder), 'pcapng')
    }
    return { checks }
  },
})
