/**
 * BMCA-01 — the DUT (slave-only) follows the better of two emulated grandmasters,
 * one data-set attribute at a time. For every case our BMCA engine predicts the
 * grandmaster a conformant DUT must choose; the DUT's choice is read from its
 * PARENT_DATA_SET and must match, and stay, for two announce intervals.
 */
import { predictChoice } from '../../harness/bmca/predictor.ts'
import { conformance } from '../../harness/run/definition.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import { attributeCases } from '../support/bmca_cases.ts'
import { isSlaveOf, lockTimeoutMs, masterConfig, startMasters, waitForState } from '../support/grandmasters.ts'

export default conformance({
  id: 'BMCA-01',
  title: 'The DUT follows the better of two grandmasters, attribute by attribute',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.4 (data set comparison), 9.3.3 (state decision)',
  mapsTo: ['linuxptp-testsuite 05-clockclass', 'UNH PWR.c.2.x'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 60,
  appliesTo: () => true,
  async run(ctx) {
    const checks: Check[] = []
    const captures: Uint8Array[] = []
    const cases = attributeCases(ctx.profile)
    const choices: Record<string, unknown>[] = []
    for (const [i, c] of cases.entries()) {
      // Identities 2i+1 < 2i+2: the better clock takes the higher one unless identity is the attribute.
      const [betterId, worseId] = c.betterHasLowerIdentity ? [2 * i + 1, 2 * i + 2] : [2 * i + 2, 2 * i + 1]
      const specs = [
        { name: 'better', identity: betterId, dataset: c.better },
        { name: 'worse', identity: worseId, dataset: c.worse },
      ]
      const cfgs = specs.map((s) => masterConfig(ctx, s))
      const prediction = predictChoice({
        variant: ctx.profile.bmca.variant,
        dut: { clockIdentity: ctx.session.dutPortIdentity()?.clockIdentity ?? 'ffffff.fffe.ffffff', priority1: 255, priority2: 255, clockQuality: { clockClass: 255, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, slaveOnly: true },
        candidates: cfgs.map((cfg) => ({
          name: cfg.name,
          sender: { clockIdentity: cfg.clockIdentity, portNumber: 1 },
          priority1: cfg.dataset!.grandmasterPriority1!,
          clockQuality: cfg.dataset!.grandmasterClockQuality!,
          priority2: cfg.dataset!.grandmasterPriority2!,
        })),
      })
      const expected = cfgs[0]!.clockIdentity
      ctx.step(`${c.attribute}: two grandmasters, the engine predicts ${prediction.parent?.name} (decided by ${prediction.decidedBy})`)
      checks.push({
        name: `${c.attribute}: our BMCA engine picks the clock that is better in it`,
        measured: prediction.parent?.name ?? 'none',
        limit: '= better',
        source: ctx.profile.bmca.source,
        verdict: prediction.grandmasterIdentity === expected ? 'pass' : 'fail',
        detail: `decided by ${prediction.decidedBy}`,
      })
      const m = await startMasters(ctx, specs, { freshDut: true })
      try {
        const timeout = lockTimeoutMs(cfgs[0]!.logAnnounceInterval, 3)
        const chose = await waitForState(ctx, isSlaveOf(expected), timeout)
        let stayed = false
        if (chose.atMs !== undefined) {
          await ctx.sleep(2 * 2 ** cfgs[0]!.logAnnounceInterval * 1000)
          const later = await ctx.session.dut.readState()
          stayed = isSlaveOf(expected)(later)
        }
        choices.push({ attribute: c.attribute, expected, chosen: chose.last?.grandmasterIdentity, afterMs: chose.atMs, stayed })
        checks.push({
          name: `${c.attribute}: the DUT follows the better grandmaster`,
          measured: chose.last?.grandmasterIdentity ?? 'no grandmaster',
          limit: `= ${expected}`,
          source: ctx.profile.bmca.source,
          verdict: chose.atMs !== undefined && stayed ? 'pass' : 'fail',
          detail: chose.atMs === undefined ? `not within ${timeout} ms` : stayed ? `after ${chose.atMs} ms` : 'it chose it, then left it',
        })
      } finally {
        await m.close()
        captures.push(recordingToPcapng(m.handle.recorder))
      }
    }
    // A pcapng file may hold several sections, so one capture per case concatenated is valid pcapng.
    ctx.attach('bmca-cases.pcapng', Buffer.concat(captures), 'pcapng')
    return { checks, measurements: { choices } }
  },
})
