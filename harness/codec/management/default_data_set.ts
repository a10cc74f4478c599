/** DEFAULT_DATA_SET dataField, 20 octets (IEEE 1588-2019 15.5.3.3.1; linuxptp ds.h struct defaultDS). */
import type { DefaultDataSetData } from '../types.ts'
import { u16, w16 } from '../bytes.ts'
import { readClockIdentity, writeClockIdentity, ZERO_CLOCK_IDENTITY } from '../clock_identity.ts'
import { readClockQuality, writeClockQuality } from '../fields.ts'
import type { DataFieldCodec } from './codec.ts'

export const defaultDataSet: DataFieldCodec<DefaultDataSetData> = {
  size: 20,
  decode: (b, o) => ({
    name: 'DEFAULT_DATA_SET',
    flags: b[o]!,
    reserved1: b[o + 1]!,
    numberPorts: u16(b, o + 2),
    priority1: b[o + 4]!,
    clockQuality: readClockQuality(b, o + 5),
    priority2: b[o + 9]!,
    clockIdentity: readClockIdentity(b, o + 10),
    domainNumber: b[o + 18]!,
    reserved2: b[o + 19]!,
  }),
  write: (d, b, o) => {
    b[o] = d.flags
    b[o + 1] = d.reserved1
    w16(b, o + 2, d.numberPorts)
    b[o + 4] = d.priority1
    writeClockQuality(b, o + 5, d.clockQuality)
    b[o + 9] = d.priority2
    writeClockIdentity(b, o + 10, d.clockIdentity)
    b[o + 18] = d.domainNumber
    b[o + 19] = d.reserved2
  },
  empty: () => ({
    name: 'DEFAULT_DATA_SET',
    flags: 0,
    reserved1: 0,
    numberPorts: 0,
    priority1: 0,
    clockQuality: { clockClass: 0, clockAccuracy: 0, offsetScaledLogVariance: 0 },
    priority2: 0,
    clockIdentity: ZERO_CLOCK_IDENTITY,
    domainNumber: 0,
    reserved2: 0,
  }),
}
