/**
 * One passive-plus-probing look at the DUT as grandmaster, shared by the tests that
 * only need to watch it (header sanity, addressing, intervals, TLVs, Delay_Resp and
 * Pdelay_Resp behaviour, time error). The harness runs a test slave that sends the
 * profile's delay requests — and, on P2P links, answers the DUT's Pdelay_Req as a
 * neighbour must, or an 802.1AS DUT would never become asCapable and stay silent.
 * The recording is made once per session and reused; each test attaches it as its
 * pcapng evidence.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import { TestMaster } from '../../harness/engines/test_master.ts'
import { TestSlave } from '../../harness/engines/test_slave.ts'
import { testSlaveConfigFromProfile } from '../../harness/engines/from_profile.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import { recordingToPcapng } from '../../harness/recorder/pcapng_export.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { Session } from '../../harness/run/session_types.ts'
import { labInterval } from './intervals.ts'
import { assertMulticastService, linkPeer } from './grandmasters.ts'

export interface Observation {
  recorder: Recorder
  slave: TestSlave
  /** The harness's own port identity (what requestingPortIdentity must echo). */
  harnessPort: PortIdentity
  /** The DUT's port identity, from the first message it sent. */
  dutPort: PortIdentity | undefined
  /** Frames the DUT sent, in arrival order. */
  fromDut: RecordedFrame[]
  startNs: bigint
  endNs: bigint
  /** How long the DUT took to send its first Sync after the observation began. */
  firstSyncAfterMs: number | undefined
  pcapng: Uint8Array
}

const cache = new WeakMap<Session, Promise<Observation>>()

/** Seconds to watch: enough intervals of the slowest message for the interval rule. */
export function observationSeconds(ctx: TestContext, intervalsWanted: number): number {
  const slowest = Math.max(labInterval(ctx.profile, 'announce'), labInterval(ctx.profile, 'sync'))
  return Math.min(120, Math.max(10, Math.ceil(intervalsWanted * 2 ** slowest) + 1))
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
  assertMulticastService(ctx)
  const s = ctx.session
  const profile = ctx.profile
  ctx.step('starting the DUT as grandmaster')
  await s.ensureDut('master', ctx.signal)
  const header = s.headerDefaults()
  const mechanism = s.delayMechanism
  // A conformant slave of the profile (its request rate and spacing rule), in the session's domain.
  const slave = new TestSlave(
    testSlaveConfigFromProfile(profile, { name: 'test-slave', clockIdentity: s.harnessClockIdentity(0), intervals: 'lab' }, { header, delayMechanism: mechanism, adoptDelayRespInterval: true }),
  )
  const engines: (TestSlave | TestMaster)[] = [slave]
  // The same clock (identity 0) answers the DUT's peer-delay requests: one neighbour, one identity.
  if (mechanism === 'P2P') engines.push(linkPeer(ctx))
  const handle = s.drive(new EngineGroup('observer', engines))
  const seconds = observationSeconds(ctx, intervalsWanted)
  const t0 = Date.now()
  let firstSyncAfterMs: number | undefined
  try {
    ctx.step(`waiting for the DUT's first Sync (up to 30 s)`)
    while (Date.now() - t0 < 30_000) {
      if (handle.recorder.byType('Sync', { direction: 'in' }).length) {
        firstSyncAfterMs = Date.now() - t0
        break
      }
      await ctx.sleep(100)
    }
    if (firstSyncAfterMs === undefined) throw new Error('the DUT sent no Sync within 30 s of starting as grandmaster')
    ctx.step(`observing the DUT as grandmaster for ${seconds} s`)
    await ctx.sleep(seconds * 1000)
  } finally {
    await handle.close()
  }
  const recorder = handle.recorder
  const inbound = recorder.query({ direction: 'in' })
  const dutPort = inbound.find((f) => f.message)?.message?.header.sourcePortIdentity
  const fromDut = dutPort ? inbound.filter((f) => f.message?.header.sourcePortIdentity.clockIdentity === dutPort.clockIdentity || !f.message) : inbound
  const frames = recorder.frames
  return {
    recorder,
    slave,
    harnessPort: { clockIdentity: s.harnessClockIdentity(0), portNumber: 1 },
    dutPort,
    fromDut,
    startNs: frames[0]?.timestampNs ?? 0n,
    endNs: frames[frames.length - 1]?.timestampNs ?? 0n,
    firstSyncAfterMs,
    pcapng: recordingToPcapng(recorder),
  }
}

/** Attach the observation's pcapng to the current test. */
export function attachObservation(ctx: TestContext, o: Observation): void {
  ctx.attach('observation.pcapng', o.pcapng, 'pcapng')
}
