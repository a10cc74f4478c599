/**
 * BMCA-05 — Announce messages the BMCA may not qualify (IEEE 1588-2019 9.3.2.5): one with
 * stepsRemoved 255 (a path that long is a loop, and 255 is the limit), and one sent under the
 * DUT's own clockIdentity (its own Announce coming back). Both come from a master better than
 * the DUT's grandmaster; the DUT must stay where it is, and take the same data set once it
 * comes without the defect (the control).
 */
import { conformance } from '../kit.ts'
import { acquireUnusable, judgeUnusable, type UnusableCase, type UnusableEvidence, watchIntervals } from '../support/unusable_masters.ts'

export const UNQUALIFIED_CASES: readonly UnusableCase[] = [
  {
    key: 'steps-removed-255',
    title: 'Announce with stepsRemoved 255',
    source: 'IEEE 1588-2019 9.3.2.5 (an Announce with stepsRemoved ≥ 255 is not qualified); linuxptp port.c max_steps_removed',
    dataset: { stepsRemoved: 255 },
  },
  {
    key: 'own-identity',
    title: "Announce sent under the DUT's own clockIdentity",
    source: "IEEE 1588-2019 9.3.2.5 (an Announce from the receiving clock's own clockIdentity is not qualified)",
    asDut: true,
  },
]

export default conformance<UnusableEvidence>({
  id: 'BMCA-05',
  title: 'An Announce with stepsRemoved 255 or the DUT\'s own identity is not qualified',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.2.5 (foreign master qualification)',
  mapsTo: ['zarfld OpenAvnu Announce analysis (stepsRemoved, own identity)', 'linuxptp port.c port_ignore, max_steps_removed'],
  tags: ['active', 'bmca'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 14,
  criteria: {
    pass: "while better masters announce with stepsRemoved 255 or under the DUT's own clockIdentity for the qualification window + 2 intervals, the DUT stays with its grandmaster, and it takes the same data set without the defect",
    fail: 'the DUT follows such a master, or leaves its grandmaster while only such masters announce',
  },
  appliesTo: () => true,
  acquire: (ctx) => acquireUnusable(ctx, UNQUALIFIED_CASES),
  judge: (ev, profile) => ({ checks: judgeUnusable(ev, profile), measurements: { watchIntervals: watchIntervals(profile), cases: ev.data.cases.map((c) => `${c.key}: ${c.master.name} ${c.master.clockIdentity}`) } }),
})
