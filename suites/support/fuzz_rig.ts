/**
 * The live side of fuzzing, shared by ROB-08 (`run`, `fuzz`) and `replay`: the DUT as a slave of
 * an emulated grandmaster (clean, all along), the fuzz engine beside it in the same group, and
 * the health check that decides whether the DUT is still well after a burst. The check watches
 * until the DUT is seen well or the recovery time is over: a DUT that a fuzzed Announce sent
 * elsewhere for a while is well if it comes back as the standard lets it.
 */
import type { ClockIdentity } from '../../harness/codec/types.ts'
import { defaultHeaderDefaults } from '../../harness/engines/message_factory.ts'
import { type FuzzCase, lastFrameNs } from '../../harness/fuzz/cases.ts'
import { type BurstRecord, FuzzBurst } from '../../harness/fuzz/burst.ts'
import { type HealthObservation, looksWell, noteSeen } from '../../harness/fuzz/health.ts'
import { type FuzzTarget, targetAround } from '../../harness/fuzz/target.ts'
import type { RecordedFrame } from '../../harness/recorder/frame.ts'
import type { TestContext } from '../../harness/run/context.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { lockTimeoutMs, type Masters, masterConfig, startMasters, waitForState } from './grandmasters.ts'
import { negotiationRequired } from './unicast.ts'
import type { CampaignRig } from './fuzz_campaign.ts'

/** Identity indexes of the emulated clocks: the grandmaster, and the stranger that sends fuzz cases too. */
const GM_IDENTITY = 1
const STRANGER_IDENTITY = 3
/** How often the health check looks (a state read each time). */
const POLL_MS = 150
/** How long a DUT just started may take to answer its first state read. */
const STATE_WAIT_MS = 3000
/** How long TX timestamps of a burst may take to come back after its last frame was due. */
const TX_GRACE_MS = 1000

export class FuzzRig implements CampaignRig {
  private constructor(
    private readonly ctx: TestContext,
    private readonly masters: Masters,
    readonly burst: FuzzBurst,
    readonly target: FuzzTarget,
    readonly recoveryMs: number,
    readonly stateExpected: boolean,
  ) {}

  now(): bigint {
    return systemTimeNs()
  }

  /**
   * A fresh DUT slave, its grandmaster and the fuzz engine on the harness port. A replay gives the
   * grandmaster the identity its reproducer's frames carry.
   */
  static async start(ctx: TestContext, o: { grandmaster?: ClockIdentity } = {}): Promise<FuzzRig> {
    const s = ctx.session
    const spec = { name: 'gm', identity: GM_IDENTITY, ...(o.grandmaster ? { extra: { clockIdentity: o.grandmaster } } : {}) }
    const gmConfig = masterConfig(ctx, spec)
    const masters = await startMasters(ctx, [spec], { freshDut: true })
    try {
      const gm = masters.master('gm')
      const stranger = { clockIdentity: s.harnessClockIdentity(STRANGER_IDENTITY), portNumber: 1 }
      const dutAddress = s.dutAddress()
      const dut = s.dutPortIdentity()
      const target = targetAround(gm, gmConfig, {
        header: { ...defaultHeaderDefaults(gm.portIdentity, s.domainNumber), ...s.headerDefaults(), domainNumber: s.domainNumber },
        stranger,
        ...(dut ? { dut } : {}),
        delayMechanism: s.delayMechanism === 'P2P' ? 'P2P' : 'E2E',
        ...(negotiationRequired(ctx.profile) && dutAddress
          ? { unicast: { dut: dutAddress, ...(s.clockAddress(GM_IDENTITY) ? { grandmaster: s.clockAddress(GM_IDENTITY)! } : {}), ...(s.clockAddress(STRANGER_IDENTITY) ? { stranger: s.clockAddress(STRANGER_IDENTITY)! } : {}) } }
          : {}),
        allowManagementSet: s.allowManagementSet,
      })
      const burst = new FuzzBurst([gm.portIdentity.clockIdentity, stranger.clockIdentity, s.harnessClockIdentity(0)])
      masters.handle.driver.invoke((now) => masters.group.add(burst, now))
      const settings = s.dutSettings
      const recoveryMs = lockTimeoutMs(settings.intervals.announce.value, settings.announceReceiptTimeout.value, settings)
      // A DUT just started may not answer at once (ptpd writes its status file after a while):
      // only one that never answers while it locks is judged without state reads.
      const stateExpected = (await waitForState(ctx, () => true, STATE_WAIT_MS, POLL_MS)).atMs !== undefined
      return new FuzzRig(ctx, masters, burst, target, recoveryMs, stateExpected)
    } catch (e) {
      await masters.close()
      throw e
    }
  }

  grandmasterTime(ns: bigint): bigint {
    const gm = this.masters.master('gm')
    return ns - gm.expectedSlaveOffsetNs(ns)
  }

  /** Every request the DUT sends and every state read count; polled, since management is not protocol timing. */
  async observe(fromNs: bigint): Promise<HealthObservation> {
    const deadline = Date.now() + this.recoveryMs
    const o: HealthObservation = { fromNs, toNs: fromNs, requests: 0, reads: 0, answered: 0, stateExpected: this.stateExpected }
    for (;;) {
      const exit = this.ctx.session.dutExit?.()
      if (exit) o.exit = { how: `${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`} at ${new Date(exit.atMs).toISOString()}`, logTail: exit.logTail }
      const st = !o.exit && this.stateExpected ? await this.ctx.session.dut.readState().catch(() => null) : undefined
      noteSeen(o, this.burst.dutRequests, st === undefined ? undefined : { answered: st !== null, ...(st ? { portStates: st.ports.map((p) => p.portState), grandmasterIdentity: st.grandmasterIdentity, parent: st.parentPortIdentity?.clockIdentity } : {}) })
      o.toNs = systemTimeNs()
      if (o.exit || looksWell(o, this.target) || Date.now() >= deadline) return o
      await this.ctx.sleep(POLL_MS)
    }
  }

  /** Resolves once their TX timestamps are in (or a grace second after the last was due). */
  async send(cases: readonly FuzzCase[]): Promise<BurstRecord> {
    let record: BurstRecord | undefined
    this.masters.handle.driver.invoke((now) => {
      const actions = this.masters.group.control<FuzzBurst>('fuzz', (b) => b.send(cases, now))
      record = this.burst.last
      return actions
    })
    await this.ctx.sleep(Number(lastFrameNs(cases) / 1_000_000n) + 50)
    const deadline = Date.now() + TX_GRACE_MS
    while (record!.sent < record!.planned && Date.now() < deadline) await this.ctx.sleep(20)
    return record!
  }

  sentFrames(): RecordedFrame[] {
    return this.masters.handle.recorder.frames.filter((f) => f.direction === 'out' && f.reason?.source === 'fuzz')
  }

  clearRecording(): void {
    this.masters.handle.recorder.clear()
  }

  async restartDut(): Promise<void> {
    await this.ctx.session.restartDut('slave', this.ctx.signal)
  }

  close(): Promise<void> {
    return this.masters.close()
  }
}
