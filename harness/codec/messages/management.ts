/**
 * Management (IEEE 1588-2019 15.4.1): targetPortIdentity, startingBoundaryHops, boundaryHops,
 * actionField (low nibble), reserved; then one MANAGEMENT or MANAGEMENT_ERROR_STATUS TLV.
 */
import type { Finding, Header, ManagementDataField, ManagementMessage, PortIdentity, Tlv } from '../types.ts'
import { readPortIdentity, WILDCARD_PORT_IDENTITY, writePortIdentity } from '../fields.ts'
import { ActionField, ManagementId, TlvType, type ManagementIdName } from '../constants.ts'
import { Clause } from '../findings/clauses.ts'
import { error } from '../findings/finding.ts'
import { pmcGetDataField } from '../management/pmc_get.ts'
import { buildManagementTlv } from '../tlvs/management.ts'
import { buildManagementErrorStatusTlv } from '../tlvs/management_error_status.ts'
import { builderHeader, type BuildCommon } from './common.ts'

export function decodeManagement(b: Uint8Array, o: number, header: Header, tlvs: Tlv[], findings: Finding[]): ManagementMessage {
  const action = b[o + 46]!
  const reserved = b[o + 47]!
  const actionField = action & 0xf
  if (actionField > ActionField.ACKNOWLEDGE) {
    findings.push(error('actionField', 46, `actionField ${actionField} is reserved`, Clause.actionField))
  }
  if (action >>> 4 !== 0) findings.push(error('actionReserved', 46, `reserved high nibble of octet 46 is ${action >>> 4}, shall be 0`, Clause.management))
  if (reserved !== 0) findings.push(error('reserved', 47, `reserved octet 47 is ${reserved}, shall be 0`, Clause.management))
  const first = tlvs[0]
  if (first === undefined) {
    findings.push(error('tlvs', 48, 'Management message carries no management TLV', Clause.management))
  } else if (first.tlvType !== TlvType.MANAGEMENT && first.tlvType !== TlvType.MANAGEMENT_ERROR_STATUS) {
    findings.push(error('tlvs[0].tlvType', 48, `first TLV of a Management message is tlvType ${first.tlvType}, not MANAGEMENT or MANAGEMENT_ERROR_STATUS`, Clause.management))
  }
  return {
    type: 'Management',
    header,
    targetPortIdentity: readPortIdentity(b, o + 34),
    startingBoundaryHops: b[o + 44]!,
    boundaryHops: b[o + 45]!,
    actionField,
    actionReserved: action >>> 4,
    reserved,
    tlvs,
  }
}

export function writeManagement(m: ManagementMessage, b: Uint8Array, o: number): void {
  writePortIdentity(b, o + 34, m.targetPortIdentity)
  b[o + 44] = m.startingBoundaryHops
  b[o + 45] = m.boundaryHops
  b[o + 46] = ((m.actionReserved & 0xf) << 4) | (m.actionField & 0xf)
  b[o + 47] = m.reserved
}

export type ActionName = keyof typeof ActionField

export interface BuildManagementParams extends BuildCommon {
  actionField: number | ActionName
  /** managementId as a number or its name; ignored when `tlvs` is given. */
  managementId?: number | ManagementIdName
  /**
   * dataField. Default: for GET, what pmc 3.1.1 sends (zeros of the reply's size for most ids,
   * none for a few; management/pmc_get.ts) unless zeroLengthGet; otherwise none.
   */
  dataField?: ManagementDataField | null
  /** pmc -z: GET with an empty dataField. */
  zeroLengthGet?: boolean
  /** Answer with MANAGEMENT_ERROR_STATUS instead of a MANAGEMENT TLV. */
  error?: { managementErrorId: number; displayData?: string }
  /** Default: the wildcard (all ones), as pmc sends. */
  targetPortIdentity?: PortIdentity
  /** pmc -b, default 1; both startingBoundaryHops and boundaryHops unless given apart. */
  boundaryHops?: number
  startingBoundaryHops?: number
}

/**
 * A Management message as pmc (linuxptp 3.1.1) puts it on the wire: wildcard target,
 * startingBoundaryHops = boundaryHops = 1, logMessageInterval 0x7F, controlField 4, and for a GET a
 * zero-filled dataField the size of the expected reply.
 */
export function buildManagement(p: BuildManagementParams): ManagementMessage {
  const actionField = typeof p.actionField === 'number' ? p.actionField : ActionField[p.actionField]
  const managementId = typeof p.managementId === 'string' ? ManagementId[p.managementId] : (p.managementId ?? ManagementId.NULL_MANAGEMENT)
  let tlvs = p.tlvs
  if (tlvs === undefined) {
    if (p.error) {
      tlvs = [buildManagementErrorStatusTlv({ managementId, ...p.error })]
    } else {
      let dataField = p.dataField
      if (dataField === undefined) {
        dataField = actionField === ActionField.GET && !p.zeroLengthGet ? pmcGetDataField(managementId) : null
      }
      tlvs = [buildManagementTlv(managementId, dataField)]
    }
  }
  const hops = p.boundaryHops ?? 1
  return {
    type: 'Management',
    header: builderHeader('Management', p.header, tlvs),
    targetPortIdentity: { ...(p.targetPortIdentity ?? WILDCARD_PORT_IDENTITY) },
    startingBoundaryHops: p.startingBoundaryHops ?? hops,
    boundaryHops: hops,
    actionField,
    actionReserved: 0,
    reserved: 0,
    tlvs,
  }
}
