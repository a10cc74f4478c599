/**
 * The dataField pmc (linuxptp 3.1.1) puts in a GET: zeros of the reply's size, except for a
 * few ids where it sends none. Measured on the wire from pmc 3.1.1 (Debian bookworm) for every
 * id listed; ids not listed get no dataField.
 */
import type { ManagementDataField } from '../types.ts'
import { ManagementId } from '../constants.ts'
import { dataFieldCodecFor } from './index.ts'

const PMC_311_GET_DATA_LENGTH = new Map<number, number>([
  [ManagementId.CLOCK_DESCRIPTION, 22],
  [ManagementId.USER_DESCRIPTION, 2],
  [ManagementId.DEFAULT_DATA_SET, 20],
  [ManagementId.CURRENT_DATA_SET, 18],
  [ManagementId.PARENT_DATA_SET, 32],
  [ManagementId.TIME_PROPERTIES_DATA_SET, 4],
  [ManagementId.PORT_DATA_SET, 26],
  [ManagementId.PRIORITY1, 2],
  [ManagementId.PRIORITY2, 2],
  [ManagementId.DOMAIN, 2],
  [ManagementId.SLAVE_ONLY, 2],
  [ManagementId.LOG_ANNOUNCE_INTERVAL, 2],
  [ManagementId.ANNOUNCE_RECEIPT_TIMEOUT, 2],
  [ManagementId.LOG_SYNC_INTERVAL, 2],
  [ManagementId.VERSION_NUMBER, 2],
  [ManagementId.DELAY_MECHANISM, 2],
  [ManagementId.LOG_MIN_PDELAY_REQ_INTERVAL, 2],
  [ManagementId.TIME_STATUS_NP, 50],
  [ManagementId.GRANDMASTER_SETTINGS_NP, 8],
  [ManagementId.PORT_DATA_SET_NP, 8],
  // SYNCHRONIZATION_UNCERTAIN_NP, PORT_PROPERTIES_NP, PORT_STATS_NP, NULL_MANAGEMENT: none.
])

/** dataField octets pmc 3.1.1 sends in a GET for this id (0 when it sends none). */
export function pmcGetDataLength(managementId: number): number {
  return PMC_311_GET_DATA_LENGTH.get(managementId) ?? 0
}

/** The GET dataField pmc 3.1.1 sends: typed zeros, raw zeros for ids the codec does not type, or null. */
export function pmcGetDataField(managementId: number): ManagementDataField | null {
  const length = pmcGetDataLength(managementId)
  if (length === 0) return null
  const codec = dataFieldCodecFor(managementId)
  if (codec !== undefined && codec.size === length) return codec.empty()
  return { name: 'RAW', bytes: new Uint8Array(length) }
}
