/**
 * Reading a ptp4l DUT's view over its UDS management socket while emulated clocks run:
 * one offset sample per Sync (deduplicated by TIME_STATUS_NP ingress_time) and the
 * grandmaster it follows, each answer bracketed by the timestamp clock.
 */
import { pmcRun, type PmcTarget } from '../../../harness/dut/index.ts'
import { systemTimeNs } from '../../../harness/transport/index.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The DUT's offsetFromMaster (ns) for `count` distinct Syncs, polled every `periodMs`. */
export async function sampleOffsets(target: PmcTarget, count: number, periodMs = 50, timeoutMs = 20_000): Promise<bigint[]> {
  const seen = new Set<string>()
  const out: bigint[] = []
  const deadline = Date.now() + timeoutMs
  while (out.length < count && Date.now() < deadline) {
    const { perCommand } = await pmcRun(target, ['GET TIME_STATUS_NP'])
    const r = perCommand[0]?.[0]
    const ingress = r?.fields.ingress_time
    const offset = r?.fields.master_offset
    if (r && !r.error && ingress !== undefined && offset !== undefined && ingress !== '0' && !seen.has(ingress)) {
      seen.add(ingress)
      out.push(BigInt(offset))
    }
    await sleep(periodMs)
  }
  if (out.length < count) throw new Error(`only ${out.length} of ${count} offset samples within ${timeoutMs} ms`)
  return out
}

export interface ParentObservation {
  grandmasterIdentity: string
  /** Timestamp clock just before the request and just after the answer. */
  beforeNs: bigint
  afterNs: bigint
}

export async function readParent(target: PmcTarget): Promise<ParentObservation | undefined> {
  const beforeNs = systemTimeNs()
  const { perCommand } = await pmcRun(target, ['GET PARENT_DATA_SET'])
  const afterNs = systemTimeNs()
  const r = perCommand[0]?.[0]
  const gm = r?.fields.grandmasterIdentity
  if (!r || r.error || gm === undefined) return undefined
  return { grandmasterIdentity: gm.toLowerCase(), beforeNs, afterNs }
}

/** Polls until the DUT reports `grandmasterIdentity`; returns the first such observation and the one before it. */
export async function waitForGrandmaster(
  target: PmcTarget,
  grandmasterIdentity: string,
  timeoutMs: number,
  periodMs = 20,
): Promise<{ first: ParentObservation; previous: ParentObservation | undefined; last: ParentObservation | undefined }> {
  const deadline = Date.now() + timeoutMs
  let previous: ParentObservation | undefined
  let last: ParentObservation | undefined
  for (;;) {
    const o = await readParent(target)
    if (o) {
      if (o.grandmasterIdentity === grandmasterIdentity) return { first: o, previous, last }
      previous = o
      last = o
    }
    if (Date.now() > deadline) {
      throw new Error(`DUT did not take ${grandmasterIdentity} as grandmaster within ${timeoutMs} ms (last seen: ${last?.grandmasterIdentity ?? 'nothing'})`)
    }
    await sleep(periodMs)
  }
}

/** |x| for bigint. */
export function abs(x: bigint): bigint {
  return x < 0n ? -x : x
}
