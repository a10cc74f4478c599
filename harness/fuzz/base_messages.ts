/**
 * The valid messages a fuzz case starts from, before it is broken: what the grandmaster the DUT
 * follows sends (Announce, Sync, Follow_Up, Delay_Resp or the peer-delay answers), and what any
 * other clock may send to it (those, plus Delay_Req, Pdelay_Req, Signaling, a Management GET).
 * Built with the same factory as the emulated clocks, so only the mutation is unusual.
 */
import { ManagementId } from '../codec/constants.ts'
import { WILDCARD_PORT_IDENTITY } from '../codec/fields.ts'
import { buildManagement } from '../codec/messages/management.ts'
import { buildRequestUnicastTransmissionTlv } from '../codec/tlvs/unicast.ts'
import type { MessageTypeName, PortIdentity, PtpMessage } from '../codec/types.ts'
import type { SeededRandom } from '../engines/random.ts'
import {
  buildAnnounceMessage,
  buildDelayReqMessage,
  buildDelayRespMessage,
  buildFollowUpMessage,
  buildPdelayReqMessage,
  buildPdelayRespFollowUpMessage,
  buildPdelayRespMessage,
  buildSignalingMessage,
  buildSyncMessage,
  type HeaderDefaults,
  ts,
} from '../engines/message_factory.ts'
import type { FuzzSender, FuzzTarget } from './target.ts'

const TWO_STEP = 0x0200
/** logMessageInterval of messages that have none (1588-2019 Table 42). */
const NO_INTERVAL = 0x7f

/** The data sets a Management GET in a fuzz case asks for: reading them changes nothing. */
const READ_ONLY_IDS = [
  ManagementId.NULL_MANAGEMENT,
  ManagementId.CLOCK_DESCRIPTION,
  ManagementId.DEFAULT_DATA_SET,
  ManagementId.CURRENT_DATA_SET,
  ManagementId.PARENT_DATA_SET,
  ManagementId.TIME_PROPERTIES_DATA_SET,
  ManagementId.PORT_DATA_SET,
] as const

/** The message types a sender's fuzz cases start from. */
export function baseTypes(t: FuzzTarget, sender: FuzzSender): readonly MessageTypeName[] {
  const answers: MessageTypeName[] = t.delayMechanism === 'P2P' ? ['Pdelay_Resp', 'Pdelay_Resp_Follow_Up'] : ['Delay_Resp']
  if (sender === 'grandmaster') return ['Announce', 'Sync', 'Follow_Up', ...answers]
  return ['Announce', 'Sync', 'Follow_Up', 'Delay_Req', 'Pdelay_Req', 'Pdelay_Resp', 'Pdelay_Resp_Follow_Up', 'Delay_Resp', 'Signaling', 'Management']
}

export function senderPort(t: FuzzTarget, sender: FuzzSender): PortIdentity {
  return sender === 'grandmaster' ? t.grandmaster : t.stranger
}

/**
 * A valid `type` from `sender`, stamped with `timeNs`. The stranger announces itself worse than
 * the grandmaster (priority1 255, clockClass 248), so its valid Announce alone moves nothing.
 */
export function baseMessage(t: FuzzTarget, sender: FuzzSender, type: MessageTypeName, timeNs: bigint, r: SeededRandom): PtpMessage {
  const d: HeaderDefaults = { ...t.header, sourcePortIdentity: senderPort(t, sender) }
  const sequenceId = r.int(0, 0xffff)
  const stamp = ts(timeNs)
  const dut = t.dut ?? WILDCARD_PORT_IDENTITY
  switch (type) {
    case 'Announce': {
      const gm = sender === 'grandmaster'
      const a = t.announce
      return buildAnnounceMessage(d, { sequenceId, logMessageInterval: t.intervals.announce }, {
        originTimestamp: stamp,
        currentUtcOffset: a.currentUtcOffset,
        grandmasterPriority1: gm ? a.priority1 : 255,
        grandmasterClockQuality: gm ? a.clockQuality : { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
        grandmasterPriority2: gm ? a.priority2 : 255,
        grandmasterIdentity: d.sourcePortIdentity.clockIdentity,
        stepsRemoved: 0,
        timeSource: a.timeSource,
      })
    }
    case 'Sync':
      return buildSyncMessage(d, { sequenceId, flagField: TWO_STEP, logMessageInterval: t.intervals.sync }, ts(0n))
    case 'Follow_Up':
      return buildFollowUpMessage(d, { sequenceId, logMessageInterval: t.intervals.sync }, stamp)
    case 'Delay_Req':
      return buildDelayReqMessage(d, { sequenceId, logMessageInterval: NO_INTERVAL }, ts(0n))
    case 'Delay_Resp':
      return buildDelayRespMessage(d, { sequenceId, logMessageInterval: t.intervals.delayReq }, stamp, dut)
    case 'Pdelay_Req':
      return buildPdelayReqMessage(d, { sequenceId, logMessageInterval: NO_INTERVAL }, ts(0n))
    case 'Pdelay_Resp':
      return buildPdelayRespMessage(d, { sequenceId, flagField: TWO_STEP, logMessageInterval: NO_INTERVAL }, stamp, dut)
    case 'Pdelay_Resp_Follow_Up':
      return buildPdelayRespFollowUpMessage(d, { sequenceId, logMessageInterval: NO_INTERVAL }, stamp, dut)
    case 'Signaling':
      return buildSignalingMessage(d, { sequenceId, logMessageInterval: NO_INTERVAL }, dut, [
        buildRequestUnicastTransmissionTlv({ messageType: r.pick([0x0, 0x9, 0xb]), logInterMessagePeriod: r.int(-7, 4), durationField: r.int(10, 300) }),
      ])
    case 'Management':
      return buildManagement({
        actionField: 'GET',
        managementId: r.pick(READ_ONLY_IDS),
        boundaryHops: 1,
        header: { majorSdoId: t.header.majorSdoId, domainNumber: t.header.domainNumber, sourcePortIdentity: d.sourcePortIdentity, sequenceId },
      })
  }
}

