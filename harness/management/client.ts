/**
 * A PTP management client on the wire (IEEE 1588-2019 clause 15), built on
 * our codec and native ports: GET (and SET, for testing refusals) over L2,
 * UDPv4 or UDPv6.
 *
 * A request goes to the PTP multicast destination with a wildcard target, as
 * pmc sends it, so every clock on the segment may answer. Answers are matched
 * to the request by sequenceId and managementId, addressed to us
 * (targetPortIdentity = our sourcePortIdentity, or the wildcard), and kept
 * apart by their sourcePortIdentity: one GET PORT_DATA_SET to a LAN with two
 * boundary clocks yields one answer per port per clock.
 *
 * The wait for answers is a plain timer: management is not protocol timing,
 * a response window of hundreds of milliseconds is the point.
 */
import {
  ActionField,
  buildManagement,
  decodeMessage,
  encodeMessage,
  ManagementErrorId,
  ManagementId,
  type ManagementIdName,
} from '../codec/index.ts'
import { clockIdentityFromMac, normalizeClockIdentity } from '../codec/clock_identity.ts'
import type { ClockIdentity, Finding, ManagementDataField, ManagementMessage, PortIdentity } from '../codec/types.ts'
import { openPort, type Port, type ReceivedFrame, type TransportKind } from '../transport/index.ts'

export interface ManagementClientOptions {
  interface: string
  /** Namespace holding the interface (a lab node). */
  netns?: string
  transport: TransportKind
  domainNumber?: number
  /** Header majorSdoId (transportSpecific): 1 for gPTP-family clocks (pmc -t 1). */
  transportSpecific?: number
  /** boundaryHops of requests (pmc -b); default 0: only clocks on this segment answer. */
  boundaryHops?: number
  /** How long a request collects answers (default 500 ms). */
  timeoutMs?: number
  /** Our sourcePortIdentity; default: clockIdentity from the port's MAC, portNumber from our PID. */
  sourcePortIdentity?: PortIdentity
  /** UDPv6 multicast scope X of FF0X::181 (default 0xE, as linuxptp). */
  udp6Scope?: number
  /** Bind 319/320 with SO_REUSEADDR (UDP) to share them with other sockets that allow it. */
  reuseAddress?: boolean
}

export interface ManagementErrorInfo {
  managementErrorId: number
  /** NOT_SUPPORTED, NO_SUCH_ID, ... or the hex value. */
  name: string
  displayData?: string
}

export interface ManagementAnswer {
  source: PortIdentity
  /** 'xxxxxx.xxxx.xxxxxx-N', the same text pmc prints. */
  sourceKey: string
  action: 'RESPONSE' | 'ACKNOWLEDGE' | string
  managementId: number
  /** The dataField of a MANAGEMENT TLV; undefined for an error. */
  data?: ManagementDataField | null
  /** MANAGEMENT_ERROR_STATUS, when that is what came back. */
  error?: ManagementErrorInfo
  message: ManagementMessage
  /** What the decoder found wrong with the answer (a finding, never a crash). */
  findings: Finding[]
  rxTimestampNs: bigint | null
  /** Sender MAC (l2) or address (udp). */
  from?: string
}

export interface ManagementResult {
  managementId: number
  managementIdName: string
  sequenceId: number
  answers: ManagementAnswer[]
  /** Frames that looked like answers but could not be decoded. */
  undecodable: { from?: string; error: string }[]
}

export interface RequestOptions {
  /** targetPortIdentity (default: the wildcard, as pmc sends it). */
  target?: PortIdentity
  timeoutMs?: number
  /** Resolve once this many distinct sources answered. */
  expect?: number
  /** Resolve once this clock answered (a wildcard request whose answer of interest is one clock's). */
  expectFrom?: ClockIdentity
}

export class ManagementError extends Error {
  constructor(
    message: string,
    readonly result?: ManagementResult,
  ) {
    super(message)
    this.name = 'ManagementError'
  }
}

const ERROR_NAMES = new Map<number, string>(Object.entries(ManagementErrorId).map(([k, v]) => [v, k]))
const ID_NAMES = new Map<number, string>(Object.entries(ManagementId).map(([k, v]) => [v, k]))
const ACTION_NAMES = new Map<number, string>(Object.entries(ActionField).map(([k, v]) => [v, k]))

export function portKey(p: PortIdentity): string {
  return `${p.clockIdentity}-${p.portNumber}`
}

function idOf(id: number | ManagementIdName): number {
  if (typeof id === 'number') return id
  const n = ManagementId[id]
  if (n === undefined) throw new ManagementError(`unknown managementId '${id}'`)
  return n
}

function isWildcard(p: PortIdentity): boolean {
  return p.clockIdentity === 'ffffff.ffff.ffffff' && p.portNumber === 0xffff
}

interface Pending {
  sequenceId: number
  managementId: number
  answers: ManagementAnswer[]
  undecodable: ManagementResult['undecodable']
  /** Stop early once this many distinct sources answered. */
  expect?: number
  /** Stop early once this clock answered (normalised clockIdentity). */
  expectFrom?: string
  done: () => void
}

export class ManagementClient {
  private sequenceId = 0
  private readonly pending = new Map<number, Pending>()
  private readonly off: () => void
  readonly sourcePortIdentity: PortIdentity

  private constructor(
    private readonly port: Port,
    private readonly o: ManagementClientOptions,
  ) {
    this.sourcePortIdentity = o.sourcePortIdentity ?? { clockIdentity: clockIdentityFromMac(port.mac), portNumber: (process.pid & 0xfffe) || 1 }
    this.off = port.onReceive((f) => this.onFrame(f))
    // An idle client must not keep a finished harness alive; a request in flight must (see request()).
    port.unref()
  }

  static open(o: ManagementClientOptions): ManagementClient {
    const port = openPort({
      interface: o.interface,
      transport: o.transport,
      ...(o.netns ? { netns: o.netns } : {}),
      ...(o.udp6Scope !== undefined ? { udp6Scope: o.udp6Scope } : {}),
      ...(o.reuseAddress !== undefined ? { reuseAddress: o.reuseAddress } : {}),
      timestamping: 'software',
    })
    return new ManagementClient(port, o)
  }

  get transport(): TransportKind {
    return this.o.transport
  }

  close(): void {
    this.off()
    for (const p of this.pending.values()) p.done()
    this.port.close()
  }

  /** GET one managementId; resolves after the response window (or once `expect` sources, or `expectFrom`, answered). */
  get(id: number | ManagementIdName, o: RequestOptions = {}): Promise<ManagementResult> {
    return this.request('GET', idOf(id), undefined, o)
  }

  /** SET over the wire. ptp4l refuses these with MANAGEMENT_ERROR_STATUS NOT_SUPPORTED; suites test that. */
  set(id: number | ManagementIdName, dataField: ManagementDataField, o: RequestOptions = {}): Promise<ManagementResult> {
    return this.request('SET', idOf(id), dataField, o)
  }

  private async request(
    action: 'GET' | 'SET',
    managementId: number,
    dataField: ManagementDataField | undefined,
    o: RequestOptions,
  ): Promise<ManagementResult> {
    const sequenceId = this.sequenceId
    this.sequenceId = (this.sequenceId + 1) & 0xffff
    const msg = buildManagement({
      actionField: action,
      managementId,
      ...(dataField !== undefined ? { dataField } : {}),
      ...(o.target ? { targetPortIdentity: o.target } : {}),
      boundaryHops: this.o.boundaryHops ?? 0,
      header: {
        majorSdoId: this.o.transportSpecific ?? 0,
        domainNumber: this.o.domainNumber ?? 0,
        sourcePortIdentity: this.sourcePortIdentity,
        sequenceId,
      },
    })
    const bytes = encodeMessage(msg)
    const timeoutMs = o.timeoutMs ?? this.o.timeoutMs ?? 500
    const result: ManagementResult = {
      managementId,
      managementIdName: ID_NAMES.get(managementId) ?? `0x${managementId.toString(16).padStart(4, '0')}`,
      sequenceId,
      answers: [],
      undecodable: [],
    }
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const p: Pending = {
        sequenceId,
        managementId,
        answers: result.answers,
        undecodable: result.undecodable,
        expect: o.expect,
        ...(o.expectFrom ? { expectFrom: normalizeClockIdentity(o.expectFrom) } : {}),
        done: () => {
          if (timer) clearTimeout(timer)
          this.pending.delete(sequenceId)
          if (this.pending.size === 0 && !this.port.closed) this.port.unref()
          resolve()
        },
      }
      this.pending.set(sequenceId, p)
      this.port.ref()
      // Management is a general message (UDP port 320).
      this.port.send(bytes, { event: false, dest: 'primary' }).then(
        () => {
          timer = setTimeout(p.done, timeoutMs)
        },
        (e: Error) => {
          if (timer) clearTimeout(timer)
          this.pending.delete(sequenceId)
          if (this.pending.size === 0 && !this.port.closed) this.port.unref()
          reject(new ManagementError(`sending ${action} ${result.managementIdName} on ${this.o.interface}: ${e.message}`))
        },
      )
    })
    return result
  }

  private onFrame(f: ReceivedFrame): void {
    if (this.pending.size === 0) return
    // Cheap pre-filter before decoding: messageType 0xD (Management).
    if (f.data.length < 48 || (f.data[0]! & 0x0f) !== 0x0d) return
    const from = f.srcMac ?? f.srcAddress
    let decoded
    try {
      decoded = decodeMessage(f.data, 0, undefined, { trailerIsPadding: expectedTrailer(f) })
    } catch (e) {
      const seq = f.data.length >= 32 ? (f.data[30]! << 8) | f.data[31]! : -1
      const p = this.pending.get(seq)
      if (p) p.undecodable.push({ ...(from ? { from } : {}), error: (e as Error).message })
      return
    }
    const m = decoded.message
    if (m.type !== 'Management') return
    if (m.actionField !== ActionField.RESPONSE && m.actionField !== ActionField.ACKNOWLEDGE) return // our own request, or someone else's
    const p = this.pending.get(m.header.sequenceId)
    if (!p) return
    if (!isWildcard(m.targetPortIdentity) && portKey(m.targetPortIdentity) !== portKey(this.sourcePortIdentity)) return
    if (m.header.domainNumber !== (this.o.domainNumber ?? 0)) return
    const answer = managementAnswer(m, decoded.findings, f.rxTimestampNs, from)
    if (!answer) {
      // An answer to our request that carries neither TLV is the responder's fault: keep it as such.
      const what = decoded.findings.map((x) => `${x.field ?? ''} ${x.message}`.trim()).join('; ')
      p.undecodable.push({ ...(from ? { from } : {}), error: `answer without a MANAGEMENT or MANAGEMENT_ERROR_STATUS TLV (${m.tlvs.map((t) => t.kind).join(', ') || 'no TLV'})${what ? `: ${what}` : ''}` })
      return
    }
    // An error may echo managementId 0 when the id was unknown to the responder; keep it with the request.
    if (answer.managementId !== p.managementId && !answer.error) return
    p.answers.push(answer)
    if (p.expect !== undefined && new Set(p.answers.map((a) => a.sourceKey)).size >= p.expect) p.done()
    else if (p.expectFrom !== undefined && normalizeClockIdentity(answer.source.clockIdentity) === p.expectFrom) p.done()
  }
}

/**
 * What a RESPONSE/ACKNOWLEDGE says, as the client reports it: its MANAGEMENT data or its
 * MANAGEMENT_ERROR_STATUS (undefined: neither TLV). Pure, so evidence can be built from a
 * responder without a network.
 */
export function managementAnswer(m: ManagementMessage, findings: Finding[], rxTimestampNs: bigint | null, from?: string): ManagementAnswer | undefined {
  const tlv = m.tlvs[0]
  const answer: ManagementAnswer = {
    source: m.header.sourcePortIdentity,
    sourceKey: portKey(m.header.sourcePortIdentity),
    action: ACTION_NAMES.get(m.actionField) ?? String(m.actionField),
    managementId: -1,
    message: m,
    findings,
    rxTimestampNs,
    ...(from ? { from } : {}),
  }
  if (tlv?.kind === 'MANAGEMENT') {
    answer.managementId = tlv.managementId
    answer.data = tlv.dataField
  } else if (tlv?.kind === 'MANAGEMENT_ERROR_STATUS') {
    answer.managementId = tlv.managementId
    answer.error = {
      managementErrorId: tlv.managementErrorId,
      name: ERROR_NAMES.get(tlv.managementErrorId) ?? `0x${tlv.managementErrorId.toString(16).padStart(4, '0')}`,
      ...(tlv.displayData && tlv.displayData.length ? { displayData: Buffer.from(tlv.displayData).toString('utf8') } : {}),
    }
  } else {
    return undefined
  }
  return answer
}

/**
 * Octets after messageLength that are not the sender's fault: Ethernet
 * padding to the 60-octet minimum (L2), and the two octets IEEE 1588 Annex E
 * adds to a UDP/IPv6 payload (so a transparent clock can fix the checksum;
 * linuxptp appends them to every message).
 */
function expectedTrailer(f: ReceivedFrame): boolean {
  if (f.transport === 'l2') return true
  if (f.transport === 'udp6' && f.data.length >= 4) return f.data.length - ((f.data[2]! << 8) | f.data[3]!) === 2
  return false
}

// ---------------------------------------------------------------- conveniences

/** Data answers only, keyed by sourcePortIdentity; throws if nobody answered or any answer is an error. */
export function dataBySource<T extends ManagementDataField['name']>(r: ManagementResult, name: T): Map<string, Extract<ManagementDataField, { name: T }>> {
  if (r.answers.length === 0) throw new ManagementError(`no answer to GET ${r.managementIdName}`, r)
  const errors = r.answers.filter((a) => a.error)
  if (errors.length) throw new ManagementError(`GET ${r.managementIdName}: ${errors.map((a) => `${a.sourceKey} ${a.error!.name}`).join(', ')}`, r)
  const out = new Map<string, Extract<ManagementDataField, { name: T }>>()
  for (const a of r.answers) {
    if (a.data?.name !== name) throw new ManagementError(`GET ${r.managementIdName}: ${a.sourceKey} answered ${a.data?.name ?? 'an empty dataField'}`, r)
    out.set(a.sourceKey, a.data as Extract<ManagementDataField, { name: T }>)
  }
  return out
}

/** Answers grouped per clock (clockIdentity), for multi-port clocks. */
export function byClock(r: ManagementResult): Map<ClockIdentity, ManagementAnswer[]> {
  const out = new Map<ClockIdentity, ManagementAnswer[]>()
  for (const a of r.answers) {
    const list = out.get(a.source.clockIdentity) ?? []
    list.push(a)
    out.set(a.source.clockIdentity, list)
  }
  return out
}
