/**
 * A reproducer's frames as fuzz cases again, so `replay` sends them through the same engine and
 * health check as the campaign that found them: the same octets at the same offsets, each case's
 * frames together. Unicast frames go to this run's DUT from this run's sender addresses; every
 * frame must pass the replay safety rule (the run's domain, no management SET unasked). Pure.
 */
import { isEventMessage, MESSAGE_TYPE_NAMES } from '../codec/constants.ts'
import { decodeMessage } from '../codec/message.ts'
import type { PtpMessage } from '../codec/types.ts'
import { SeededRandom } from '../engines/random.ts'
import { baseMessage } from './base_messages.ts'
import type { FuzzCase, FuzzFrame } from './cases.ts'
import type { ReproducerFrame, ReproducerMeta } from './reproducer.ts'
import { replayRefusal } from './safety.ts'
import type { FuzzTarget } from './target.ts'

export class ReplayRefused extends Error {
  override name = 'ReplayRefused'
}

/** What the frame was meant to be, for the recorder: its decoding, else a valid message of its type nibble. */
function meantMessage(t: FuzzTarget, f: ReproducerFrame): PtpMessage {
  try {
    return decodeMessage(f.payload).message
  } catch {
    const type = MESSAGE_TYPE_NAMES[f.payload[0]! & 0x0f] ?? 'Announce'
    return baseMessage(t, f.sender, type, 0n, new SeededRandom(0))
  }
}

export function replayCases(t: FuzzTarget, meta: ReproducerMeta, frames: readonly ReproducerFrame[]): FuzzCase[] {
  frames.forEach((f, i) => {
    const why = replayRefusal(f.payload, { domainNumber: t.header.domainNumber, allowManagementSet: t.allowManagementSet })
    if (why) throw new ReplayRefused(`frame ${i + 1} (case ${f.caseId}) may not be sent in this run: ${why}`)
  })
  const byCase = new Map<string, ReproducerFrame[]>()
  for (const f of frames) byCase.set(f.caseId, [...(byCase.get(f.caseId) ?? []), f])
  return [...byCase.entries()].map(([id, list]): FuzzCase => {
    const start = list[0]!.offsetNs
    const description = meta.cases.find((c) => c.id === id)?.description ?? 'from a reproducer'
    return {
      id,
      family: 'replayed',
      offsetNs: start,
      description,
      frames: list.map((f): FuzzFrame => {
        const message = meantMessage(t, f)
        const unicast = f.destination === 'unicast' && t.unicast
        const source = unicast ? t.unicast![f.sender] : undefined
        return {
          octets: f.payload,
          event: isEventMessage(f.payload[0]! & 0x0f),
          offsetNs: f.offsetNs - start,
          sender: f.sender,
          message,
          destination: unicast ? { kind: 'unicast', address: t.unicast!.dut } : { kind: f.destination === 'pdelay' ? 'pdelay' : 'primary' },
          ...(source ? { source } : {}),
          what: [`replayed from case ${id}`],
        }
      }),
    }
  })
}
