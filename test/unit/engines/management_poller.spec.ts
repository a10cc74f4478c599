import { test } from '@japa/runner'
import { changeInterval, ManagementPoller, type Engine, type EngineAction, type ReceivedMessage } from '../../../harness/engines/index.ts'
import { buildManagement } from '../../../harness/codec/messages/management.ts'
import { ActionField, ManagementId } from '../../../harness/codec/constants.ts'
import type { ManagementDataField } from '../../../harness/codec/types.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const MS = 1_000_000n
const DUT = { clockIdentity: '02dddd.fffe.000001', portNumber: 1 }

/** The other side of the link: answers GET PARENT_DATA_SET with the grandmaster it is told to report. */
class Responder implements Engine {
  readonly name = 'dut'
  grandmaster = '02aaaa.fffe.00000a'
  private n = 0
  start(): EngineAction[] { return [] }
  onTimer(): EngineAction[] { return [] }
  onTransmitted(): EngineAction[] { return [] }
  onMessage(rx: ReceivedMessage): EngineAction[] {
    const m = rx.message
    if (m.type !== 'Management' || m.actionField !== ActionField.GET) return []
    const data: ManagementDataField = {
      name: 'PARENT_DATA_SET', parentPortIdentity: { clockIdentity: this.grandmaster, portNumber: 1 }, parentStats: 0, reserved: 0,
      observedParentOffsetScaledLogVariance: 0xffff, observedParentClockPhaseChangeRate: 0x7fffffff, grandmasterPriority1: 128,
      grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, grandmasterPriority2: 128,
      grandmasterIdentity: this.grandmaster,
    }
    const resp = buildManagement({
      actionField: 'RESPONSE', managementId: ManagementId.PARENT_DATA_SET, dataField: data, targetPortIdentity: m.header.sourcePortIdentity,
      header: { sourcePortIdentity: DUT, sequenceId: m.header.sequenceId },
    })
    return [{ kind: 'send', sendId: `dut#${++this.n}`, message: resp, event: false, reason: { source: 'dut', step: 'RESPONSE', mutations: [] } }]
  }
}

test.group('engines / management poller', () => {
  test('polls on its period and brackets a data set change between TX and RX timestamps', ({ assert }) => {
    const link = new SimulatedLink({ delay: () => 2_000n })
    const probe = new ManagementPoller({ name: 'probe', clockIdentity: '02aaaa.fffe.0000ff', managementId: 'PARENT_DATA_SET', periodNs: 10n * MS })
    const dut = new Responder()
    link.add('probe', probe)
    link.add('dut', dut)
    link.start()
    link.advance(95n * MS)
    const changeAt = link.now
    dut.grandmaster = '02aaaa.fffe.00000b'
    link.advance(100n * MS)
    const gets = link.recorder.query({ direction: 'out', port: 'probe', type: 'Management' })
    assert.lengthOf(gets, 20)
    assert.deepEqual(link.recorder.intervalSeries({ direction: 'out', port: 'probe', type: 'Management' }).filter((x) => x !== 10n * MS), [])
    assert.isTrue(probe.observations.every((o) => o.requestTxNs !== undefined && o.responseRxNs - o.requestTxNs === 4_000n))
    const c = changeInterval(probe.observations, (o) => o.data?.name === 'PARENT_DATA_SET' && o.data.grandmasterIdentity === '02aaaa.fffe.00000b')!
    assert.exists(c)
    assert.isTrue(c.afterNs <= changeAt && changeAt <= c.beforeNs, 'the change lies inside the bracket')
    assert.isAtMost(Number(c.beforeNs - c.afterNs), Number(10n * MS + 4_000n))
    // Stopping stops the GETs.
    link.control('probe', (now) => probe.setActive(false, now))
    const before = link.recorder.size
    link.advance(100n * MS)
    assert.equal(link.recorder.size, before)
  })
})
