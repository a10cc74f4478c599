/** PORT_DATA_SET dataField, 26 octets (IEEE 1588-2019 15.5.3.7.1; linuxptp ds.h struct portDS). */
import type { PortDataSetData } from '../types.ts'
import { i64, i8, w64 } from '../bytes.ts'
import { ZERO_CLOCK_IDENTITY } from '../clock_identity.ts'
import { readPortIdentity, writePortIdentity } from '../fields.ts'
import type { DataFieldCodec } from './codec.ts'

export const portDataSet: DataFieldCodec<PortDataSetData> = {
  size: 26,
  decode: (b, o) => ({
    name: 'PORT_DATA_SET',
    portIdentity: readPortIdentity(b, o),
    portState: b[o + 10]!,
    logMinDelayReqInterval: i8(b, o + 11),
    peerMeanPathDelay: i64(b, o + 12),
    logAnnounceInterval: i8(b, o + 20),
    announceReceiptTimeout: b[o + 21]!,
    logSyncInterval: i8(b, o + 22),
    delayMechanism: b[o + 23]!,
    logMinPdelayReqInterval: i8(b, o + 24),
    versionNumber: b[o + 25]!,
  }),
  write: (d, b, o) => {
    writePortIdentity(b, o, d.portIdentity)
    b[o + 10] = d.portState
    b[o + 11] = d.logMinDelayReqInterval
    w64(b, o + 12, d.peerMeanPathDelay)
    b[o + 20] = d.logAnnounceInterval
    b[o + 21] = d.announceReceiptTimeout
    b[o + 22] = d.logSyncInterval
    b[o + 23] = d.delayMechanism
    b[o + 24] = d.logMinPdelayReqInterval
    b[o + 25] = d.versionNumber
  },
  empty: () => ({
    name: 'PORT_DATA_SET',
    portIdentity: { clockIdentity: ZERO_CLOCK_IDENTITY, portNumber: 0 },
    portState: 0,
    logMinDelayReqInterval: 0,
    peerMeanPathDelay: 0n,
    logAnnounceInterval: 0,
    announceReceiptTimeout: 0,
    logSyncInterval: 0,
    delayMechanism: 0,
    logMinPdelayReqInterval: 0,
    versionNumber: 0,
  }),
}
