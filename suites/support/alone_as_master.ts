/**
 * The DUT restarted as a master alone on its link, with the harness as its link partner (a
 * peer-delay responder: an 802.1AS port sends nothing until it has measured its link), until
 * its first Sync: INT-06 and P2P-04 then change what the partner does and watch the DUT's Sync.
 * A DUT that never sends Sync this way is a FAIL naming what it sent.
 */
import type { Check } from '../../harness/verdict/verdict.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { DriverHandle } from '../../harness/run/session_types.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { PortIdentity } from '../../harness/codec/types.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import type { Engine } from '../../harness/engines/actions.ts'
import type { TestMaster } from '../../harness/engines/test_master.ts'
import { systemTimeNs } from '../../harness/transport/clocks.ts'
import { linkPeer } from './grandmasters.ts'

export const SYNC_WAIT_MS = 15_000

export interface AloneStart {
  /** The DUT's first Sync (undefined: none within SYNC_WAIT_MS). */
  firstSyncNs?: bigint
  waitedMs: number
  /** When the link partner began answering, where it was held silent at first (timestamp clock). */
  answersFromNs?: bigint
}

const dutSync = (rec: Recorder) => rec.frames.find((f) => f.direction === 'in' && f.message?.type === 'Sync')

/**
 * Restart the DUT as master, drive `group` name with the link peer ('link-peer') and any `others`,
 * wait for its first Sync. With `answersAfterMs` the link peer leaves the DUT's Pdelay_Req
 * unanswered that long first (past the DUT's LISTENING), so its first answers decide asCapable.
 */
export async function startAloneAsMaster(ctx: TestContext, name: string, others: Engine[] = [], o: { answersAfterMs?: number } = {}): Promise<AloneStart & { handle: DriverHandle; group: EngineGroup }> {
  await ctx.session.restartDut('master', ctx.signal)
  const peer = linkPeer(ctx)
  if (o.answersAfterMs) peer.silence({ announce: false, sync: false, answers: true })
  const group = new EngineGroup(name, [peer, ...others])
  const handle = ctx.session.drive(group)
  let answersFromNs: bigint | undefined
  if (o.answersAfterMs) {
    await ctx.sleep(o.answersAfterMs)
    handle.driver.invoke((now) => group.control<TestMaster>('link-peer', (p) => p.resume(now, { announce: false, sync: false, answers: true })))
    answersFromNs = systemTimeNs()
  }
  const t0 = Date.now()
  while (Date.now() - t0 < SYNC_WAIT_MS && !ctx.signal.aborted && !dutSync(handle.recorder)) await ctx.sleep(100)
  const first = dutSync(handle.recorder)?.timestampNs
  return { handle, group, waitedMs: Date.now() - t0, ...(answersFromNs !== undefined ? { answersFromNs } : {}), ...(first !== undefined && first !== null ? { firstSyncNs: first } : {}) }
}

/** The FAIL of a DUT that sent no Sync as master, naming what it did send; undefined when it did. */
export function noSyncAsMaster(d: AloneStart & { recorder?: Recorder }, name: string, source: string): Check | undefined {
  if (d.firstSyncNs !== undefined) return undefined
  const types = [...new Set((d.recorder?.frames ?? []).filter((f) => f.direction === 'in').map((f) => f.message?.type ?? 'undecodable'))]
  return { name, measured: 'no Sync', limit: `a Sync within ${SYNC_WAIT_MS} ms of starting as master`, source, verdict: 'fail', detail: `in ${d.waitedMs} ms the DUT sent ${types.join(', ') || 'nothing'}` }
}

/** The DUT's port identity from its first recorded Pdelay_Req (the requester the link partner answers); undefined: it sent none. */
export function dutPortFromPdelayReq(rec: Recorder): PortIdentity | undefined {
  return rec.frames.find((f) => f.direction === 'in' && f.message?.type === 'Pdelay_Req')?.message?.header.sourcePortIdentity
}

/**
 * The FAIL of a DUT master that sends Sync but no Pdelay_Req (so no answer can be withheld or
 * faked): an 802.1AS port measures its link before it may be asCapable. Undefined when it did.
 */
export function noPdelayReq(d: AloneStart & { dutPort?: PortIdentity; recorder?: Recorder }, name: string, source: string): Check | undefined {
  if (d.dutPort !== undefined || d.firstSyncNs === undefined) return undefined
  const syncs = (d.recorder?.frames ?? []).filter((f) => f.direction === 'in' && f.message?.type === 'Sync').length
  return { name, measured: 'no Pdelay_Req', limit: 'Pdelay_Req while sending Sync', source, verdict: 'fail', detail: `the DUT sent ${syncs} Sync and no Pdelay_Req in the 2 s after its first Sync` }
}
