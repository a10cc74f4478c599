/**
 * Findings that make a message unusable as a whole: its length fields do not describe its
 * octets (IEEE 1588-2019 13.3.2.5 messageLength, 14.1.2 TLV lengthField), so where one field
 * ends and the next begins is unknown. A receiver drops such a message (linuxptp msg.c:
 * -EBADMSG). Reserved bits, unknown TLVs and trailing padding are not among them: those a
 * receiver ignores and still uses the message.
 */
import type { Finding } from '../types.ts'

/** The first finding that makes the message unusable, if any: messageLength wrong, a TLV past the end, a cut TLV header. */
export function malformation(findings: readonly Finding[]): Finding | undefined {
  return findings.find((f) => f.severity === 'error' && (f.field === 'messageLength' || /^tlvs\[\d+\]$/.test(f.field))) ?? tlvOverrun(findings)
}

/** The TLV lengthField that runs past the message (what a fragile parser reads beyond its buffer on). */
export function tlvOverrun(findings: readonly Finding[]): Finding | undefined {
  return findings.find((f) => f.severity === 'error' && /^tlvs\[\d+\]\.lengthField$/.test(f.field) && /runs \d+ octets past/.test(f.message))
}
