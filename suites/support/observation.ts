/**
 * One passive-plus-probing look at the DUT as grandmaster, shared by the tests that
 * only need to watch it (header sanity, addressing, intervals, TLVs, Delay_Resp and
 * Pdelay_Resp behaviour, time error). The harness runs a test slave that sends the
 * profile's delay requests — and, on P2P links, answers the DUT's Pdelay_Req as a
 * neighbour must, or an 802.1AS DUT would never become asCapable and stay silent.
 * The recording is made once per session and reused: it is each test's evidence.
 *
 * A DUT that sends nothing usable is not a harness error: the evidence says what came
 * (or that nothing did) and `observationFault` turns that into a FAIL naming it.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import { TestMaster } from '../../harness/engines/test_master.ts'
import { TestSlave } from '../../harness/engines/test_slave.ts'
import { testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Evidence } from '../../harness/run/evidence.ts'
import type { Session } from '../../harness/run/session_types.ts'
import type { Profile } from '../../harness/profiles/types.ts'
import type { Check } from '../../harness/verdict/verdict.ts'
import { linkPeer } from './grandmasters.ts'
import { negotiatingObserver, negotiationRequired } from './unicast.ts'
import type { Engine } from '../../harness/engines/actions.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { logIntervalToMs } from '../../harness/time/log_interval.ts'

/** How long the observation waits for the DUT's first Sync before it records what it has. */
export const FIRST_SYNC_WAIT_MS = 30_000

export interface Observation {
  recorder: Recorder
  /** The harness's own port identity (what requestingPortIdentity must echo). */
  harnessPort: PortIdentity
  /** ms after the observation began when the DUT's first Sync in the run's domain arrived; absent = none came. */
  firstSyncAfterMs?: number
  /** How long the observation lasted, ms. */
  durationMs: number
  /** The DUT's port when known beforehand (a capture analysed for a chosen clock); else the first Sync's sender. */
  dut?: PortIdentity
}

const cache = new WeakMap<Session, Promise<Observation>>()

/** Seconds to watch: enough intervals of the DUT's slowest configured message for the interval rule. */
export function observationSeconds(ctx: TestContext, intervalsWanted: number): number {
  const i = ctx.session.dutSettings.intervals
  const slowest = Math.max(i.announce.value, i.sync.value)
  return Math.min(600, Math.max(5, Math.ceil((intervalsWanted * logIntervalToMs(slowest)) / 1000) + 1))
}

export function observeDutMaster(ctx: TestContext, intervalsWanted = 20): Promise<Observation> {
  let p = cache.get(ctx.session)
  if (!p) {
    p = record(ctx, intervalsWanted)
    cache.set(ctx.session, p)
    // A failed observation must not poison the tests after it.
    p.catch(() => cache.delete(ctx.session))
  }
  return p
}

async function record(ctx: TestContext, intervalsWanted: number): Promise<Observation> {
  const s = ctx.session
  ctx.step('starting the DUT as grandmaster')
  await s.ensureDut('master', ctx.signal)
  const header = s.headerDefaults()
  const mechanism = s.delayMechanism
  // A conformant slave of the profile (its request rate and spacing rule), in the session's domain.
  const slave = new TestSlave(
    testSlaveConfigFromProfile(ctx.profile, { name: 'test-slave', clockIdentity: s.harnessClockIdentity(0), intervals: configuredIntervals(s.dutSettings) }, { header, delayMechanism: mechanism, adoptDelayRespInterval: true }),
  )
  // Unicast-only: nothing flows until the slave has asked the DUT for it.
  const engines: Engine[] = [negotiationRequired(ctx.profile) ? negotiatingObserver(ctx, slave) : slave]
  // The same clock (identity 0) answers the DUT's peer-delay requests: one neighbour, one identity.
  if (mechanism === 'P2P') engines.push(linkPeer(ctx))
  const handle = s.drive(new EngineGroup('observer', engines))
  const seconds = observationSeconds(ctx, intervalsWanted)
  const t0 = Date.now()
  let firstSyncAfterMs: number | undefined
  try {
    ctx.step(`waiting for the DUT's first Sync in domain ${s.domainNumber} (up to ${FIRST_SYNC_WAIT_MS / 1000} s)`)
    while (Date.now() - t0 < FIRST_SYNC_WAIT_MS) {
      if (handle.recorder.byType('Sync', { direction: 'in', domainNumber: s.domainNumber }).length) {
        firstSyncAfterMs = Date.now() - t0
        break
      }
      await ctx.sleep(100)
    }
    if (firstSyncAfterMs !== undefined) {
      ctx.step(`observing the DUT as grandmaster for ${seconds} s`)
      await ctx.sleep(seconds * 1000)
    } else {
      ctx.step(`no Sync in domain ${s.domainNumber} within ${FIRST_SYNC_WAIT_MS / 1000} s; keeping what arrived as evidence`)
    }
  } finally {
    await handle.close()
  }
  return {
    recorder: handle.recorder,
    harnessPort: { clockIdentity: s.harnessClockIdentity(0), portNumber: 1 },
    ...(firstSyncAfterMs !== undefined ? { firstSyncAfterMs } : {}),
    durationMs: Date.now() - t0,
  }
}

// ------------------------------------------------------------------ judge side (pure)

/** The DUT's port identity: the sender of the first Sync in the run's domain (else of the first message received). */
export function dutPortOf(o: Observation, domainNumber: number): PortIdentity | undefined {
  if (o.dut) return o.dut
  const inbound = o.recorder.query({ direction: 'in' })
  const sync = inbound.find((f) => f.message?.type === 'Sync' && f.message.header.domainNumber === domainNumber)
  return (sync ?? inbound.find((f) => f.message))?.message?.header.sourcePortIdentity
}

/** Each observation's DUT frames by domain: the passive tests of a run (or of an analyze window) share one observation. */
const dutFramesMemo = new WeakMap<Observation, { size: number; byDomain: Map<number, readonly RecordedFrame[]> }>()

/**
 * Frames the DUT sent (and undecodable frames, which only the DUT can have sent), in arrival
 * order. Computed once per observation and domain (a capture window holds 100 000 frames and
 * every passive test asks); callers get a read-only list.
 */
export function dutFrames(o: Observation, domainNumber: number): readonly RecordedFrame[] {
  let memo = dutFramesMemo.get(o)
  if (!memo || memo.size !== o.recorder.size) dutFramesMemo.set(o, (memo = { size: o.recorder.size, byDomain: new Map() }))
  const known = memo.byDomain.get(domainNumber)
  if (known) return known
  const inbound = o.recorder.query({ direction: 'in' })
  const dut = dutPortOf(o, domainNumber)
  let out: readonly RecordedFrame[] = inbound
  if (dut) {
    const id = normalizeClockIdentity(dut.clockIdentity)
    // A capture has a handful of clocks and 100 000 frames: normalise each identity string once.
    const seen = new Map<string, boolean>()
    const fromDut = (c: string) => {
      let v = seen.get(c)
      if (v === undefined) seen.set(c, (v = normalizeClockIdentity(c) === id))
      return v
    }
    out = inbound.filter((f) => !f.message || fromDut(f.message.header.sourcePortIdentity.clockIdentity))
  }
  memo.byDomain.set(domainNumber, out)
  return out
}

/** "214 Sync, 27 Announce in domain 4 majorSdoId 0 versionPTP 2 from 02:…; 3 undecodable" — what arrived. */
export function describeArrivals(frames: readonly RecordedFrame[]): string {
  if (!frames.length) return 'nothing at all'
  const groups = new Map<string, number>()
  let undecodable = 0
  for (const f of frames) {
    const m = f.message
    if (!m) {
      undecodable++
      continue
    }
    const h = m.header
    const key = `${m.type} in domain ${h.domainNumber}, majorSdoId ${h.majorSdoId}, versionPTP ${h.versionPTP}.${h.minorVersionPTP} over ${f.transport} from ${h.sourcePortIdentity.clockIdentity}`
    groups.set(key, (groups.get(key) ?? 0) + 1)
  }
  const parts = [...groups].map(([k, n]) => `${n} ${k}`)
  if (undecodable) parts.push(`${undecodable} undecodable`)
  return parts.join('; ')
}

/**
 * The DUT fault that makes every observation test fail: no Sync in the run's domain, or Syncs
 * that carry another majorSdoId or versionPTP than the profile's. Undefined when the DUT served.
 */
const faultMemo = new WeakMap<Observation, { size: number; byKey: Map<string, Check | undefined> }>()

export function observationFault(ev: Evidence<{ observation: Observation }>, profile: Profile): Check | undefined {
  // Every passive test of an observation asks the same question: answer it once.
  const o = ev.data.observation
  const key = `${ev.session.domainNumber}/${profile.sdo.majorSdoId.value}`
  let memo = faultMemo.get(o)
  if (!memo || memo.size !== o.recorder.size) faultMemo.set(o, (memo = { size: o.recorder.size, byKey: new Map() }))
  if (!memo.byKey.has(key)) memo.byKey.set(key, findObservationFault(ev, profile))
  return memo.byKey.get(key)
}

function findObservationFault(ev: Evidence<{ observation: Observation }>, profile: Profile): Check | undefined {
  const o = ev.data.observation
  const domain = ev.session.domainNumber
  const inbound = o.recorder.query({ direction: 'in' })
  if (o.firstSyncAfterMs === undefined) {
    return {
      name: `the DUT sends Sync as grandmaster in domain ${domain}`,
      measured: 0,
      limit: '≥ 1 Sync',
      source: 'IEEE 1588-2019 9.2.5 (a MASTER port sends Sync), 7.1 (domains)',
      verdict: 'fail',
      detail: `no Sync in domain ${domain} within ${FIRST_SYNC_WAIT_MS / 1000} s; received: ${describeArrivals(inbound)}`,
    }
  }
  const sdo = profile.sdo.majorSdoId.value
  const syncs = inbound.filter((f) => f.message?.type === 'Sync' && f.message.header.domainNumber === domain)
  const wrongSdo = syncs.filter((f) => f.message!.header.majorSdoId !== sdo)
  if (wrongSdo.length) {
    return {
      name: `Sync carries the profile's majorSdoId ${sdo}`,
      measured: wrongSdo.length,
      limit: `0 of ${syncs.length}`,
      source: `${profile.sdo.majorSdoId.source}; IEEE 1588-2019 7.1.4, 13.3.2.1`,
      verdict: 'fail',
      detail: `${wrongSdo.length} Sync with majorSdoId ${wrongSdo[0]!.message!.header.majorSdoId} from ${wrongSdo[0]!.message!.header.sourcePortIdentity.clockIdentity}; the profile requires ${sdo}`,
    }
  }
  return undefined
}
