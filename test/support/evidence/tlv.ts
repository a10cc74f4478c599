/**
 * Evidence for the TLV and management judges: the observation of a simulated DUT grandmaster
 * (simulate.ts) with TLV faults expressed as engine config or mutations, a cut-down
 * observation (the harness watched too briefly), and management answers built from what the
 * simulated DUT put on the wire.
 */
import { buildOrganizationExtensionTlv } from '../../../harness/codec/tlvs/organization_extension.ts'
import type { AnnounceMessage, ManagementDataField, SyncMessage, Tlv } from '../../../harness/codec/types.ts'
import type { MutationRule } from '../../../harness/engines/mutations.ts'
import type { TestMasterConfig } from '../../../harness/engines/test_master.ts'
import { profileHeader, requiredAnnounceTlvs, type PowerProfileValues } from '../../../harness/engines/from_profile.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { Observation } from '../../../suites/support/observation.ts'
import type { ManagementRead } from '../../../suites/mgt/mgt-01-data-sets-match-the-wire.ts'
import { DUT_IDENTITY, dutSettingsFor, type SimulationOptions, simulatedObservation } from './simulate.ts'

/** The DUT's Announce TLVs of a power profile with these values (a configured grandmasterID 3 by default). */
export function powerTlvs(profile: Profile, v: Partial<PowerProfileValues> = {}): Tlv[] {
  return requiredAnnounceTlvs(profile, { grandmasterID: 3, ...v })
}

/** Every message of `types` sent with these TLVs instead of its own. */
export function withTlvs(types: MutationRule['messageTypes'], tlvs: Tlv[]): MutationRule {
  return { messageTypes: types, mutation: { kind: 'fields', overrides: { tlvs } } }
}

/** An organization extension with another identity but the given data length (what a wrong OUI/subtype looks like). */
export function orgTlv(organizationId: number, organizationSubType: number, dataOctets: number): Tlv {
  return buildOrganizationExtensionTlv({ organizationId, organizationSubType, dataField: new Uint8Array(dataOctets) })
}

/**
 * The simulated DUT master's observation. Its header keeps the profile's SDO ids and versions
 * (simulate.ts's dutMasterConfig replaces the whole header with the domain alone).
 */
export function observation(profile: Profile, o: SimulationOptions, fault: Partial<TestMasterConfig> = {}): Observation {
  const header = { ...profileHeader(profile), domainNumber: dutSettingsFor(profile, o).domainNumber.value }
  return simulatedObservation(profile, o, { ...fault, header: { ...header, ...fault.header } })
}

/** The observation with the frames of `types` removed and its length cut to `durationMs` after the first Sync. */
export function withoutFrames(o: Observation, types: string[], durationMs: number): Observation {
  const rec = new Recorder()
  for (const f of o.recorder.frames) if (!types.includes(f.message?.type ?? '')) rec.record({ ...f })
  return { ...o, recorder: rec, durationMs: (o.firstSyncAfterMs ?? 0) + durationMs }
}

type Answer = ManagementRead['answers'][number]
export const DUT_KEY = `${DUT_IDENTITY}-1`

/** Management answers as the simulated DUT would give them: its data sets as its last Announce and Sync show them. */
export function answersFromWire(o: Observation): Record<ManagementRead['request'], ManagementDataField> {
  const inbound = o.recorder.query({ direction: 'in' })
  const ann = inbound.findLast((f) => f.message?.type === 'Announce')!.message as AnnounceMessage
  const sync = inbound.findLast((f) => f.message?.type === 'Sync')!.message as SyncMessage
  return {
    DEFAULT_DATA_SET: { name: 'DEFAULT_DATA_SET', flags: (sync.header.flagField >> 9) & 1, reserved1: 0, numberPorts: 1, priority1: ann.grandmasterPriority1, clockQuality: { ...ann.grandmasterClockQuality }, priority2: ann.grandmasterPriority2, clockIdentity: ann.grandmasterIdentity, domainNumber: sync.header.domainNumber, reserved2: 0 },
    CURRENT_DATA_SET: { name: 'CURRENT_DATA_SET', stepsRemoved: ann.stepsRemoved, offsetFromMaster: 0n, meanPathDelay: 0n },
    PARENT_DATA_SET: { name: 'PARENT_DATA_SET', parentPortIdentity: { clockIdentity: DUT_IDENTITY, portNumber: 0 }, parentStats: 0, reserved: 0, observedParentOffsetScaledLogVariance: 0xffff, observedParentClockPhaseChangeRate: 0x7fffffff, grandmasterPriority1: ann.grandmasterPriority1, grandmasterClockQuality: { ...ann.grandmasterClockQuality }, grandmasterPriority2: ann.grandmasterPriority2, grandmasterIdentity: ann.grandmasterIdentity },
    TIME_PROPERTIES_DATA_SET: { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: ann.currentUtcOffset, flags: ann.header.flagField & 0xff, timeSource: ann.timeSource },
  }
}

/** The four GETs with the DUT's answers; `edit` changes an answer (or returns undefined to drop it). */
export function managementReads(o: Observation, domainNumber: number, edit: (name: ManagementRead['request'], a: Answer) => Answer | undefined = (_n, a) => a): ManagementRead[] {
  const data = answersFromWire(o)
  return (['DEFAULT_DATA_SET', 'CURRENT_DATA_SET', 'PARENT_DATA_SET', 'TIME_PROPERTIES_DATA_SET'] as const).map((request, i) => {
    const a = edit(request, { sourceKey: DUT_KEY, action: 'RESPONSE', data: structuredClone(data[request]), rxTimestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000_000n })
    return { request, sentAtMs: i * 1000, timeoutMs: 1000, domainNumber, answers: a ? [a] : [], undecodable: 0 }
  })
}
