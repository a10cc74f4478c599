/**
 * Management ids whose dataField is one value octet and one reserved octet (IEEE 1588-2019
 * 15.5.3.3.x / 15.5.3.7.x; linuxptp struct management_tlv_datum, also used for its
 * SYNCHRONIZATION_UNCERTAIN_NP). Interval values are Integer8; the rest UInteger8.
 */
import type { OneOctetData, OneOctetManagementName } from '../types.ts'
import type { DataFieldCodec } from './codec.ts'

function oneOctet(name: OneOctetManagementName, signed: boolean): DataFieldCodec<OneOctetData> {
  return {
    size: 2,
    decode: (b, o) => ({ name, value: signed ? (b[o]! << 24) >> 24 : b[o]!, reserved: b[o + 1]! }),
    write: (d, b, o) => {
      b[o] = d.value
      b[o + 1] = d.reserved
    },
    empty: () => ({ name, value: 0, reserved: 0 }),
  }
}

export const priority1 = oneOctet('PRIORITY1', false)
export const priority2 = oneOctet('PRIORITY2', false)
export const domain = oneOctet('DOMAIN', false)
/** bit 0: slaveOnly. */
export const slaveOnly = oneOctet('SLAVE_ONLY', false)
export const logAnnounceInterval = oneOctet('LOG_ANNOUNCE_INTERVAL', true)
export const announceReceiptTimeout = oneOctet('ANNOUNCE_RECEIPT_TIMEOUT', false)
export const logSyncInterval = oneOctet('LOG_SYNC_INTERVAL', true)
export const versionNumber = oneOctet('VERSION_NUMBER', false)
export const delayMechanism = oneOctet('DELAY_MECHANISM', false)
export const logMinPdelayReqInterval = oneOctet('LOG_MIN_PDELAY_REQ_INTERVAL', true)
/** 0 false, 1 true, 0xFF don't care (linuxptp). */
export const synchronizationUncertainNp = oneOctet('SYNCHRONIZATION_UNCERTAIN_NP', false)
