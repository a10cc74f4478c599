/**
 * Capture files: streaming pcapng / pcap readers and a pcapng writer.
 * Timestamps are bigint nanoseconds throughout.
 */
export { CaptureError } from './errors.ts'
export { LinkType, linkTypeName, type LinkTypeValue } from './link_types.ts'
export { CapturePacket, type CaptureInterface, type CaptureReader } from './packet.ts'
export { openCapture, readCapture } from './open.ts'
export { PcapngReader, type PcapngSection } from './pcapng_reader.ts'
export { PcapReader, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap_reader.ts'
export {
  PcapngWriter,
  encodePcapng,
  writePcapngFile,
  type PcapngInterfaceSpec,
  type PcapngPacketSpec,
  type PcapngWriterOptions,
} from './pcapng_writer.ts'
export { MemorySource, FileSource, type ByteSource } from './byte_source.ts'
