/**
 * Management dataField registry: managementId -> layout. Decoding checks the dataField length
 * against the managementId (IEEE 1588-2019 15.5.3) and keeps any mismatch RAW with a finding.
 */
import type { ManagementDataField, ManagementDataName } from '../types.ts'
import { ActionField, ManagementId } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error, hex } from '../findings/finding.ts'
import { tlvField, type TlvContext } from '../tlvs/context.ts'
import type { DataFieldCodec } from './codec.ts'
import { defaultDataSet } from './default_data_set.ts'
import { currentDataSet } from './current_data_set.ts'
import { parentDataSet } from './parent_data_set.ts'
import { timePropertiesDataSet } from './time_properties_data_set.ts'
import { portDataSet } from './port_data_set.ts'
import * as one from './one_octet.ts'
import { timeStatusNp } from './time_status_np.ts'
import { grandmasterSettingsNp } from './grandmaster_settings_np.ts'
import { portDataSetNp } from './port_data_set_np.ts'

export type { DataFieldCodec }

const BY_ID = new Map<number, DataFieldCodec<any>>([
  [ManagementId.DEFAULT_DATA_SET, defaultDataSet],
  [ManagementId.CURRENT_DATA_SET, currentDataSet],
  [ManagementId.PARENT_DATA_SET, parentDataSet],
  [ManagementId.TIME_PROPERTIES_DATA_SET, timePropertiesDataSet],
  [ManagementId.PORT_DATA_SET, portDataSet],
  [ManagementId.PRIORITY1, one.priority1],
  [ManagementId.PRIORITY2, one.priority2],
  [ManagementId.DOMAIN, one.domain],
  [ManagementId.SLAVE_ONLY, one.slaveOnly],
  [ManagementId.LOG_ANNOUNCE_INTERVAL, one.logAnnounceInterval],
  [ManagementId.ANNOUNCE_RECEIPT_TIMEOUT, one.announceReceiptTimeout],
  [ManagementId.LOG_SYNC_INTERVAL, one.logSyncInterval],
  [ManagementId.VERSION_NUMBER, one.versionNumber],
  [ManagementId.DELAY_MECHANISM, one.delayMechanism],
  [ManagementId.LOG_MIN_PDELAY_REQ_INTERVAL, one.logMinPdelayReqInterval],
  [ManagementId.SYNCHRONIZATION_UNCERTAIN_NP, one.synchronizationUncertainNp],
  [ManagementId.TIME_STATUS_NP, timeStatusNp],
  [ManagementId.GRANDMASTER_SETTINGS_NP, grandmasterSettingsNp],
  [ManagementId.PORT_DATA_SET_NP, portDataSetNp],
])

const BY_NAME = new Map<string, DataFieldCodec<any>>()
for (const codec of BY_ID.values()) BY_NAME.set(codec.empty().name, codec)

/** Ids whose dataField is always empty (1588-2019 15.5.3.1.1, 15.5.3.2.x). */
const NO_DATA = new Set<number>([
  ManagementId.NULL_MANAGEMENT,
  ManagementId.SAVE_IN_NON_VOLATILE_STORAGE,
  ManagementId.RESET_NON_VOLATILE_STORAGE,
  ManagementId.FAULT_LOG_RESET,
  ManagementId.ENABLE_PORT,
  ManagementId.DISABLE_PORT,
])

const NAME_BY_ID = new Map<number, string>(Object.entries(ManagementId).map(([k, v]) => [v, k]))

/** The managementId's name, or its hex value when the codec does not know it. */
export function managementIdName(id: number): string {
  return NAME_BY_ID.get(id) ?? hex(id, 4)
}

/** The typed layout of a managementId (undefined when the codec keeps it RAW). */
export function dataFieldCodecFor(managementId: number): DataFieldCodec | undefined {
  return BY_ID.get(managementId)
}

/** dataField size of a typed managementId, 0 for the no-data ids, undefined when not typed. */
export function expectedDataFieldSize(managementId: number): number | undefined {
  if (NO_DATA.has(managementId)) return 0
  return BY_ID.get(managementId)?.size
}

/**
 * Decodes a dataField of `length` octets at b[o]. o is the absolute offset of the dataField;
 * ctx.managementAction tells whether an empty dataField is acceptable (GET, COMMAND, ACKNOWLEDGE).
 */
export function decodeDataField(
  b: Uint8Array,
  o: number,
  length: number,
  managementId: number,
  ctx: TlvContext,
): ManagementDataField | null {
  const codec = BY_ID.get(managementId)
  if (codec !== undefined && length === codec.size) return codec.decode(b, o)
  if (length === 0) {
    const action = ctx.managementAction
    if (codec !== undefined && (action === ActionField.SET || action === ActionField.RESPONSE)) {
      ctx.findings.push(
        error(tlvField(ctx, 'dataField'), o - ctx.base, `${managementIdName(managementId)} ${action === ActionField.SET ? 'SET' : 'RESPONSE'} has an empty dataField, expected ${codec.size} octets`, Clause.managementDataField),
      )
    }
    return null
  }
  if (codec !== undefined) {
    ctx.findings.push(
      error(tlvField(ctx, 'lengthField'), o - 4 - ctx.base, `${managementIdName(managementId)} dataField is ${length} octets, expected ${codec.size} (or 0 in a GET)`, Clause.managementDataField),
    )
  } else if (NO_DATA.has(managementId)) {
    ctx.findings.push(
      error(tlvField(ctx, 'lengthField'), o - 4 - ctx.base, `${managementIdName(managementId)} takes no dataField, got ${length} octets`, Clause.managementDataField),
    )
  }
  return { name: 'RAW', bytes: b.slice(o, o + length) }
}

export function dataFieldSize(d: ManagementDataField | null): number {
  if (d === null) return 0
  if (d.name === 'RAW') return d.bytes.length
  return BY_NAME.get(d.name)!.size
}

export function writeDataField(d: ManagementDataField | null, b: Uint8Array, o: number): void {
  if (d === null) return
  if (d.name === 'RAW') b.set(d.bytes, o)
  else BY_NAME.get(d.name)!.write(d, b, o)
}

/**
 * A zero-valued dataField for a managementId, as pmc 3.1.1 sends in a GET (null for ids without
 * a typed layout or without data).
 */
export function emptyDataFieldFor(managementId: number): ManagementDataField | null {
  return BY_ID.get(managementId)?.empty() ?? null
}

/** Names with a typed layout. */
export function typedDataFieldNames(): ManagementDataName[] {
  return [...BY_NAME.keys()] as ManagementDataName[]
}
