/**
 * Byte-level edits after encoding (FrameEdit), for mutations the message model cannot carry:
 * a messageLength that lies about the frame, a frame cut short, trailing octets.
 */
import type { FrameEdit, SendAction } from './actions.ts'
import { encodeMessage } from '../codec/message.ts'

/** A copy of the encoded PTP message with the edit applied. */
export function applyFrameEdit(encoded: Uint8Array, edit: FrameEdit | undefined): Uint8Array {
  if (!edit) return encoded
  let out = encoded.slice()
  if (edit.messageLengthDelta) {
    if (out.length < 4) throw new RangeError('message too short to carry messageLength')
    const len = ((out[2]! << 8) | out[3]!) + edit.messageLengthDelta
    if (len < 0 || len > 0xffff) throw new RangeError(`messageLength ${len} does not fit 16 bits`)
    out[2] = len >> 8
    out[3] = len & 0xff
  }
  if (edit.truncateBy) {
    if (edit.truncateBy < 0 || edit.truncateBy > out.length) throw new RangeError(`cannot truncate ${out.length} octets by ${edit.truncateBy}`)
    out = out.slice(0, out.length - edit.truncateBy)
  }
  if (edit.append && edit.append.length > 0) {
    const grown = new Uint8Array(out.length + edit.append.length)
    grown.set(out, 0)
    grown.set(edit.append, out.length)
    out = grown
  }
  return out
}

/** The octets a send action puts on the wire: its own, or its message encoded and edited. */
export function actionOctets(a: Pick<SendAction, 'message' | 'encode' | 'frameEdit' | 'octets'>): Uint8Array {
  return a.octets ?? applyFrameEdit(encodeMessage(a.message, a.encode), a.frameEdit)
}
