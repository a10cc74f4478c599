/**
 * A passive test of the DUT as grandmaster, the shape of most format tests: it acquires the
 * run's one shared observation (observeDutMaster) and, before its own rules, fails a DUT that
 * sent nothing usable (silence, another domain or sdoId: observationFault). Its judge sees
 * only the DUT's frames, so it also runs on captures (`analyze`).
 */
import { type ConformanceTest, conformance, type Outcome } from '../../harness/run/definition.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import type { Profile } from '../../harness/profiles/types.ts'
import { type Observation, observationFault, observeDutMaster } from './observation.ts'

type Observed = { observation: Observation }

export type PassiveTest = Omit<ConformanceTest<Observed>, 'acquire' | 'judge' | 'fixture' | 'appliesTo' | 'capturable'> & {
  appliesTo?: ConformanceTest<Observed>['appliesTo']
  /** The test's own rules, on an observation in which the DUT did send. */
  judgeObserved(ev: Evidence<Observed>, profile: Profile): Outcome
}

export function passiveOnDutMaster(def: PassiveTest): ConformanceTest<Observed> {
  const { judgeObserved, ...meta } = def
  return conformance<Observed>({
    appliesTo: () => true,
    ...meta,
    fixture: 'dut-master',
    capturable: true,
    async acquire(ctx) {
      return { observation: await observeDutMaster(ctx) }
    },
    judge(ev, profile) {
      const fault = observationFault(ev, profile)
      return fault ? { checks: [fault] } : judgeObserved(ev, profile)
    },
  })
}
