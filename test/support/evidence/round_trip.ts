/** Evidence through the JSON codec and back, as `rejudge` reads it from disk. */
import { decodeEvidence, encodeEvidence } from '../../../harness/run/evidence_codec.ts'

export function roundTrip<T>(ev: T): T {
  return decodeEvidence<T>(encodeEvidence(ev))
}
