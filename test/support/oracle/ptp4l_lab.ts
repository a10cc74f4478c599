/**
 * A throw-away two-node lab for recording real ptp4l traffic: two network
 * namespaces joined by one veth pair created directly inside them, ptp4l on
 * both ends, tshark capturing on one end, pmc sending management GETs over the
 * wire. Everything is named with a prefix that contains this process's PID and
 * removed afterwards, also when something fails.
 *
 * The system clock is never touched: ptp4l runs with `free_running 1`,
 * software timestamps (-S) and without CAP_SYS_TIME (setpriv drops it from the
 * inheritable and bounding sets). Processes are stopped by the PIDs started here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { join } from 'node:path'

export const LINUXPTP_CONFIGS = '/usr/share/doc/linuxptp/configs'

export interface LiveConfig {
  /** Short label, e.g. 'UDPv4 P2P'. */
  name: string
  transport: 'L2' | 'UDPv4' | 'UDPv6'
  delayMechanism: 'E2E' | 'P2P'
  /** A linuxptp example configuration file (gPTP.cfg ...). */
  configFile?: string
  /** Extra ptp4l long options (`--key=value`), applied after the file. */
  options?: Record<string, string | number>
  /** Extra pmc arguments, e.g. ['-t', '1'] for transportSpecific 1. */
  pmcArgs?: string[]
  /** Management commands pmc sends over the wire. */
  pmcCommands: string[]
}

export interface Recording {
  config: LiveConfig
  file: string
  ptp4lLogs: [string, string]
  pmcOutput: string
}

const TRANSPORT_FLAG = { L2: '-2', UDPv4: '-4', UDPv6: '-6' } as const
const NO_SYS_TIME = ['--inh-caps=-sys_time', '--bounding-set=-sys_time']

/** Intervals that make a short recording carry many messages (lab-facts: GM in ~1 s). */
export const FAST_INTERVALS = {
  logAnnounceInterval: -2,
  logSyncInterval: -3,
  logMinDelayReqInterval: -3,
  logMinPdelayReqInterval: -3,
}

export function labPrerequisites(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces'
  for (const bin of ['ip', 'ptp4l', 'pmc', 'tshark', 'setpriv', 'ethtool']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed`
  }
  return undefined
}

/**
 * Deletes namespaces an earlier run of this helper left behind when its process
 * was killed: names `ptpconf-<pid>-<n><a|b>` whose PID no longer exists.
 */
export function sweepStaleLabs(): string[] {
  const removed: string[] = []
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? ''
  for (const line of list.split('\n')) {
    const m = /^(ptpconf-(\d+)-\d+[ab])\b/.exec(line.trim())
    if (!m) continue
    const pid = Number(m[2])
    if (pid === process.pid || alive(pid)) continue
    spawnSync('ip', ['netns', 'del', m[1]!], { timeout: 10_000 })
    removed.push(m[1]!)
  }
  return removed
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error}`)
  return r.stdout
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Resolves when the process has exited (immediately if it already has). */
function exited(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve()
  return new Promise((r) => p.once('exit', () => r()))
}

/** SIGTERM (or the given signal), then SIGKILL after a grace period; by PID only. */
async function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return
  p.kill(signal)
  const t = setTimeout(() => p.kill('SIGKILL'), graceMs)
  await exited(p)
  clearTimeout(t)
}

/**
 * One lab: namespaces `<prefix>a` / `<prefix>b`, interfaces `<ifPrefix>a` /
 * `<ifPrefix>b` (≤ 15 characters), MACs 02:xx:xx:xx:<index>:0a / 0b.
 */
export class TwoNodeLab {
  readonly ns: [string, string]
  readonly ifs: [string, string]
  readonly macs: [string, string]
  private readonly processes: ChildProcess[] = []
  private created: string[] = []

  constructor(
    readonly index: number,
    readonly dir: string,
  ) {
    const pid = process.pid
    this.ns = [`ptpconf-${pid}-${index}a`, `ptpconf-${pid}-${index}b`]
    // 'po' + pid (≤ 7 digits) + index + side stays within IFNAMSIZ - 1.
    this.ifs = [`po${pid}x${index}a`, `po${pid}x${index}b`]
    const pidBytes = [(pid >> 16) & 0xff, (pid >> 8) & 0xff, pid & 0xff].map((b) => b.toString(16).padStart(2, '0'))
    const mac = (side: number) => ['02', ...pidBytes, index.toString(16).padStart(2, '0'), side.toString(16).padStart(2, '0')].join(':')
    this.macs = [mac(0x0a), mac(0x0b)]
  }

  async up(): Promise<void> {
    for (const ns of this.ns) {
      run('ip', ['netns', 'add', ns])
      this.created.push(ns)
    }
    const [a, b] = this.ns
    const [ia, ib] = this.ifs
    run('ip', ['link', 'add', ia, 'netns', a, 'address', this.macs[0], 'type', 'veth', 'peer', 'name', ib, 'netns', b, 'address', this.macs[1]])
    for (let side = 0; side < 2; side++) {
      const ns = this.ns[side]!
      const ifname = this.ifs[side]!
      // DAD off before link-up, or ptp4l -6 faults on a tentative address.
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', `net.ipv6.conf.${ifname}.accept_dad=0`])
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
      // veth leaves UDP checksums to "hardware" (CHECKSUM_PARTIAL), so a capture would show
      // half-computed ones. With TX checksum offload off the kernel writes real checksums.
      run('ip', ['netns', 'exec', ns, 'ethtool', '-K', ifname, 'tx', 'off'])
      run('ip', ['-n', ns, 'addr', 'add', `192.0.2.${side + 1}/24`, 'dev', ifname])
      run('ip', ['-n', ns, 'addr', 'add', `2001:db8::${side + 1}/64`, 'dev', ifname, 'nodad'])
      run('ip', ['-n', ns, 'link', 'set', ifname, 'up'])
    }
    // Carrier comes up 0.5-1 s after link-up (linkwatch).
    const deadline = Date.now() + 10_000
    for (;;) {
      const states = this.ns.map((ns, i) => run('ip', ['-n', ns, '-o', 'link', 'show', 'dev', this.ifs[i]!]))
      if (states.every((s) => /state UP/.test(s))) return
      if (Date.now() > deadline) throw new Error(`veth ${ia}/${ib} did not come up: ${states.join(' | ')}`)
      await sleep(100)
    }
  }

  /** Starts a process inside namespace `side` (0 = a, 1 = b); output goes to `logFile`. */
  spawnIn(side: 0 | 1, argv: string[], logFile?: string): ChildProcess {
    const p = spawn('ip', ['netns', 'exec', this.ns[side], ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.processes.push(p)
    if (logFile) {
      const out = createWriteStream(logFile)
      p.stdout!.pipe(out, { end: false })
      p.stderr!.pipe(out, { end: false })
      p.once('exit', () => setTimeout(() => out.end(), 50))
    }
    return p
  }

  /** Stops every process started here (by PID) and deletes the namespaces (the veth pair goes with them). */
  async down(): Promise<void> {
    await Promise.all(this.processes.map((p) => stop(p, 'SIGTERM', 2000)))
    for (const ns of this.created.reverse()) {
      spawnSync('ip', ['netns', 'del', ns], { timeout: 10_000 })
    }
    this.created = []
  }

  stopProcess = stop
}

/**
 * pmc's output once every command has been answered. pmc 3.1.1 in batch mode
 * only exits after its socket has been quiet for a while, which never happens
 * while ptp4l sends Sync at 16/s; so it is stopped (by PID) once it has printed
 * one answer per command, or after `timeoutMs`.
 */
function pmcAnswers(p: ChildProcess, commands: number, timeoutMs: number): Promise<string> {
  let text = ''
  p.stdout!.setEncoding('utf8')
  p.stderr!.setEncoding('utf8')
  const answers = () => (text.match(/ seq \d+ RESPONSE /g) ?? []).length
  const onData = (d: string) => {
    text += d
    if (answers() >= commands) setTimeout(() => void stop(p), 200)
  }
  p.stdout!.on('data', onData)
  p.stderr!.on('data', onData)
  const t = setTimeout(() => void stop(p), timeoutMs)
  return exited(p).then(() => {
    clearTimeout(t)
    return text
  })
}

/** Waits until tshark reports that it captures, so the first frames are not missed. */
function capturing(p: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const t = setTimeout(() => reject(new Error(`tshark did not start capturing: ${seen}`)), timeoutMs)
    p.stderr!.setEncoding('utf8')
    p.stderr!.on('data', (d: string) => {
      seen += d
      if (seen.includes('Capturing on')) {
        clearTimeout(t)
        resolve()
      }
    })
    p.once('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`tshark exited (${code}) before capturing: ${seen}`))
    })
  })
}

/**
 * Records `seconds` of traffic between two ptp4l instances, then has pmc send
 * the configuration's management commands from node b, and returns the
 * pcapng written by tshark on node a's interface.
 */
export async function recordPtp4l(config: LiveConfig, index: number, dir: string, seconds: number): Promise<Recording> {
  const lab = new TwoNodeLab(index, dir)
  const file = join(dir, `live-${index}.pcapng`)
  const logs: [string, string] = [join(dir, `ptp4l-${index}a.log`), join(dir, `ptp4l-${index}b.log`)]
  try {
    await lab.up()
    const tshark = lab.spawnIn(0, ['tshark', '-q', '-n', '-i', lab.ifs[0], '-w', file, '-a', `duration:${seconds + 20}`])
    await capturing(tshark, 15_000)
    const opts = { free_running: 1, ...config.options }
    const ptp4l = ([0, 1] as const).map((side) =>
      lab.spawnIn(
        side,
        [
          'setpriv',
          ...NO_SYS_TIME,
          'ptp4l',
          '-S',
          '-q',
          '-m',
          TRANSPORT_FLAG[config.transport],
          config.delayMechanism === 'P2P' ? '-P' : '-E',
          ...(config.configFile ? ['-f', config.configFile] : []),
          '-i',
          lab.ifs[side],
          `--uds_address=${join(dir, `ptp4l-${index}${side ? 'b' : 'a'}.sock`)}`,
          ...Object.entries(opts).map(([k, v]) => `--${k}=${v}`),
        ],
        logs[side],
      ),
    )
    await sleep(seconds * 1000)
    const pmc = lab.spawnIn(1, [
      'setpriv',
      ...NO_SYS_TIME,
      'pmc',
      TRANSPORT_FLAG[config.transport],
      '-i',
      lab.ifs[1],
      '-b',
      '0',
      ...(config.pmcArgs ?? []),
      ...config.pmcCommands,
    ])
    const pmcOutput = await pmcAnswers(pmc, config.pmcCommands.length, 10_000)
    // Let the last responses reach the capture before stopping everything.
    await sleep(300)
    await Promise.all(ptp4l.map((p) => stop(p)))
    await stop(tshark, 'SIGINT', 5000)
    if (!existsSync(file)) throw new Error(`tshark wrote no capture file for ${config.name}`)
    return { config, file, ptp4lLogs: logs, pmcOutput }
  } finally {
    await lab.down()
  }
}
