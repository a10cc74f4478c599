/**
 * What the capture readers hand out: interfaces and packets.
 *
 * A packet is a small object that points into the chunk of file bytes it was
 * read from; the payload view and the bigint timestamp are computed only when
 * asked for, so iterating a million-packet file costs one small object per
 * packet and nothing else. The chunk is never reused by the reader, so a
 * packet's `data` stays valid after the iterator has moved on.
 */

/** How the two 32-bit timestamp words of a record turn into nanoseconds. */
export type TimestampToNs = (high: number, low: number) => bigint

/** One capture interface: an IDB in pcapng, the whole file in classic pcap. */
export interface CaptureInterface {
  /** Position in `CaptureReader.interfaces` (unique across pcapng sections). */
  readonly index: number
  /** pcapng section the interface belongs to (0 for classic pcap). */
  readonly section: number
  /** Interface ID as packets of its section refer to it. */
  readonly interfaceId: number
  /** LINKTYPE_* value; see link_types.ts. */
  readonly linkType: number
  /** Maximum captured length; 0 = unlimited. */
  readonly snapLength: number
  /** if_name option, when present. */
  readonly name: string | undefined
  /** if_description option, when present. */
  readonly description: string | undefined
  /**
   * Timestamp resolution as stored in if_tsresol (pcapng) or implied by the
   * magic number (pcap): `{ base: 10, exponent: 9 }` means units of 10^-9 s.
   */
  readonly resolution: { readonly base: 2 | 10; readonly exponent: number }
  /** if_tsoffset in seconds (pcapng); already included in packet timestamps. */
  readonly timestampOffsetSeconds: bigint
  /** Converts the record's high and low timestamp words to ns since the epoch. */
  readonly timestampToNs: TimestampToNs
}

const NO_COMMENTS: readonly string[] = Object.freeze([])

export class CapturePacket {
  constructor(
    /** 0-based number of the packet in the file (what tshark shows as frame.number - 1). */
    readonly index: number,
    /** Octet offset in the file of the block or record that holds the packet. */
    readonly fileOffset: number,
    /** Interface the packet was captured on. */
    readonly iface: CaptureInterface,
    /** Length of the packet on the wire (may exceed capturedLength when snapped). */
    readonly originalLength: number,
    /** pcapng opt_comment values of the packet, in file order. */
    readonly comments: readonly string[],
    private readonly chunk: Uint8Array,
    private readonly dataOffset: number,
    /** Number of octets captured (the length of `data`). */
    readonly capturedLength: number,
    tsHigh: number,
    tsLow: number,
    private readonly hasTimestamp: boolean,
  ) {
    // Kept as int32: a uint32 above 2^31 would be a heap-allocated double in every packet.
    this.tsHigh = tsHigh | 0
    this.tsLow = tsLow | 0
  }

  private readonly tsHigh: number
  private readonly tsLow: number

  /** LINKTYPE_* of the packet's interface. */
  get linkType(): number {
    return this.iface.linkType
  }

  /** Interface ID within the packet's pcapng section (0 for classic pcap). */
  get interfaceId(): number {
    return this.iface.interfaceId
  }

  /** The captured octets, starting with the link-layer header. */
  get data(): Uint8Array {
    // The constructor is about twice as fast as subarray() (no species lookup).
    const c = this.chunk
    return new Uint8Array(c.buffer, c.byteOffset + this.dataOffset, this.capturedLength)
  }

  /** Capture time in ns since 1970-01-01 00:00:00 UTC; null for a pcapng Simple Packet Block, which carries no time. */
  get timestampNs(): bigint | null {
    return this.hasTimestamp ? this.iface.timestampToNs(this.tsHigh >>> 0, this.tsLow >>> 0) : null
  }

  static readonly noComments = NO_COMMENTS
}

/** Reader for either file format; iterate it (or `packets()`) to stream packets. */
export interface CaptureReader extends Iterable<CapturePacket> {
  readonly format: 'pcapng' | 'pcap'
  /** Interfaces seen so far; a pcapng file can add interfaces between packets. */
  readonly interfaces: readonly CaptureInterface[]
  /** pcapng blocks that were skipped because they carry no packets (name resolution, statistics, custom...). */
  readonly skippedBlocks: number
  /**
   * Streams the packets in file order. Throws CaptureError at the first block
   * that cannot be read, after every packet before it has been yielded.
   * A reader can be iterated once.
   */
  packets(): IterableIterator<CapturePacket>
  /** Releases the file; called automatically when iteration ends. */
  close(): void
}
