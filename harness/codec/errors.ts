/**
 * The only exception decodeMessage / decodeFrame ever throw: the input cannot be decoded at all
 * (too short for the header or the fixed body, reserved messageType). Everything that can still
 * be decoded is reported as a Finding instead.
 */
export class CodecError extends Error {
  /** Octet offset (from the start of the PTP message, or of the frame for framing errors). */
  readonly offset: number
  /** IEEE 1588 field name where decoding stopped. */
  readonly field: string

  constructor(message: string, offset: number, field: string) {
    super(message)
    this.name = 'CodecError'
    this.offset = offset
    this.field = field
  }
}
