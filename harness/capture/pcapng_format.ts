/**
 * Constants of the pcapng format (IETF draft-ietf-opsawg-pcapng): block types,
 * option codes, the byte-order magic. Shared by the reader and the writer.
 */
export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete Packet Block (pcapng 1.0 drafts); still read. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
} as const

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d

export const Option = {
  END: 0,
  COMMENT: 1,
  SHB_HARDWARE: 2,
  SHB_OS: 3,
  SHB_USERAPPL: 4,
  IF_NAME: 2,
  IF_DESCRIPTION: 3,
  IF_TSRESOL: 9,
  IF_FCSLEN: 13,
  IF_TSOFFSET: 14,
  EPB_FLAGS: 2,
} as const

/**
 * Largest block the reader accepts. Wireshark's own limit is of this order; a
 * garbage length field must not make us allocate gigabytes.
 */
export const MAX_BLOCK_LENGTH = 64 << 20

export function pad4(n: number): number {
  return (n + 3) & ~3
}
