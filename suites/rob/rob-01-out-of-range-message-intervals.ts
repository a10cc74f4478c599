/**
 * ROB-01 — out-of-range logMessageInterval: the grandmaster the DUT follows puts 0x7F (+127)
 * and then −128 into the logMessageInterval of its Announce, Sync, Follow_Up and Delay_Resp.
 * The DUT must neither adopt them nor break: it stays a slave of the grandmaster (a DUT that
 * took −128 for the announce interval times out at once) and keeps its delay requests at its
 * configured interval (one that took 0x7F stops requesting; one that took −128 floods).
 * Under a profile that negotiates unicast, 0x7F is the right value in Sync, Follow_Up and
 * Delay_Resp (Table 42): there it is put in Announce only.
 */
import type { MessageTypeName } from '../../harness/codec/types.ts'
import { negotiationRequired } from '../../harness/engines/unicast/services.ts'
import { conformance, type Profile } from '../kit.ts'
import { acquireFaultyStream, type FaultCase, type FaultyStreamEvidence, judgeFaultyStream } from '../support/faulty_grandmaster.ts'

const SOURCE = 'IEEE 1588-2019 7.7.2 (each log interval has a configured range), 13.3.2.14 and Table 42 (logMessageInterval per message type; 0x7F only in unicast Sync, Follow_Up and Delay_Resp)'

/** The two extremes of the field, each in every message that carries an interval. */
export function intervalCases(profile: Profile): FaultCase[] {
  const unicast = negotiationRequired(profile)
  const e2e = profile.delayMechanism.default === 'E2E'
  const carriers: MessageTypeName[] = ['Announce', 'Sync', ...(profile.steps.twoStep === 'forbidden' ? [] : (['Follow_Up'] as MessageTypeName[])), ...(e2e ? (['Delay_Resp'] as MessageTypeName[]) : [])]
  const values = [
    { key: 'interval-0x7f', value: 0x7f, label: '0x7F (+127)', types: unicast ? (['Announce'] as MessageTypeName[]) : carriers },
    { key: 'interval-minus-128', value: -128, label: '−128', types: carriers },
  ]
  return values.map((v) => ({
    key: v.key,
    title: `${v.types.join(', ')} carry logMessageInterval ${v.label}`,
    source: SOURCE,
    mutations: [{ id: v.key, messageTypes: v.types, mutation: { kind: 'logMessageInterval', value: v.value } }],
    judgeRequests: true,
  }))
}

export default conformance<FaultyStreamEvidence>({
  id: 'ROB-01',
  title: 'Out-of-range logMessageInterval from the grandmaster is neither adopted nor fatal',
  area: 'ROB',
  clause: 'IEEE 1588-2019 7.7.2, 13.3.2.14, Table 42',
  mapsTo: ['zephyr#119396 (logMessageInterval 0x7F)', 'linuxptp port.c process_delay_resp (ignores intervals outside −10..22)'],
  tags: ['active', 'robustness'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 40,
  criteria: {
    pass: 'while the grandmaster advertises logMessageInterval 0x7F, then −128, the DUT stays its slave and sends its delay requests at its configured interval (no gap over 2T, no more than 3 per T)',
    fail: 'the DUT leaves the grandmaster, stops answering, crashes, stops its delay requests or floods them',
  },
  appliesTo: () => true,
  acquire: (ctx) => acquireFaultyStream(ctx, intervalCases(ctx.profile)),
  judge: (ev, profile) => ({ checks: judgeFaultyStream(ev, profile), measurements: { cases: ev.data.cases.map((c) => `${c.key}: ${c.rules.join('; ')}`) } }),
})
