/**
 * `ptp-conform decode FILE [--json]`: every PTP frame of a pcap/pcapng capture,
 * decoded, with its findings.
 *
 * Frames that are not PTP are counted and skipped. A PTP frame the codec cannot
 * decode at all is reported with the offset where decoding stopped and the
 * command goes on. A capture damaged part-way is printed up to the damage and
 * then ends with exit code 2, like a file that cannot be read at all.
 */
import { CaptureError, openCapture, type CapturePacket, type CaptureReader } from '../../capture/index.ts'
import {
  decodeFrame,
  linkTypeFromPcap,
  managementIdName,
  tlvTypeName,
  type Finding,
  type FrameDecode,
  type PtpMessage,
  type Tlv,
} from '../../codec/index.ts'
import { formatTimestamp } from '../../time/index.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'
import { loadProfile } from '../../profiles/index.ts'
import { profileL2Destinations } from '../../profiles/l2_destinations.ts'

export const describe = 'print the PTP frames of a pcap/pcapng capture, decoded, with findings'

const USAGE = `usage: ptp-conform decode FILE [--json] [--profile ID]

Decodes every PTP frame (Ethernet, 802.1Q VLAN, UDP/IPv4, UDP/IPv6) of a pcap or
pcapng capture and prints it with its findings. Non-PTP frames are counted and skipped.

  --json   one JSON object per frame (JSON Lines), IEEE 1588 field names;
           64-bit values as decimal strings, octet strings as hex
  --profile ID  judge addressing findings under that profile (e.g. G.8275.1's
           non-forwardable address) instead of IEEE 1588 Annex F
  --help   this text

Exit codes: 0 the whole file was read; 2 the file cannot be opened, is not a
capture, or is damaged (frames before the damage are printed).`

interface Tally {
  frames: number
  ptp: number
  undecodable: number
  notPtp: number
  unsupportedLink: number
  errors: number
  warnings: number
}

/** stdout through a buffer: a million lines must not be a million write calls. */
class Output {
  private parts: string[] = []
  private size = 0
  closed = false

  constructor() {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      // `ptp-conform decode f | head` closes the pipe: stop quietly.
      if (e.code === 'EPIPE') this.closed = true
      else throw e
    })
  }

  line(s: string): void {
    this.parts.push(s, '\n')
    this.size += s.length + 1
    if (this.size > 1 << 16) this.flush()
  }

  flush(): void {
    if (this.parts.length && !this.closed) process.stdout.write(this.parts.join(''))
    this.parts = []
    this.size = 0
  }

  /** Resolves once everything written has been handed to the OS. */
  drain(): Promise<void> {
    this.flush()
    return new Promise((resolve) => {
      if (this.closed || process.stdout.writableLength === 0) resolve()
      else process.stdout.once('drain', () => resolve())
    })
  }
}

export async function run(argv: string[]): Promise<number> {
  let file: string | undefined
  let json = false
  let profileId: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--json') json = true
    else if (a === '--profile') {
      profileId = argv[++i]
      if (!profileId) throw new CliError(`--profile needs an ID\n${USAGE}`, ExitCode.usage)
    } else if (a.startsWith('--profile=')) profileId = a.slice('--profile='.length)
    else if (a === '--help' || a === '-h') {
      console.log(USAGE)
      return ExitCode.ok
    } else if (a.startsWith('-')) throw new CliError(`unknown option ${a}\n${USAGE}`, ExitCode.usage)
    else if (file === undefined) file = a
    else throw new CliError(`only one FILE is accepted\n${USAGE}`, ExitCode.usage)
  }
  if (file === undefined) throw new CliError(`missing FILE\n${USAGE}`, ExitCode.usage)

  let l2Destinations: ReturnType<typeof profileL2Destinations>
  if (profileId) {
    try {
      l2Destinations = profileL2Destinations(loadProfile(profileId))
    } catch (e) {
      throw new CliError((e as Error).message, ExitCode.usage)
    }
  }

  let reader: CaptureReader
  try {
    reader = openCapture(file)
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, ExitCode.usage)
  }

  const out = new Output()
  const tally: Tally = { frames: 0, ptp: 0, undecodable: 0, notPtp: 0, unsupportedLink: 0, errors: 0, warnings: 0 }
  let damage: CaptureError | undefined
  try {
    for (const packet of reader) {
      tally.frames++
      const linkType = linkTypeFromPcap(packet.linkType)
      if (linkType === undefined) {
        tally.unsupportedLink++
        continue
      }
      const frame = decodeFrame(packet.data, linkType, l2Destinations ? { l2Destinations } : undefined)
      if (frame.notPtp !== undefined) {
        tally.notPtp++
        continue
      }
      tally.ptp++
      if (frame.ptpError) tally.undecodable++
      for (const f of [...frame.findings, ...(frame.ptp?.findings ?? [])]) {
        if (f.severity === 'error') tally.errors++
        else tally.warnings++
      }
      if (json) out.line(JSON.stringify(frameJson(packet, frame), jsonValue))
      else printFrame(out, packet, frame)
      if (out.closed) break
    }
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e
    damage = e
  } finally {
    reader.close()
  }
  await out.drain()

  const skipped = tally.notPtp + tally.unsupportedLink
  console.error(
    `${file}: ${tally.frames} frames, ${tally.ptp} PTP (${tally.undecodable} undecodable), ` +
      `${skipped} not PTP skipped${tally.unsupportedLink ? ` (${tally.unsupportedLink} of an unsupported link type)` : ''}; ` +
      `findings: ${tally.errors} errors, ${tally.warnings} warnings`,
  )
  if (damage) {
    console.error(`ptp-conform decode: ${file} is damaged after frame ${tally.frames}: ${damage.message}`)
    return ExitCode.usage
  }
  return ExitCode.ok
}

// ---------------------------------------------------------------------------------------------
// JSON

function hexOf(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16)
  return s
}

/** JSON.stringify replacer: bigint -> decimal string, octets -> hex string. */
function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Uint8Array) return hexOf(v)
  return v
}

function transportOf(frame: FrameDecode): Record<string, unknown> {
  const t: Record<string, unknown> = {}
  if (frame.eth) {
    t.ethSrc = frame.eth.src
    t.ethDst = frame.eth.dst
    if (frame.eth.vlan) t.vlan = frame.eth.vlan
  }
  if (frame.sll) t.sll = frame.sll
  if (frame.ip) {
    t.kind = frame.ip.version === 4 ? 'UDPv4' : 'UDPv6'
    t.ipSrc = frame.ip.src
    t.ipDst = frame.ip.dst
    if (frame.udp) {
      t.udpSrcPort = frame.udp.srcPort
      t.udpDstPort = frame.udp.dstPort
    }
  } else {
    t.kind = 'L2'
  }
  return t
}

function frameJson(packet: CapturePacket, frame: FrameDecode): Record<string, unknown> {
  const o: Record<string, unknown> = {
    frame: packet.index + 1,
    timestampNs: packet.timestampNs,
    interfaceId: packet.interfaceId,
    transport: transportOf(frame),
    ptpOffset: frame.ptpOffset,
  }
  if (frame.ptpError) {
    o.error = {
      message: frame.ptpError.message,
      field: frame.ptpError.field,
      offset: frame.ptpError.offset,
      frameOffset: frame.ptpOffset + frame.ptpError.offset,
    }
  } else if (frame.ptp) {
    const { type, header, tlvs, ...body } = frame.ptp.message
    // messageType as its name (only the ten defined values decode); the other header fields as on the wire.
    Object.assign(o, header, { messageType: type }, body)
    o.tlvs = tlvs.map(tlvJson)
    o.findings = frame.ptp.findings
  }
  o.frameFindings = frame.findings
  return o
}

function tlvJson(t: Tlv): Record<string, unknown> {
  const o: Record<string, unknown> = { tlvTypeName: tlvTypeName(t.tlvType), ...t }
  if (t.kind === 'MANAGEMENT' || t.kind === 'MANAGEMENT_ERROR_STATUS') o.managementIdName = managementIdName(t.managementId)
  return o
}

// ---------------------------------------------------------------------------------------------
// Human-readable text

function nsString(ns: bigint | null): string {
  if (ns === null) return '-'
  const s = ns / 1_000_000_000n
  return `${s}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`
}

function isTimestamp(v: any): boolean {
  return v !== null && typeof v === 'object' && 'secondsField' in v && 'nanosecondsField' in v
}

function isPortIdentity(v: any): boolean {
  return v !== null && typeof v === 'object' && 'clockIdentity' in v && 'portNumber' in v && Object.keys(v).length === 2
}

/** One value in compact text form: timestamps as s.ns, port identities as linuxptp prints them. */
function text(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return String(v)
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return v.length ? `0x${hexOf(v)}` : '(empty)'
  if (v === null || v === undefined) return '-'
  if (Array.isArray(v)) return `[${v.map(text).join(', ')}]`
  if (isTimestamp(v)) return formatTimestamp(v as any)
  if (isPortIdentity(v)) return `${(v as any).clockIdentity}-${(v as any).portNumber}`
  return `{${Object.entries(v as object).map(([k, x]) => `${k} ${text(x)}`).join(', ')}}`
}

function fields(obj: object, skip: readonly string[] = []): string {
  return Object.entries(obj)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k} ${text(v)}`)
    .join('  ')
}

function transportText(frame: FrameDecode): string {
  const vlan = frame.eth?.vlan?.map((t) => ` vlan ${t.vid} pcp ${t.pcp}`).join('') ?? ''
  if (frame.ip) {
    const v = frame.ip.version === 4 ? 'UDPv4' : 'UDPv6'
    return `${v}${vlan} ${frame.ip.src}:${frame.udp?.srcPort} > ${frame.ip.dst}:${frame.udp?.dstPort}`
  }
  if (frame.eth) return `L2${vlan} ${frame.eth.src} > ${frame.eth.dst}`
  return frame.linkType
}

function findingText(f: Finding, where: string): string {
  return `    ${f.severity === 'error' ? 'ERROR' : 'warning'} ${where}${f.offset} ${f.field}: ${f.message} (${f.clause})`
}

function printFrame(out: Output, packet: CapturePacket, frame: FrameDecode): void {
  out.line(`frame ${packet.index + 1}  ${nsString(packet.timestampNs)}  ${transportText(frame)}`)
  if (frame.ptpError) {
    const e = frame.ptpError
    out.line(`    UNDECODABLE PTP at frame offset ${frame.ptpOffset + e.offset} (PTP offset ${e.offset}, ${e.field}): ${e.message}`)
  } else if (frame.ptp) {
    const m: PtpMessage = frame.ptp.message
    const h = m.header
    out.line(
      `  ${m.type}  domain ${h.domainNumber}  seq ${h.sequenceId}  from ${text(h.sourcePortIdentity)}  ` +
        `sdoId ${h.majorSdoId}/${h.minorSdoId}  version ${h.versionPTP}.${h.minorVersionPTP}  length ${h.messageLength}  ` +
        `flags 0x${h.flagField.toString(16).padStart(4, '0')}  correctionField ${h.correctionField}  ` +
        `control ${h.controlField}  logMessageInterval ${h.logMessageInterval}`,
    )
    const body = fields(m, ['type', 'header', 'tlvs'])
    if (body) out.line(`    ${body}`)
    m.tlvs.forEach((t, i) => {
      const name = t.kind === 'MANAGEMENT' || t.kind === 'MANAGEMENT_ERROR_STATUS' ? ` ${managementIdName(t.managementId)}` : ''
      out.line(`    tlv[${i}] ${tlvTypeName(t.tlvType)}${name} (length ${t.lengthField})  ${fields(t, ['kind', 'tlvType', 'lengthField'])}`)
    })
    for (const f of frame.ptp.findings) out.line(findingText(f, '@'))
  }
  for (const f of frame.findings) out.line(findingText(f, 'frame @'))
}
