/**
 * A plain Linux bridge between the DUT node's two ports, as a lab DUT: a switch that is not
 * PTP-aware. It forwards every PTP frame and corrects nothing, which is what a transparent clock
 * must not do, and passes the grandmaster's own Announce on, which a boundary clock must not
 * do: `--dut-impl bridge --dut-clock e2e-tc` shows E2E-03 failing on a real forwarding path,
 * `--dut-clock boundary` BMCA-09. It has no PTP state to read and no settings to change.
 */
import { IP, run } from '../../lab/exec.ts'
import { BRIDGE_OPTIONS } from '../../lab/topology.ts'
import { DutError, type Dut, type DutDescription, type DutSetting, type DutSettingsRecord, type DutStartOptions, type DutState, type SetResult } from '../types.ts'

export interface BridgeDutOptions {
  /** The DUT node's namespace, where both of its ports are. */
  netns: string
  /** The bridge device's name inside it. */
  ifname?: string
}

export class BridgeDut implements Dut {
  private started: DutSettingsRecord | undefined
  private readonly ifname: string

  constructor(private readonly o: BridgeDutOptions) {
    this.ifname = o.ifname ?? 'ptpcbr0'
  }

  async describe(): Promise<DutDescription> {
    return {
      implementation: 'linux-bridge',
      version: (await run(IP, ['-V']).catch(() => ({ stdout: 'ip (unknown)' }))).stdout.trim(),
      capabilities: { roles: ['boundary', 'e2e-tc', 'p2p-tc'], transports: ['l2', 'udp4', 'udp6'], delayMechanisms: ['E2E', 'P2P'], oneStep: true, twoStep: true, settable: [], wireManagement: false },
      stateSource: 'passive',
      notes: ['a Linux bridge is not PTP-aware: it forwards PTP frames unchanged (a fault for a transparent or boundary clock)'],
    }
  }

  async start(o: DutStartOptions): Promise<void> {
    if (o.interfaces.length !== 2) throw new DutError(`a bridge joins two ports, not ${o.interfaces.length}`)
    const ns = this.o.netns
    const argv = await this.build(o.interfaces)
    this.started = {
      implementation: 'linux-bridge',
      version: '',
      role: o.role,
      transport: o.transport ?? o.profile.transport.default,
      delayMechanism: o.delayMechanism ?? (o.role === 'p2p-tc' ? 'P2P' : 'E2E'),
      interfaces: o.interfaces,
      options: o.options ?? {},
      argv,
      config: `bridge ${this.ifname} in netns ${ns}: ${BRIDGE_OPTIONS.join(' ')}; members ${o.interfaces.map((i) => i.ifname).join(', ')}`,
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = undefined
    // The namespace may already be gone with the lab: nothing left to remove then.
    await run(IP, ['-n', this.o.netns, 'link', 'del', this.ifname]).catch(() => undefined)
  }

  async restart(): Promise<void> {
    const s = this.started
    if (!s) throw new DutError('the bridge was never started')
    await this.stop()
    await this.build(s.interfaces)
    this.started = s
  }

  /** Creates the bridge with both ports as members; returns the creating command. */
  private async build(interfaces: DutStartOptions['interfaces']): Promise<string[]> {
    const argv = [IP, '-n', this.o.netns, 'link', 'add', 'name', this.ifname, 'type', 'bridge', ...BRIDGE_OPTIONS]
    await run(argv[0]!, argv.slice(1))
    for (const i of interfaces) await run(IP, ['-n', this.o.netns, 'link', 'set', i.ifname, 'master', this.ifname])
    await run(IP, ['-n', this.o.netns, 'link', 'set', this.ifname, 'up'])
    return argv
  }

  async kill(): Promise<void> {
    await this.stop()
  }

  async readState(): Promise<DutState> {
    return { source: 'passive', readAt: Date.now(), ports: [] }
  }

  async set(setting: DutSetting): Promise<SetResult> {
    throw new DutError(`a Linux bridge has no PTP setting '${setting}'`)
  }

  async logs(): Promise<string> {
    return ''
  }

  settings(): DutSettingsRecord | undefined {
    return this.started
  }
}
