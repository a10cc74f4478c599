/**
 * ROB-08 evidence made sans-IO: the campaign loop itself (runCampaign) drives a reference DUT
 * slave on a simulated link, with the grandmaster and the fuzz engine as startMasters and
 * FuzzRig arrange them live. The DUT is wrapped so that a ParserCrash ends it as the refdut
 * process ends (exit 139) and a restart builds a fresh one; state reads and the health check
 * poll in simulated time.
 */
import type { Engine, EngineAction, ReceivedMessage, Transmitted } from '../../../harness/engines/actions.ts'
import { EngineGroup } from '../../../harness/engines/engine_group.ts'
import { defaultHeaderDefaults } from '../../../harness/engines/message_factory.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { type BurstRecord, FuzzBurst } from '../../../harness/fuzz/burst.ts'
import { type FuzzCase, lastFrameNs } from '../../../harness/fuzz/cases.ts'
import { type HealthObservation, looksWell, noteSeen } from '../../../harness/fuzz/health.ts'
import { targetAround } from '../../../harness/fuzz/target.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { ParserCrash, ReferenceClock } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import type { CampaignRig, FuzzEvidence, FuzzParams } from '../../../suites/support/fuzz_campaign.ts'
import { FUZZ_DEFAULTS, runCampaign } from '../../../suites/support/fuzz_campaign.ts'
import { lockTimeoutMs } from '../../../suites/support/grandmasters.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'
import { gmConfig, ms, START_NS } from './bmca.ts'
import { DUT_IDENTITY, dutSettingsFor, envelope, HARNESS_IDENTITY } from './simulate.ts'

/** How the simulated DUT process misbehaves, besides its faults. */
interface ProcessFaults {
  /** Alive but never sending (a DUT that does not work at all). */
  mute?: boolean
  /** Dies once at this time, whatever it was sent (a failure that does not recur). */
  crashAtNs?: bigint
  /** Hangs once at this time: alive, but it neither sends nor answers state reads. */
  hangAtNs?: bigint
  /** Once it has died, every restart comes up mute. */
  downAfterCrash?: boolean
}

/** The reference DUT as its process: a parser crash ends it for good, until restarted. */
class MortalDut implements Engine {
  readonly name = 'dut'
  clock: ReferenceClock
  exit: { atNs: bigint; message: string } | undefined
  hung = false
  private mute: boolean
  private crashAtNs: bigint | undefined
  private hangAtNs: bigint | undefined

  constructor(
    private readonly make: () => ReferenceClock,
    private readonly f: ProcessFaults = {},
  ) {
    this.clock = make()
    this.mute = f.mute ?? false
    this.crashAtNs = f.crashAtNs
    this.hangAtNs = f.hangAtNs
  }

  private guard(now: bigint, fn: () => EngineAction[]): EngineAction[] {
    if (this.exit || this.hung) return []
    if (this.crashAtNs !== undefined && now >= this.crashAtNs) {
      this.crashAtNs = undefined
      this.exit = { atNs: now, message: 'died on its own (simulated)' }
      return []
    }
    if (this.hangAtNs !== undefined && now >= this.hangAtNs) {
      this.hangAtNs = undefined
      this.hung = true
      return []
    }
    try {
      const actions = fn()
      return this.mute ? actions.filter((a) => a.kind !== 'send') : actions
    } catch (e) {
      if (!(e instanceof ParserCrash)) throw e
      this.exit = { atNs: now, message: e.message }
      return []
    }
  }

  start(now: bigint) {
    return this.guard(now, () => this.clock.start(now))
  }
  restart(now: bigint): EngineAction[] {
    if (this.exit && this.f.downAfterCrash) this.mute = true
    this.clock = this.make()
    this.exit = undefined
    this.hung = false
    return this.start(now)
  }
  onTimer(id: string, now: bigint) {
    return this.guard(now, () => this.clock.onTimer(id, now))
  }
  onMessage(rx: ReceivedMessage, now: bigint) {
    return this.guard(now, () => this.clock.onMessage(rx, now))
  }
  onTransmitted(tx: Transmitted, now: bigint) {
    return this.guard(now, () => this.clock.onTransmitted(tx, now))
  }
}

const POLL_NS = ms(150)

export interface SimOptions {
  faults?: string[]
  /** The DUT runs but never sends. */
  mute?: boolean
  /** The DUT dies once this long after the start, whatever it was sent. */
  crashOnceAfterNs?: bigint
  /** The DUT hangs once this long after the start (alive, silent, no state answers). */
  hangOnceAfterNs?: bigint
  /** After its first death the DUT never works again. */
  downAfterCrash?: boolean
  /** The harness "fails" to send this many frames of every burst (its own limit, not the DUT's). */
  unsentPerBurst?: number
}

export class SimulatedFuzzRig implements CampaignRig {
  readonly link = new SimulatedLink({ startNs: START_NS })
  readonly burst: FuzzBurst
  readonly dut: MortalDut
  readonly target
  readonly recoveryMs: number
  readonly stateExpected = true
  private readonly group: EngineGroup
  private readonly gm: TestMaster

  constructor(
    readonly profile: Profile,
    private readonly o: SimOptions = {},
  ) {
    const settings = dutSettingsFor(profile)
    this.dut = new MortalDut(() => new ReferenceClock(applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile, settings, role: 'slave', behaviour: {}, seed: 7 }, o.faults ?? [])), {
      mute: o.mute ?? false,
      ...(o.crashOnceAfterNs !== undefined ? { crashAtNs: START_NS + o.crashOnceAfterNs } : {}),
      ...(o.hangOnceAfterNs !== undefined ? { hangAtNs: START_NS + o.hangOnceAfterNs } : {}),
      downAfterCrash: o.downAfterCrash ?? false,
    })
    const p2p = profile.delayMechanism.default === 'P2P'
    const cfg = gmConfig(profile, 'gm', 1)
    this.gm = new TestMaster(p2p ? { ...cfg, delayMechanism: 'none' } : cfg)
    const stranger = { clockIdentity: HARNESS_IDENTITY(3), portNumber: 1 }
    this.burst = new FuzzBurst([this.gm.portIdentity.clockIdentity, stranger.clockIdentity, HARNESS_IDENTITY(0)])
    const engines: Engine[] = [this.gm, this.burst]
    if (p2p) engines.push(new TestMaster(gmConfig(profile, 'link-peer', 0, undefined, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })))
    this.group = new EngineGroup('masters', engines)
    this.link.add('dut', this.dut)
    this.link.add('harness', this.group)
    this.link.start()
    this.target = targetAround(this.gm, cfg, {
      header: { ...defaultHeaderDefaults(this.gm.portIdentity, settings.domainNumber.value), ...cfg.header, domainNumber: settings.domainNumber.value },
      stranger,
      dut: { clockIdentity: DUT_IDENTITY, portNumber: 1 },
      delayMechanism: p2p ? 'P2P' : 'E2E',
      allowManagementSet: false,
    })
    this.recoveryMs = lockTimeoutMs(settings.intervals.announce.value, settings.announceReceiptTimeout.value, settings)
  }

  now() {
    return this.link.now
  }
  grandmasterTime(ns: bigint) {
    return ns - this.gm.expectedSlaveOffsetNs(ns)
  }

  async observe(fromNs: bigint): Promise<HealthObservation> {
    const deadline = this.link.now + BigInt(this.recoveryMs) * 1_000_000n
    const o: HealthObservation = { fromNs, toNs: fromNs, requests: 0, reads: 0, answered: 0, stateExpected: true }
    for (;;) {
      this.link.run(this.link.now + POLL_NS)
      const exit = this.dut.exit
      if (exit) o.exit = { how: 'exited with code 139 (simulated)', logTail: `refdut: ${exit.message}` }
      const st = exit || this.dut.hung ? undefined : this.dut.clock.dutState(Number(this.link.now / 1_000_000n))
      noteSeen(o, this.burst.dutRequests, exit ? undefined : st ? { answered: true, portStates: st.ports.map((p) => p.portState), grandmasterIdentity: st.grandmasterIdentity, parent: st.parentPortIdentity?.clockIdentity } : { answered: false })
      o.toNs = this.link.now
      if (o.exit || looksWell(o, this.target) || this.link.now >= deadline) return o
    }
  }

  async send(cases: readonly FuzzCase[]): Promise<BurstRecord> {
    const drop = this.o.unsentPerBurst ?? 0
    this.link.control('harness', (now) => this.group.control<FuzzBurst>('fuzz', (b) => b.send(cases, now).slice(drop)))
    this.link.run(this.link.now + lastFrameNs(cases) + ms(100))
    return this.burst.last!
  }

  clearRecording() {
    this.link.recorder.clear()
  }

  sentFrames() {
    return this.link.recorder.frames.filter((f) => f.port === 'harness' && f.reason?.source === 'fuzz')
  }

  async restartDut() {
    this.link.control('dut', (now) => this.dut.restart(now))
  }

  async close() {}
}

/** A simulated campaign's evidence for ROB-08, and the reproducers it attached (name → bytes). */
export async function simulatedCampaign(profile: Profile, p: Partial<FuzzParams> = {}, o: SimOptions = {}) {
  const rig = new SimulatedFuzzRig(profile, o)
  const files = new Map<string, Uint8Array>()
  const steps: string[] = []
  const data: FuzzEvidence = await runCampaign(rig, { ...FUZZ_DEFAULTS, ...p }, {
    step: (t) => steps.push(t),
    attach: (name, bytes) => (files.set(name, bytes), `evidence/${name}`),
    aborted: () => false,
    facts: { profile: profile.id, transport: 'l2', domainNumber: rig.target.header.domainNumber },
  })
  return { evidence: envelope('ROB-08', profile, data), files, steps, rig }
}
