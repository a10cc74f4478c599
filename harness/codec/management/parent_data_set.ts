/** PARENT_DATA_SET dataField, 32 octets (IEEE 1588-2019 15.5.3.5.1). */
import type { ParentDataSetData } from '../types.ts'
import { i32, u16, w16, w32 } from '../bytes.ts'
import { readClockIdentity, writeClockIdentity, ZERO_CLOCK_IDENTITY } from '../clock_identity.ts'
import { readClockQuality, readPortIdentity, writeClockQuality, writePortIdentity } from '../fields.ts'
import type { DataFieldCodec } from './codec.ts'

export const parentDataSet: DataFieldCodec<ParentDataSetData> = {
  size: 32,
  decode: (b, o) => ({
    name: 'PARENT_DATA_SET',
    parentPortIdentity: readPortIdentity(b, o),
    parentStats: b[o + 10]!,
    reserved: b[o + 11]!,
    observedParentOffsetScaledLogVariance: u16(b, o + 12),
    observedParentClockPhaseChangeRate: i32(b, o + 14),
    grandmasterPriority1: b[o + 18]!,
    grandmasterClockQuality: readClockQuality(b, o + 19),
    grandmasterPriority2: b[o + 23]!,
    grandmasterIdentity: readClockIdentity(b, o + 24),
  }),
  write: (d, b, o) => {
    writePortIdentity(b, o, d.parentPortIdentity)
    b[o + 10] = d.parentStats
    b[o + 11] = d.reserved
    w16(b, o + 12, d.observedParentOffsetScaledLogVariance)
    w32(b, o + 14, d.observedParentClockPhaseChangeRate)
    b[o + 18] = d.grandmasterPriority1
    writeClockQuality(b, o + 19, d.grandmasterClockQuality)
    b[o + 23] = d.grandmasterPriority2
    writeClockIdentity(b, o + 24, d.grandmasterIdentity)
  },
  empty: () => ({
    name: 'PARENT_DATA_SET',
    parentPortIdentity: { clockIdentity: ZERO_CLOCK_IDENTITY, portNumber: 0 },
    parentStats: 0,
    reserved: 0,
    observedParentOffsetScaledLogVariance: 0,
    observedParentClockPhaseChangeRate: 0,
    grandmasterPriority1: 0,
    grandmasterClockQuality: { clockClass: 0, clockAccuracy: 0, offsetScaledLogVariance: 0 },
    grandmasterPriority2: 0,
    grandmasterIdentity: ZERO_CLOCK_IDENTITY,
  }),
}
