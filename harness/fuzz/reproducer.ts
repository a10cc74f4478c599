/**
 * A fuzz failure's reproducer: the frames of the smallest failing sequence as they left the
 * harness port, in a pcapng that opens in Wireshark (each frame says which case it belongs to
 * and what was done to it), with the seed, the cases and what each frame was meant to be in the
 * section comment. `ptp-conform replay FILE` reads it back and sends the same octets at the same
 * offsets. Pure: frames and facts in, bytes out, and back.
 */
import { IPV4_PTP_PDELAY, IPV6_PTP_PDELAY, MAC_PTP_PDELAY, MAC_PTP_PRIMARY } from '../codec/constants.ts'
import { decodeFrame } from '../codec/framing/frame.ts'
import type { PortIdentity } from '../codec/types.ts'
import type { PcapngReader } from '../capture/pcapng_reader.ts'
import { readCapture } from '../capture/open.ts'
import { LinkType } from '../capture/link_types.ts'
import type { RecordedFrame } from '../recorder/frame.ts'
import { recordingToPcapng } from '../recorder/pcapng_export.ts'
import type { TransportName } from '../profiles/types.ts'
import type { HealthProblem } from './health.ts'
import type { FuzzSender } from './target.ts'

export const REPRODUCER_FORMAT = 'ptp-conform-fuzz-reproducer/1'
const META_PREFIX = `${REPRODUCER_FORMAT} `

export interface ReproducerFrameFacts {
  caseId: string
  sender: FuzzSender
  /** Where it went: the profile's primary or peer-delay address, or the DUT's own. */
  destination: 'primary' | 'pdelay' | 'unicast'
  /** The PTP message's own octet count (an Ethernet frame may carry padding after it). */
  octets: number
}

export interface ReproducerMeta {
  format: typeof REPRODUCER_FORMAT
  seed: number
  profile: string
  transport: TransportName
  domainNumber: number
  grandmaster: PortIdentity
  stranger: PortIdentity
  /** The cases of the sequence, with what each does. */
  cases: { id: string; description: string }[]
  /** What the DUT did when the sequence was sent. */
  problems: HealthProblem[]
  /** Per frame, in file order. */
  frames: ReproducerFrameFacts[]
}

export interface ReproducerFrame extends ReproducerFrameFacts {
  octets: number
  payload: Uint8Array
  /** After the first frame. */
  offsetNs: bigint
}

export class ReproducerError extends Error {
  override name = 'ReproducerError'
}

/** Where a recorded frame went, by the Annex E/F addresses (a peer-delay group, another group, or one host). */
function destinationOf(f: RecordedFrame): ReproducerFrameFacts['destination'] {
  if (f.dstIp) return f.dstIp === IPV4_PTP_PDELAY || f.dstIp === IPV6_PTP_PDELAY ? 'pdelay' : isMulticastIp(f.dstIp) ? 'primary' : 'unicast'
  const mac = f.dstMac?.toLowerCase().replace(/-/g, ':')
  return mac === MAC_PTP_PDELAY ? 'pdelay' : mac === undefined || mac === MAC_PTP_PRIMARY ? 'primary' : 'unicast'
}

const isMulticastIp = (ip: string) => (ip.includes(':') ? ip.toLowerCase().startsWith('ff') : Number(ip.split('.')[0]) >= 224 && Number(ip.split('.')[0]) <= 239)

/** The reproducer file for these sent frames (the fuzz engine's, in TX order). */
export function reproducerPcapng(sent: readonly RecordedFrame[], meta: Omit<ReproducerMeta, 'format' | 'frames'>, sender: (f: RecordedFrame) => FuzzSender, caseOf: (f: RecordedFrame) => string): Uint8Array {
  const ordered = [...sent].filter((f) => f.timestampNs !== null).sort((a, b) => (a.timestampNs! < b.timestampNs! ? -1 : a.timestampNs! > b.timestampNs! ? 1 : 0))
  const frames = ordered.map((f): ReproducerFrameFacts => ({
    caseId: caseOf(f),
    sender: sender(f),
    destination: destinationOf(f),
    octets: f.bytes.length,
  }))
  const full: ReproducerMeta = { format: REPRODUCER_FORMAT, ...meta, frames }
  return recordingToPcapng(ordered, {
    comment: [
      `ptp-conform fuzz reproducer: seed ${meta.seed}, cases ${meta.cases.map((c) => c.id).join(', ')}, profile ${meta.profile}; replay with: ptp-conform replay FILE (--lab | --interface IF --dut FILE)`,
      META_PREFIX + JSON.stringify(full),
    ],
  })
}

/** The frames and facts of a reproducer file's bytes. */
export function readReproducer(bytes: Uint8Array): { meta: ReproducerMeta; frames: ReproducerFrame[] } {
  let reader
  try {
    reader = readCapture(bytes)
  } catch (e) {
    throw new ReproducerError(`not a capture file: ${(e as Error).message}`)
  }
  const packets = [...reader]
  const sections = (reader as PcapngReader).sections ?? []
  const text = sections[0]?.comments.find((c) => c.startsWith(META_PREFIX))
  if (!text) throw new ReproducerError('not a ptp-conform fuzz reproducer (its section comment has no reproducer facts)')
  let meta: ReproducerMeta
  try {
    meta = JSON.parse(text.slice(META_PREFIX.length)) as ReproducerMeta
  } catch (e) {
    throw new ReproducerError(`the reproducer facts are not JSON: ${(e as Error).message}`)
  }
  if (meta.format !== REPRODUCER_FORMAT) throw new ReproducerError(`reproducer format '${meta.format}', this version reads ${REPRODUCER_FORMAT}`)
  if (meta.frames.length !== packets.length) throw new ReproducerError(`the facts name ${meta.frames.length} frames, the file holds ${packets.length}`)
  const t0 = packets[0]?.timestampNs ?? 0n
  const frames = packets.map((p, i): ReproducerFrame => {
    const facts = meta.frames[i]!
    if (p.linkType !== LinkType.ETHERNET) throw new ReproducerError(`frame ${i + 1}: link type ${p.linkType}, a reproducer holds Ethernet frames`)
    const d = decodeFrame(p.data, 'ethernet')
    if (d.ptpOffset < 0) throw new ReproducerError(`frame ${i + 1} holds no PTP message (${d.notPtp ?? 'unknown'})`)
    const payload = p.data.slice(d.ptpOffset, d.ptpOffset + Math.min(facts.octets, d.ptpLength))
    return { ...facts, payload, offsetNs: (p.timestampNs ?? t0) - t0 }
  })
  return { meta, frames }
}
