/**
 * Emulated grandmasters for a DUT slave: the harness is the master (or several
 * masters at once, each with its own clockIdentity) and watches what the DUT decides
 * through its state (management). Used by the tests that need the DUT as a slave:
 * Delay_Req spacing, announce receipt timeout, the BMCA tests and TE-08.
 */
import type { ClockIdentity } from '../../harness/codec/types.ts'
import type { DutState } from '../../harness/dut/types.ts'
import type { Engine, EngineAction } from '../../harness/engines/actions.ts'
import { type GrantorConfig, NegotiatingMaster } from '../../harness/engines/unicast/grantor.ts'
import { negotiatingMaster, negotiatingObserver, negotiationRequired } from './unicast.ts'
import { TestSlave } from '../../harness/engines/test_slave.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import { testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import { type AnnounceDataset, TestMaster, type TestMasterConfig } from '../../harness/engines/test_master.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { DriverHandle } from '../../harness/run/session_types.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { configuredIntervals, type DutSettings } from '../../harness/dut/settings.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'

export interface MasterSpec {
  name: string
  /** Index of the harness clock identity to use (distinct per emulated clock). */
  identity: number
  dataset?: Partial<AnnounceDataset>
  extra?: Partial<TestMasterConfig>
  /** Under a unicast-only profile: what the master grants (default: what the DUT asks for). */
  grantor?: GrantorConfig
}

function masterOf(e: Engine): TestMaster {
  return e instanceof NegotiatingMaster ? e.master : (e as TestMaster)
}

export interface Masters {
  handle: DriverHandle
  group: EngineGroup
  master(name: string): TestMaster
  /** The grantor around a master under a unicast-only profile (undefined otherwise). */
  negotiator(name: string): NegotiatingMaster | undefined
  /** Change a master while it runs (silence, resume, new data set); its actions go through the group. */
  control(name: string, fn: (gm: TestMaster, now: bigint) => EngineAction[] | void): void
  close(): Promise<void>
}

export function masterConfig(ctx: TestContext, spec: MasterSpec, force: Partial<TestMasterConfig> = {}): TestMasterConfig {
  const s = ctx.session
  return testMasterConfigFromProfile(
    ctx.profile,
    { name: spec.name, clockIdentity: s.harnessClockIdentity(spec.identity), intervals: configuredIntervals(s.dutSettings), dataset: spec.dataset },
    { header: s.headerDefaults(), ...spec.extra, ...force },
  )
}

/**
 * The harness as the DUT's link partner on a peer-delay link: it answers Pdelay_Req and sends
 * nothing else. Without it an 802.1AS DUT never becomes asCapable and stays silent.
 */
export function linkPeer(ctx: TestContext): TestMaster {
  return new TestMaster(masterConfig(ctx, { name: 'link-peer', identity: 0, extra: { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' } }))
}

/** A unicast slave of the DUT asking only for its Announce (identity 0, the observer's), at the DUT's configured rate. */
function announceRequester(ctx: TestContext): Engine {
  const s = ctx.session
  const slave = new TestSlave(testSlaveConfigFromProfile(ctx.profile, { name: 'announce-watch', clockIdentity: s.harnessClockIdentity(0), intervals: configuredIntervals(s.dutSettings) }, { header: s.headerDefaults(), delayMechanism: 'E2E', selectMaster: 'manual' }))
  return negotiatingObserver(ctx, slave, { services: [{ service: 'Announce', logInterMessagePeriod: s.dutSettings.intervals.announce.value }] })
}

/** Start the DUT as a slave (fresh, when asked) and drive the emulated masters on the harness port. */
export async function startMasters(
  ctx: TestContext,
  specs: MasterSpec[],
  o: {
    freshDut?: boolean
    role?: 'slave' | 'auto' | 'master'
    /**
     * Unicast-only profiles: also ask the DUT for its Announce (a clock sends them only to those
     * that asked), so the DUT's own Announces are recorded once it is master. Multicast: no effect.
     */
    askDutAnnounce?: boolean
  } = {},
): Promise<Masters> {
  const role = o.role ?? 'slave'
  // A unicast DUT still holds the grants of the previous test's grandmasters (at the same
  // addresses) until they expire: only a fresh start makes it ask anew.
  if (o.freshDut || negotiationRequired(ctx.profile)) await ctx.session.restartDut(role, ctx.signal)
  else await ctx.session.ensureDut(role, ctx.signal)
  const unicast = negotiationRequired(ctx.profile)
  const engines: Engine[] = specs.map((spec) => {
    const gm = new TestMaster(masterConfig(ctx, spec, ctx.session.delayMechanism === 'P2P' ? { delayMechanism: 'none' } : {}))
    // Unicast-only: the grandmaster serves what the DUT negotiated, as it asked (or as spec.grantor says).
    return unicast ? negotiatingMaster(ctx, gm, spec.identity, spec.grantor) : gm
  })
  if (unicast && o.askDutAnnounce) engines.push(announceRequester(ctx))
  if (ctx.session.delayMechanism === 'P2P') {
    // One link, one peer: a single responder answers the DUT's Pdelay_Req for every emulated
    // grandmaster (as a P2P transparent clock would), so silencing a grandmaster never takes the
    // link's peer delay away, and the DUT never sees several responders.
    engines.push(linkPeer(ctx))
  }
  const group = new EngineGroup('masters', engines)
  const handle = ctx.session.drive(group)
  return {
    handle,
    group,
    master: (name) => masterOf(group.get(name)),
    negotiator: (name) => {
      const e = group.get(name)
      return e instanceof NegotiatingMaster ? e : undefined
    },
    control: (name, fn) => handle.driver.invoke((now) => group.control<Engine>(name, (e) => fn(masterOf(e), now))),
    close: () => handle.close(),
  }
}

/** One read of the DUT's state (timestamp clock, ns): what it said, or why it did not answer. */
export interface StateRead {
  /** When the answer was in (the state was sampled between startNs and atNs). */
  atNs: bigint
  /** When the read was sent (absent in older evidence: then only atNs is known). */
  startNs?: bigint
  state?: DutState
  error?: string
}

export interface StateWait {
  /** ms after the wait began when the condition first held; undefined = timed out. */
  atMs: number | undefined
  /** The same instant on the timestamp clock (CLOCK_REALTIME ns), for arithmetic with frame timestamps. */
  atNs: bigint | undefined
  /** Uncertainty of atMs: the poll interval plus the slowest state read seen. */
  resolutionMs: number
  last: DutState | undefined
  /** Every read, in order: evidence of what the DUT said and when (timestamp clock, ns). */
  history: StateRead[]
}

/** Poll the DUT's state until `cond` holds (or timeout). Management is not protocol timing: polling is fine. */
export async function waitForState(ctx: TestContext, cond: (s: DutState) => boolean, timeoutMs: number, pollMs = 50): Promise<StateWait> {
  const t0 = Date.now()
  let last: DutState | undefined
  let slowest = 0
  const history: StateWait['history'] = []
  while (Date.now() - t0 < timeoutMs) {
    const before = Date.now()
    const startNs = systemTimeNs()
    let error: string | undefined
    try {
      last = await ctx.session.dut.readState()
    } catch (err) {
      last = undefined
      error = (err as Error).message
    }
    const after = Date.now()
    const afterNs = systemTimeNs()
    history.push(last ? { atNs: afterNs, startNs, state: last } : { atNs: afterNs, startNs, error: error ?? 'no answer' })
    slowest = Math.max(slowest, after - before)
    if (last && cond(last)) return { atMs: after - t0, atNs: afterNs, resolutionMs: pollMs + slowest, last, history }
    await ctx.sleep(pollMs)
  }
  return { atMs: undefined, atNs: undefined, resolutionMs: pollMs + slowest, last, history }
}

/** Poll the DUT's state for `ms` and keep every read: evidence that a choice held (or did not). */
export async function watchState(ctx: TestContext, ms: number, pollMs = 50): Promise<StateRead[]> {
  return (await waitForState(ctx, () => false, ms, pollMs)).history
}

export const isSlaveOf = (gm: ClockIdentity) => (s: DutState) =>
  s.grandmasterIdentity === gm && s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')

export const isSlave = (s: DutState) => s.ports.some((p) => p.portState === 'SLAVE' || p.portState === 'UNCALIBRATED')

/**
 * Time to wait for a DUT to qualify and select a master: a few announce intervals plus start-up,
 * and, for a unicast slave, two of its query intervals (it asks for Announce, then, once it has
 * chosen the master, for Sync and the delay service: each request waits for its query tick).
 */
export function lockTimeoutMs(logAnnounceInterval: number, announceReceiptTimeout: number, s?: DutSettings): number {
  return Math.round((announceReceiptTimeout + 6) * logIntervalToMs(logAnnounceInterval) + negotiationDelayMs(s)) + 5000
}

/**
 * How much later a unicast slave has its whole service than a multicast one: it asks for Sync
 * and the delay service only at the first query tick after it chose its master, and renews on
 * the same ticks. Two query intervals; 0 without negotiation.
 */
export function negotiationDelayMs(s?: DutSettings): number {
  return s?.unicastQueryInterval ? 2 * logIntervalToMs(s.unicastQueryInterval.value) : 0
}

/** The DUT's delay-request interval on this link, ms: Pdelay_Req on a peer-delay link, Delay_Req otherwise. */
export function delayRequestMs(ctx: TestContext): number {
  const i = ctx.session.dutSettings.intervals
  return logIntervalToMs(ctx.session.delayMechanism === 'P2P' ? i.pdelayReq.value : i.delayReq.value)
}

/**
 * Wait until the DUT follows the grandmaster `cfg` (a slave reporting an offset, and `ready`),
 * within the announce-timeout lock window plus `extraMs`; once it does, let its delay measurement
 * settle (a delay filter needs several exchanges: 4 Sync or delay-request intervals, the longer,
 * + 1 s) before the caller samples. `atMs` undefined = it never followed.
 */
export async function lockAndSettle(ctx: TestContext, cfg: TestMasterConfig, ready: (s: DutState) => boolean = () => true, extraMs = 0): Promise<StateWait> {
  const locked = await waitForState(ctx, (s) => isSlave(s) && s.offsetFromMasterNs !== undefined && ready(s), lockTimeoutMs(cfg.logAnnounceInterval, ctx.session.dutSettings.announceReceiptTimeout.value, ctx.session.dutSettings) + extraMs)
  if (locked.atMs !== undefined) await ctx.sleep(4 * Math.max(logIntervalToMs(cfg.logSyncInterval), delayRequestMs(ctx)) + 1000)
  return locked
}

/** A dataset better than a default-configured DUT under every BMCA variant (priority2 is compared by all of them). */
export function betterThanDefault(ctx: Pick<TestContext, 'profile'>): Partial<AnnounceDataset> {
  return { grandmasterPriority2: Math.max(0, ctx.profile.priorities.priority2.default.value - 10) }
}
