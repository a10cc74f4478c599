/**
 * State decision algorithm (IEEE 1588-2019 9.3.3, Figure 33), as linuxptp bmc_state_decision
 * implements it, for one port r:
 *
 *   D0 class ≤ 127:  M1 (GRAND_MASTER) if D0 better than Erbest, else P1 (PASSIVE)
 *   otherwise:       M2 (GRAND_MASTER) if D0 better than Ebest
 *                    S1 (SLAVE)        if Ebest was received on r
 *                    P2 (PASSIVE)      if Ebest is better than Erbest by topology only
 *                    M3 (MASTER)       otherwise
 *
 * A port in LISTENING without any qualified foreign master stays LISTENING. A slave-only
 * clock never takes a master state (linuxptp's slave FSM turns M1/M2/M3 into LISTENING).
 */
import { A_BETTER_TOPO, type Comparator } from './compare.ts'
import type { BmcaDataset } from './dataset.ts'

export type StateDecisionCode = 'M1' | 'M2' | 'M3' | 'P1' | 'P2' | 'S1'
export type RecommendedState = 'GRAND_MASTER' | 'MASTER' | 'PASSIVE' | 'SLAVE' | 'LISTENING'

export interface StateDecisionInput {
  d0: BmcaDataset
  /** Best qualified foreign master over all ports. */
  ebest: BmcaDataset | undefined
  /** Port number on which Ebest was received. */
  ebestPort: number | undefined
  /** Best qualified foreign master on this port. */
  erbest: BmcaDataset | undefined
  portNumber: number
  currentState?: RecommendedState
  compare: Comparator
  slaveOnly?: boolean
}

export interface StateDecision {
  code: StateDecisionCode | undefined
  state: RecommendedState
}

export function stateDecision(x: StateDecisionInput): StateDecision {
  if (!x.erbest && x.currentState === 'LISTENING') return { code: undefined, state: 'LISTENING' }
  const master = (code: StateDecisionCode, state: RecommendedState): StateDecision =>
    ({ code, state: x.slaveOnly ? 'LISTENING' : state })
  if (x.d0.clockQuality.clockClass <= 127) {
    return x.compare(x.d0, x.erbest).result > 0 ? master('M1', 'GRAND_MASTER') : { code: 'P1', state: 'PASSIVE' }
  }
  if (x.compare(x.d0, x.ebest).result > 0) return master('M2', 'GRAND_MASTER')
  if (x.ebestPort === x.portNumber) return { code: 'S1', state: 'SLAVE' }
  if (x.compare(x.ebest, x.erbest).result === A_BETTER_TOPO) return { code: 'P2', state: 'PASSIVE' }
  return master('M3', 'MASTER')
}
