/**
 * One look at the DUT's unicast negotiation, both sides, shared by INT-07 (grants, renewal,
 * cancellation) and TLV-TEL-01 (the four TLVs' formats) and made once per session:
 *
 * - as master: the emulated slave asks the DUT for Announce, Sync and the delay service at the
 *   DUT's configured rates, watches the service flow, then cancels Sync;
 * - as slave: the emulated grandmaster grants what the DUT asks for, as asked, and watches it ask,
 *   follow and renew each grant before it runs out; then it cancels Sync.
 *
 * A DUT that never asks, never answers or never renews is not a harness error: the recording
 * says what came (or that nothing did), and the judge turns it into a FAIL naming it.
 */
import type { TestContext } from '../../harness/run/context.ts'
import type { Session } from '../../harness/run/session_types.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import { TestSlave } from '../../harness/engines/test_slave.ts'
import { TestMaster } from '../../harness/engines/test_master.ts'
import { testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import type { ServiceRequest } from '../../harness/engines/unicast/requester.ts'
import type { NegotiatingMaster } from '../../harness/engines/unicast/grantor.ts'
import type { UnicastService } from '../../harness/engines/unicast/services.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'
import { masterConfig, type StateRead, waitForState, isSlave, lockTimeoutMs } from './grandmasters.ts'
import { negotiatingMaster, negotiatingObserver } from './unicast.ts'
import { requestDurationS } from '../../harness/engines/unicast/services.ts'

/** How long each side waits for the DUT's first grant or request. */
export const NEGOTIATION_WAIT_MS = 15_000
/** The service the harness cancels on each side. */
export const CANCELLED: UnicastService = 'Sync'

export interface DutAsGrantor {
  recorder: Recorder
  /** What the harness asked for, and for how long (s). */
  requested: ServiceRequest[]
  durationS: number
  /** When the harness sent its CANCEL of `CANCELLED` (absent: the DUT never granted it). */
  cancelAtNs?: bigint
  /** A request for a duration outside the profile's range, sent after the cancel (absent where the profile has none). */
  probe?: { atNs: bigint; service: UnicastService; durationS: number }
  startNs: bigint
  endNs: bigint
}

export interface DutAsGrantee {
  recorder: Recorder
  /** The DUT's states while it negotiated and followed. */
  lock: StateRead[]
  cancelAtNs?: bigint
  /** When the grandmaster cancelled the DUT's Delay_Resp service too (its Delay_Req must stop). */
  delayRespCancelAtNs?: bigint
  startNs: bigint
  endNs: bigint
  /** Why the watch ended: every granted service renewed, or the first grant's expiry (+2 s) came. */
  endedBy: 'renewed' | 'expiry' | 'no-request'
}

export interface NegotiationEvidence {
  asMaster: DutAsGrantor
  asSlave: DutAsGrantee
}

const cache = new WeakMap<Session, Promise<NegotiationEvidence>>()

export function acquireNegotiation(ctx: TestContext): Promise<NegotiationEvidence> {
  let p = cache.get(ctx.session)
  if (!p) {
    p = (async () => ({ asMaster: await dutAsGrantor(ctx), asSlave: await dutAsGrantee(ctx) }))()
    cache.set(ctx.session, p)
    p.catch(() => cache.delete(ctx.session))
  }
  return p
}

async function dutAsGrantor(ctx: TestContext): Promise<DutAsGrantor> {
  const s = ctx.session
  ctx.step('starting the DUT as grandmaster; the emulated slave asks it for Announce, Sync and the delay service')
  await s.restartDut('master', ctx.signal)
  const slave = new TestSlave(testSlaveConfigFromProfile(ctx.profile, { name: 'requester', clockIdentity: s.harnessClockIdentity(0), intervals: configuredIntervals(s.dutSettings) }, { header: s.headerDefaults(), delayMechanism: s.delayMechanism }))
  const requester = negotiatingObserver(ctx, slave)
  const startNs = systemTimeNs()
  const handle = s.drive(new EngineGroup('negotiation', [requester]))
  const out: DutAsGrantor = { recorder: handle.recorder, requested: [...requester.requests], durationS: requestDurationS(s.dutSettings, ctx.profile), startNs, endNs: startNs }
  try {
    const granted = await until(ctx, () => requester.services.get(CANCELLED)?.state === 'granted', NEGOTIATION_WAIT_MS)
    const syncMs = logIntervalToMs(s.dutSettings.intervals.sync.value)
    const announceMs = logIntervalToMs(s.dutSettings.intervals.announce.value)
    if (granted) {
      ctx.step(`the DUT granted ${CANCELLED}; watching the service for ${Math.round(Math.max(4000, 8 * announceMs) / 1000)} s, then cancelling it`)
      await ctx.sleep(Math.max(4000, 8 * announceMs))
      out.cancelAtNs = systemTimeNs()
      handle.driver.invoke((now) => requester.cancel(CANCELLED, now))
      await ctx.sleep(Math.max(2000, 8 * syncMs))
      const range = ctx.profile.transport.grantDuration?.range.value
      if (range) {
        // A request the profile does not allow: half its shortest grant duration.
        const probe = { atNs: systemTimeNs(), service: 'Announce' as const, durationS: Math.max(1, Math.floor(range[0] / 2)) }
        ctx.step(`asking for Announce for ${probe.durationS} s, outside the profile's ${range[0]} … ${range[1]} s`)
        out.probe = probe
        handle.driver.invoke((now) => requester.probe(probe.service, s.dutSettings.intervals.announce.value, probe.durationS, now))
        await ctx.sleep(1500)
      }
    } else ctx.step(`no grant of ${CANCELLED} within ${NEGOTIATION_WAIT_MS / 1000} s; keeping what arrived as evidence`)
  } finally {
    out.endNs = systemTimeNs()
    await handle.close()
  }
  return out
}

async function dutAsGrantee(ctx: TestContext): Promise<DutAsGrantee> {
  const s = ctx.session
  ctx.step('starting the DUT as a slave of the emulated grandmaster, which grants what it asks for')
  await s.restartDut('slave', ctx.signal)
  const gm = negotiatingMaster(ctx, new TestMaster(masterConfig(ctx, { name: 'gm', identity: 1 })), 1)
  const startNs = systemTimeNs()
  const handle = s.drive(new EngineGroup('negotiation', [gm]))
  const out: DutAsGrantee = { recorder: handle.recorder, lock: [], startNs, endNs: startNs, endedBy: 'no-request' }
  try {
    const i = s.dutSettings.intervals
    const locked = await waitForState(ctx, isSlave, lockTimeoutMs(i.announce.value, s.dutSettings.announceReceiptTimeout.value, s.dutSettings))
    out.lock = locked.history
    const first = gm.grants.values().next().value
    if (first !== undefined || gm.events.length) {
      out.endedBy = await watchRenewals(ctx, gm)
      out.cancelAtNs = systemTimeNs()
      if (gm.grants.has(CANCELLED)) {
        const delay = gm.grants.has('Delay_Resp')
        ctx.step(`cancelling ${CANCELLED}${delay ? ' and Delay_Resp' : ''}; the DUT should acknowledge${delay ? ' and stop its Delay_Req' : ''}`)
        if (delay) out.delayRespCancelAtNs = out.cancelAtNs
        handle.driver.invoke((now) => [...gm.cancel(CANCELLED, now), ...gm.cancel('Delay_Resp', now)])
        await ctx.sleep(2000)
      } else delete out.cancelAtNs
    } else ctx.step('the DUT asked for nothing; keeping what arrived as evidence')
  } finally {
    out.endNs = systemTimeNs()
    await handle.close()
  }
  return out
}

/** Watch until every grant has been renewed once, or the first grant's expiry plus 2 s has passed. */
async function watchRenewals(ctx: TestContext, gm: NegotiatingMaster): Promise<'renewed' | 'expiry'> {
  const expiries = [...gm.grants.values()].map((g) => g.expiresAtNs)
  const deadline = (expiries.length ? expiries.reduce((a, b) => (a < b ? a : b)) : systemTimeNs()) + 2_000_000_000n
  ctx.step(`watching the DUT renew its grants (until ${Math.max(0, Math.round(Number(deadline - systemTimeNs()) / 1e9))} s from now at most)`)
  while (systemTimeNs() < deadline) {
    const all = [...gm.grants.values()]
    if (all.length && all.every((g) => g.renewals > 0)) return 'renewed'
    await ctx.sleep(250)
  }
  return 'expiry'
}

async function until(ctx: TestContext, cond: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now()
  while (Date.now() - t0 < ms) {
    if (cond()) return true
    await ctx.sleep(100)
  }
  return cond()
}

