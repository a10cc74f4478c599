/**
 * The harness around a boundary clock (BMCA-08, BMCA-09, TE-04): a grandmaster of the profile
 * on the upstream port, the downstream port listening (and, on a peer-delay link, answering the
 * DUT's Pdelay_Req so its port becomes asCapable and sends at all), and the wait until the DUT
 * re-advertises that grandmaster downstream.
 */
import type { PortIdentity } from '../../harness/codec/types.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import type { Engine } from '../../harness/engines/actions.ts'
import { EngineGroup } from '../../harness/engines/engine_group.ts'
import { testMasterConfigFromProfile } from '../../harness/engines/from_profile.ts'
import { type AnnounceDataset, TestMaster, type TestMasterConfig } from '../../harness/engines/test_master.ts'
import { samePortIdentity } from '../../harness/engines/message_factory.ts'
import type { Recorder } from '../../harness/recorder/recorder.ts'
import type { TestContext } from '../../harness/run/context.ts'
import type { DriverHandle, RelayPorts } from '../../harness/run/session_types.ts'
import { lockTimeoutMs } from './grandmasters.ts'

/**
 * A grandmaster every profile lets a clock follow, with fields a boundary clock must copy and
 * that differ from its own defaults: clock class 6 (locked to a primary reference), accuracy
 * within 100 ns, GPS as time source, PTP timescale with a valid UTC offset of 37 s.
 */
export function upstreamDataset(ctx: TestContext): Partial<AnnounceDataset> {
  const p = ctx.profile
  return {
    grandmasterPriority1: p.priorities.priority1.default.value,
    grandmasterPriority2: Math.max(0, p.priorities.priority2.default.value - 29),
    grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d },
    stepsRemoved: 0,
    timeSource: 0x20,
    currentUtcOffset: 37,
    // currentUtcOffsetValid | ptpTimescale | timeTraceable | frequencyTraceable
    flagField: 0x0004 | 0x0008 | 0x0010 | 0x0020,
  }
}

export function upstreamGrandmasterConfig(ctx: TestContext, extra: Partial<TestMasterConfig> = {}): TestMasterConfig {
  const s = ctx.session
  return testMasterConfigFromProfile(
    ctx.profile,
    { name: 'gm', clockIdentity: s.harnessClockIdentity(0), intervals: configuredIntervals(s.dutSettings), dataset: upstreamDataset(ctx) },
    { header: s.headerDefaults(), delayMechanism: s.delayMechanism, ...extra },
  )
}

/** The downstream port's own clock: silent on a delay-request link, a Pdelay responder on a peer-delay one. */
export function downstreamPeer(ctx: TestContext, relay: RelayPorts): TestMaster {
  const s = ctx.session
  return new TestMaster(
    testMasterConfigFromProfile(
      ctx.profile,
      { name: 'downstream-peer', clockIdentity: relay.downstreamClockIdentity(0), intervals: configuredIntervals(s.dutSettings) },
      { header: s.headerDefaults(), sendAnnounce: false, sendSync: false, delayMechanism: s.delayMechanism === 'P2P' ? 'P2P' : 'none' },
    ),
  )
}

export function relayOf(ctx: TestContext): RelayPorts {
  const relay = ctx.session.relay
  if (!relay) throw new Error('this test needs a boundary or transparent clock between two harness ports (--dut-clock, or a DUT file with clock and ports)')
  return relay
}

/**
 * The first Announce the DUT sent downstream naming `grandmaster` (undefined: none within the
 * lock window). Polls the recording; the engines keep running.
 */
export async function waitForReadvertised(ctx: TestContext, downstream: Recorder, dutPort: PortIdentity, grandmaster: string): Promise<{ atMs?: number; waitedMs: number }> {
  const s = ctx.session.dutSettings
  const limitMs = lockTimeoutMs(s.intervals.announce.value, s.announceReceiptTimeout.value, s) + 10_000
  const t0 = Date.now()
  while (Date.now() - t0 < limitMs) {
    const hit = downstream.frames.some((f) => f.direction === 'in' && f.message?.type === 'Announce' && samePortIdentity(f.message.header.sourcePortIdentity, dutPort) && f.message.grandmasterIdentity === grandmaster)
    if (hit) return { atMs: Date.now() - t0, waitedMs: Date.now() - t0 }
    await ctx.sleep(200)
  }
  return { waitedMs: Date.now() - t0 }
}

/** Both harness ports driven at once; close() closes both. */
export function driveBoth(ctx: TestContext, upstream: Engine[], downstream: Engine[]): { up: DriverHandle; down: DriverHandle; close(): Promise<void> } {
  const relay = relayOf(ctx)
  const up = ctx.session.drive(new EngineGroup('upstream', upstream))
  let down: DriverHandle
  try {
    down = relay.driveDownstream(new EngineGroup('downstream', downstream))
  } catch (e) {
    void up.close()
    throw e
  }
  return { up, down, close: async () => void (await Promise.all([up.close(), down.close()])) }
}
