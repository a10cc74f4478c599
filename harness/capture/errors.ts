/**
 * The single error type of the capture readers.
 *
 * A capture file that cannot be read further (wrong magic, a block whose length
 * runs past the end of the file, an Enhanced Packet Block naming an interface
 * that was never described...) raises a CaptureError carrying the file offset
 * of the offending block. Packets before that block have already been handed
 * out by the iterator, so nothing that was readable is lost.
 */
export class CaptureError extends Error {
  constructor(
    message: string,
    /** Octet offset in the file of the block or record that could not be read. */
    readonly offset: number,
  ) {
    super(`${message} (at file offset ${offset})`)
    this.name = 'CaptureError'
  }
}
