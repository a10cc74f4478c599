/**
 * pmc's text output, parsed (pure). linuxptp 3.1.1 prints each reply as
 *
 *   sending: GET PORT_DATA_SET
 *   \t025043.fffe.001101-1 seq 0 RESPONSE MANAGEMENT PORT_DATA_SET \n
 *   \t\tportIdentity            025043.fffe.001101-1
 *   \t\tportState               SLAVE
 *   ...
 *
 * and an error as `\t<port> seq N RESPONSE MANAGEMENT_ERROR_STATUS ` with no
 * detail. The parser keys on the tab structure, not on column widths, and
 * keeps unknown lines out of the way instead of failing: pmc versions differ.
 *
 * The `to*` functions turn a reply into the same shapes our codec decodes
 * (harness/codec/management_types.ts), so pmc's answers and ours compare
 * field by field. Reserved fields pmc does not print come back as 0.
 */
import type {
  ClockQuality,
  CurrentDataSetData,
  DefaultDataSetData,
  ParentDataSetData,
  PortDataSetData,
  PortIdentity,
  TimePropertiesDataSetData,
} from '../../codec/types.ts'
import { PORT_STATES } from '../types.ts'

export interface PmcReply {
  /** As printed: 'xxxxxx.fffe.xxxxxx-N'. */
  source: string
  sourcePortIdentity: PortIdentity
  seq: number
  /** RESPONSE, ACKNOWLEDGE, ... */
  action: string
  /** MANAGEMENT_ERROR_STATUS came back. */
  error: boolean
  /** Undefined for an error or an empty (NULL_MANAGEMENT) reply. */
  managementId?: string
  fields: Record<string, string>
}

export interface PmcTranscript {
  /** Commands in the order pmc sent them (seq = index, per pmc run). */
  sent: string[]
  replies: PmcReply[]
  /** Lines that fit no known shape (kept for the log). */
  unparsed: string[]
}

const HEAD_RE = /^\t(\S+) seq (\d+) (\S+) (MANAGEMENT_ERROR_STATUS|MANAGEMENT)\s*(\S*)\s*$/
const FIELD_RE = /^\t\t(\S+)\s+(.*?)\s*$/

export function parsePortIdentity(s: string): PortIdentity {
  const m = /^([0-9a-f]{6}\.[0-9a-f]{4}\.[0-9a-f]{6})-(\d+)$/i.exec(s.trim())
  if (!m) throw new Error(`not a port identity: '${s}'`)
  return { clockIdentity: m[1]!.toLowerCase(), portNumber: Number(m[2]) }
}

export function parsePmcOutput(text: string): PmcTranscript {
  const out: PmcTranscript = { sent: [], replies: [], unparsed: [] }
  let current: PmcReply | undefined
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('sending: ')) {
      out.sent.push(line.slice('sending: '.length).trim())
      current = undefined
      continue
    }
    const head = HEAD_RE.exec(line)
    if (head) {
      let spi: PortIdentity
      try {
        spi = parsePortIdentity(head[1]!)
      } catch {
        out.unparsed.push(line)
        current = undefined
        continue
      }
      current = {
        source: head[1]!,
        sourcePortIdentity: spi,
        seq: Number(head[2]),
        action: head[3]!,
        error: head[4] === 'MANAGEMENT_ERROR_STATUS',
        fields: {},
      }
      if (head[5]) current.managementId = head[5]
      out.replies.push(current)
      continue
    }
    const field = FIELD_RE.exec(line)
    if (field && current) {
      current.fields[field[1]!] = field[2]!
      continue
    }
    out.unparsed.push(line)
  }
  return out
}

// ---------------------------------------------------------------- typed views

function need(r: PmcReply, key: string): string {
  const v = r.fields[key]
  if (v === undefined) throw new Error(`pmc reply ${r.managementId ?? '?'} from ${r.source} lacks '${key}'`)
  return v
}

function int(r: PmcReply, key: string): number {
  const s = need(r, key)
  const n = s.startsWith('0x') || s.startsWith('0X') ? parseInt(s, 16) : Number(s)
  if (!Number.isFinite(n)) throw new Error(`pmc field ${key}='${s}' is not a number`)
  return n
}

/** pmc prints TimeInterval as `%.1f` of value/2^16; ptp4l's values are whole ns, so this is exact. */
export function scaledFromDecimal(s: string): bigint {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(s.trim())
  if (!m) throw new Error(`not a decimal: '${s}'`)
  const frac = m[3] ?? ''
  const num = BigInt(m[2]! + frac) * 65536n
  const den = 10n ** BigInt(frac.length)
  const q = (num + den / 2n) / den
  return m[1] === '-' ? -q : q
}

/** Formats a scaled TimeInterval the way pmc does (`%.1f` of value/65536), for comparisons. */
export function formatScaledLikePmc(scaled: bigint): string {
  return (Number(scaled) / 65536).toFixed(1)
}

const bit = (r: PmcReply, key: string, n: number) => (int(r, key) ? 1 << n : 0)

export function toDefaultDataSet(r: PmcReply): DefaultDataSetData {
  return {
    name: 'DEFAULT_DATA_SET',
    flags: bit(r, 'twoStepFlag', 0) | bit(r, 'slaveOnly', 1),
    reserved1: 0,
    numberPorts: int(r, 'numberPorts'),
    priority1: int(r, 'priority1'),
    clockQuality: { clockClass: int(r, 'clockClass'), clockAccuracy: int(r, 'clockAccuracy'), offsetScaledLogVariance: int(r, 'offsetScaledLogVariance') },
    priority2: int(r, 'priority2'),
    clockIdentity: need(r, 'clockIdentity').toLowerCase(),
    domainNumber: int(r, 'domainNumber'),
    reserved2: 0,
  }
}

export function toCurrentDataSet(r: PmcReply): CurrentDataSetData {
  return {
    name: 'CURRENT_DATA_SET',
    stepsRemoved: int(r, 'stepsRemoved'),
    offsetFromMaster: scaledFromDecimal(need(r, 'offsetFromMaster')),
    meanPathDelay: scaledFromDecimal(need(r, 'meanPathDelay')),
  }
}

export function toParentDataSet(r: PmcReply): ParentDataSetData {
  const q: ClockQuality = {
    clockClass: int(r, 'gm.ClockClass'),
    clockAccuracy: int(r, 'gm.ClockAccuracy'),
    offsetScaledLogVariance: int(r, 'gm.OffsetScaledLogVariance'),
  }
  // Printed as 0x%08x of an Integer32: back to signed.
  const rate = int(r, 'observedParentClockPhaseChangeRate') | 0
  return {
    name: 'PARENT_DATA_SET',
    parentPortIdentity: parsePortIdentity(need(r, 'parentPortIdentity')),
    parentStats: int(r, 'parentStats'),
    reserved: 0,
    observedParentOffsetScaledLogVariance: int(r, 'observedParentOffsetScaledLogVariance'),
    observedParentClockPhaseChangeRate: rate,
    grandmasterPriority1: int(r, 'grandmasterPriority1'),
    grandmasterClockQuality: q,
    grandmasterPriority2: int(r, 'grandmasterPriority2'),
    grandmasterIdentity: need(r, 'grandmasterIdentity').toLowerCase(),
  }
}

export function toTimePropertiesDataSet(r: PmcReply): TimePropertiesDataSetData {
  const flags =
    bit(r, 'leap61', 0) | bit(r, 'leap59', 1) | bit(r, 'currentUtcOffsetValid', 2) | bit(r, 'ptpTimescale', 3) | bit(r, 'timeTraceable', 4) | bit(r, 'frequencyTraceable', 5)
  return { name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: int(r, 'currentUtcOffset'), flags, timeSource: int(r, 'timeSource') }
}

/**
 * PORT_DATA_SET. pmc prints peerMeanPathDelay as `value >> 16` (whole ns, the
 * fraction dropped), so the scaled value here has a zero fraction; compare
 * with `scaled >> 16n`.
 */
export function toPortDataSet(r: PmcReply): PortDataSetData {
  const stateText = need(r, 'portState')
  const state = PORT_STATES.indexOf(stateText as (typeof PORT_STATES)[number])
  if (state < 0) throw new Error(`pmc portState '${stateText}' is not a port state`)
  return {
    name: 'PORT_DATA_SET',
    portIdentity: parsePortIdentity(need(r, 'portIdentity')),
    portState: state,
    logMinDelayReqInterval: int(r, 'logMinDelayReqInterval'),
    peerMeanPathDelay: BigInt(need(r, 'peerMeanPathDelay')) << 16n,
    logAnnounceInterval: int(r, 'logAnnounceInterval'),
    announceReceiptTimeout: int(r, 'announceReceiptTimeout'),
    logSyncInterval: int(r, 'logSyncInterval'),
    delayMechanism: int(r, 'delayMechanism'),
    logMinPdelayReqInterval: int(r, 'logMinPdelayReqInterval'),
    versionNumber: int(r, 'versionNumber'),
  }
}
