/** Whether a recorded frame went to a group (multicast) or a single (unicast) address. */
import type { RecordedFrame } from '../../harness/recorder/frame.ts'

/** The I/G bit of the first octet (IEEE 802-2014 8.2). */
export const isMulticastMac = (mac: string) => (parseInt(mac.slice(0, 2), 16) & 1) === 1
/** 224.0.0.0/4 (RFC 5771) or ff00::/8 (RFC 4291 2.7). */
export const isMulticastIp = (ip: string) => /^(22[4-9]|23\d)\./.test(ip) || /^ff/i.test(ip)

/** true: sent to a unicast address; false: to a group; undefined: the capture kept no destination. */
export function sentToUnicast(f: RecordedFrame): boolean | undefined {
  if (f.dstIp) return !isMulticastIp(f.dstIp)
  if (f.dstMac) return !isMulticastMac(f.dstMac)
  return undefined
}
