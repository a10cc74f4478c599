/**
 * The reference DUT's PTP management responder (IEEE 1588-2019 15.3, 15.5.3): GET of
 * DEFAULT_DATA_SET, CURRENT_DATA_SET, PARENT_DATA_SET, TIME_PROPERTIES_DATA_SET and
 * PORT_DATA_SET answered with RESPONSE from the clock's state; other defined ids and other
 * actions with MANAGEMENT_ERROR_STATUS NOT_SUPPORTED; an id 1588 does not define with
 * NO_SUCH_ID (15.5.4), as ptp4l does. A SET of PRIORITY1 or PRIORITY2 (15.5.3.3.3, 15.5.3.3.4) is
 * answered with RESPONSE carrying the new value; the clock applies it (`settableRequest`).
 * Pure: data in, message out.
 * With `disagree` (fault management-disagrees) the answers differ from the Announce on
 * the wire: priority1 + 1, grandmasterPriority1 + 1, currentUtcOffset + 1. `errors` (faults
 * management-*) changes how refusals are answered.
 */
import type { ManagementMessage, PortIdentity } from '../codec/types.ts'
import type { ManagementDataField } from '../codec/management_types.ts'
import { ActionField, ManagementErrorId, ManagementId, PortState } from '../codec/constants.ts'
import { buildManagement } from '../codec/messages/management.ts'
import { targetsPort } from '../engines/message_factory.ts'
import { headerFields, type HeaderDefaults } from '../engines/message_factory.ts'
import type { AnnounceDataset } from '../engines/test_master.ts'
import type { DutState } from '../dut/types.ts'

export interface ManagedClock {
  portIdentity: PortIdentity
  header: Omit<HeaderDefaults, 'sourcePortIdentity'>
  state: DutState
  /** What this clock announces about time (its own Announce's time properties). */
  timeProperties: Pick<AnnounceDataset, 'currentUtcOffset' | 'flagField' | 'timeSource'>
  twoStep: boolean
  disagree: boolean
  /** How refusals go wrong: no answer to an unknown id, NOT_SUPPORTED instead of NO_SUCH_ID, no answer to a defined id it does not implement. */
  errors?: ManagementErrorFault
  /** How a SET goes wrong: answered but not applied (the clock's part), or never answered. */
  setFault?: ManagementSetFault
}

export type ManagementErrorFault = 'unknown-id-silent' | 'unknown-id-not-supported' | 'unimplemented-silent'
/** set-not-applied: answered with the new value, never applied; set-unanswered: ignored. */
export type ManagementSetFault = 'set-not-applied' | 'set-unanswered'

/** A SET this clock serves: PRIORITY1 or PRIORITY2 with its new value. */
export function settableRequest(req: ManagementMessage): { name: 'PRIORITY1' | 'PRIORITY2'; managementId: number; value: number } | undefined {
  if (req.actionField !== ActionField.SET) return undefined
  const tlv = req.tlvs.find((t) => t.kind === 'MANAGEMENT')
  if (!tlv || tlv.kind !== 'MANAGEMENT' || !tlv.dataField) return undefined
  const d = tlv.dataField
  if ((d.name === 'PRIORITY1' || d.name === 'PRIORITY2') && 'value' in d) return { name: d.name, managementId: tlv.managementId, value: d.value }
  return undefined
}

const DEFINED_IDS: ReadonlySet<number> = new Set(Object.values(ManagementId))

/** Whether a management or Signaling message is addressed to this clock (wildcard or our identity). */
export function addressedTo(req: { targetPortIdentity: PortIdentity }, me: PortIdentity): boolean {
  const t = req.targetPortIdentity
  return targetsPort(t, me) || (t.portNumber === 0 && targetsPort({ ...t, portNumber: me.portNumber }, me))
}

const DELAY_MECHANISM: Record<string, number> = { E2E: 1, P2P: 2, COMMON_P2P: 3, DISABLED: 0xfe }

function dataField(id: number, c: ManagedClock): ManagementDataField | undefined {
  const s = c.state
  const lie = c.disagree ? 1 : 0
  const port = s.ports[0]!
  switch (id) {
    case ManagementId.DEFAULT_DATA_SET:
      return {
        name: 'DEFAULT_DATA_SET',
        flags: (c.twoStep ? 1 : 0) | (s.slaveOnly ? 2 : 0),
        reserved1: 0,
        numberPorts: 1,
        priority1: (s.priority1! + lie) & 0xff,
        clockQuality: { ...s.clockQuality! },
        priority2: s.priority2!,
        clockIdentity: s.clockIdentity!,
        domainNumber: s.domainNumber!,
        reserved2: 0,
      }
    case ManagementId.CURRENT_DATA_SET:
      return {
        name: 'CURRENT_DATA_SET',
        stepsRemoved: s.stepsRemoved ?? 0,
        offsetFromMaster: (s.offsetFromMasterNs ?? 0n) << 16n,
        meanPathDelay: (s.meanPathDelayNs ?? 0n) << 16n,
      }
    case ManagementId.PARENT_DATA_SET:
      return {
        name: 'PARENT_DATA_SET',
        parentPortIdentity: { ...s.parentPortIdentity! },
        parentStats: 0,
        reserved: 0,
        observedParentOffsetScaledLogVariance: 0xffff,
        observedParentClockPhaseChangeRate: 0x7fffffff,
        grandmasterPriority1: (s.grandmasterPriority1! + lie) & 0xff,
        grandmasterClockQuality: { ...s.grandmasterClockQuality! },
        grandmasterPriority2: s.grandmasterPriority2!,
        grandmasterIdentity: s.grandmasterIdentity!,
      }
    case ManagementId.TIME_PROPERTIES_DATA_SET:
      return {
        name: 'TIME_PROPERTIES_DATA_SET',
        currentUtcOffset: c.timeProperties.currentUtcOffset + lie,
        flags: c.timeProperties.flagField & 0x3f,
        timeSource: c.timeProperties.timeSource,
      }
    case ManagementId.PORT_DATA_SET:
      return {
        name: 'PORT_DATA_SET',
        portIdentity: { ...c.portIdentity },
        portState: PortState[port.portState as keyof typeof PortState] ?? 0,
        logMinDelayReqInterval: port.logMinDelayReqInterval ?? 0,
        peerMeanPathDelay: (port.peerMeanPathDelayNs ?? 0n) << 16n,
        logAnnounceInterval: port.logAnnounceInterval ?? 0,
        announceReceiptTimeout: port.announceReceiptTimeout ?? 3,
        logSyncInterval: port.logSyncInterval ?? 0,
        delayMechanism: DELAY_MECHANISM[port.delayMechanism ?? 'E2E'] ?? 1,
        logMinPdelayReqInterval: port.logMinPdelayReqInterval ?? 0,
        versionNumber: c.header.versionPTP,
      }
    default:
      return undefined
  }
}

/** The answer to a management request addressed to this clock (undefined: not for us). */
export function answerManagement(req: ManagementMessage, c: ManagedClock): ManagementMessage | undefined {
  if (!addressedTo(req, c.portIdentity)) return undefined
  if (req.actionField === ActionField.RESPONSE || req.actionField === ActionField.ACKNOWLEDGE) return undefined
  const tlv = req.tlvs.find((t) => t.kind === 'MANAGEMENT')
  if (!tlv || tlv.kind !== 'MANAGEMENT') return undefined
  const header = headerFields('Management', { ...c.header, sourcePortIdentity: c.portIdentity }, { sequenceId: req.header.sequenceId })
  const common = {
    header,
    targetPortIdentity: { ...req.header.sourcePortIdentity },
    startingBoundaryHops: req.startingBoundaryHops,
    boundaryHops: Math.max(0, req.startingBoundaryHops - req.boundaryHops),
  }
  const set = settableRequest(req)
  if (set) {
    if (c.setFault === 'set-unanswered') return undefined
    return buildManagement({ ...common, actionField: 'RESPONSE', managementId: set.managementId, dataField: { name: set.name, value: set.value, reserved: 0 } })
  }
  const data = req.actionField === ActionField.GET ? dataField(tlv.managementId, c) : undefined
  if (!data) {
    const known = DEFINED_IDS.has(tlv.managementId)
    if (!known && c.errors === 'unknown-id-silent') return undefined
    if (known && c.errors === 'unimplemented-silent') return undefined
    const managementErrorId = known || c.errors === 'unknown-id-not-supported' ? ManagementErrorId.NOT_SUPPORTED : ManagementErrorId.NO_SUCH_ID
    return buildManagement({ ...common, actionField: 'RESPONSE', managementId: tlv.managementId, error: { managementErrorId } })
  }
  return buildManagement({ ...common, actionField: 'RESPONSE', managementId: tlv.managementId, dataField: data })
}
