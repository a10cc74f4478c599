/**
 * Where a layer's payload lies, filled in by the layer decoders. decodeFrame reuses one cursor
 * per call instead of allocating a result wrapper per layer (the frame path runs millions of
 * times per second in benchmarks).
 */
export interface FrameCursor {
  /** Absolute offset of the payload. */
  offset: number
  /** Absolute end of the payload (exclusive). */
  end: number
  /** IP layers: 16-bit word sum of source and destination address (UDP pseudo-header). */
  addressSum: number
  /** IP layers: the upper-layer protocol after extension headers. */
  protocol: number
}

export function newCursor(): FrameCursor {
  return { offset: 0, end: 0, addressSum: 0, protocol: 0 }
}
