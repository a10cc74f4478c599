/**
 * The codec's side of the oracle: read a capture with harness/capture, decode
 * every frame with decodeFrame, check encode(decode(bytes)) against the bytes.
 */
import { openCapture } from '../../../harness/capture/index.ts'
import { decodeFrame, encodeMessage, linkTypeFromPcap, type Finding, type FrameDecode } from '../../../harness/codec/index.ts'
import type { OurFrame } from './compare.ts'
import { hex } from './values.ts'

export interface DecodedCapture {
  /** PTP frames the codec decoded, by frame number (1-based). */
  frames: Map<number, OurFrame & { frame: FrameDecode }>
  /** PTP frames the codec could not decode. */
  undecodable: { frame: number; offset: number; message: string }[]
  /** Frames that are not PTP (skipped). */
  notPtp: number
  /** Every finding, with its frame number. */
  findings: { frame: number; finding: Finding }[]
  /** Frames where encodeMessage(decode(bytes)) differs from bytes. */
  roundTripFailures: { frame: number; detail: string }[]
  totalFrames: number
}

export function decodeCapture(file: string): DecodedCapture {
  const out: DecodedCapture = { frames: new Map(), undecodable: [], notPtp: 0, findings: [], roundTripFailures: [], totalFrames: 0 }
  for (const p of openCapture(file)) {
    out.totalFrames++
    const number = p.index + 1
    const lt = linkTypeFromPcap(p.linkType)
    if (lt === undefined) {
      out.notPtp++
      continue
    }
    const data = p.data
    const frame = decodeFrame(data, lt)
    if (frame.notPtp !== undefined) {
      out.notPtp++
      continue
    }
    for (const finding of frame.findings) out.findings.push({ frame: number, finding })
    if (frame.ptpError || !frame.ptp) {
      out.undecodable.push({ frame: number, offset: frame.ptpOffset + (frame.ptpError?.offset ?? 0), message: frame.ptpError?.message ?? 'no result' })
      continue
    }
    for (const finding of frame.ptp.findings) out.findings.push({ frame: number, finding })
    const encoded = encodeMessage(frame.ptp.message)
    const original = data.subarray(frame.ptpOffset, frame.ptpOffset + frame.ptpLength)
    if (hex(encoded) !== hex(original)) {
      let at = 0
      while (at < Math.min(encoded.length, original.length) && encoded[at] === original[at]) at++
      out.roundTripFailures.push({
        frame: number,
        detail: `${frame.ptp.message.type}: first difference at PTP offset ${at} (ours ${encoded.length} octets, wire ${original.length})`,
      })
    }
    out.frames.set(number, { number, message: frame.ptp.message, ptpOffset: frame.ptpOffset, encoded, frame })
  }
  return out
}
