/**
 * `ptp-conform lab up | status | down`: the virtual lab by hand.
 *
 * `lab up` builds namespaces and veth links (and starts DUTs with --dut) and
 * leaves them running after the command returns; `lab down` removes exactly
 * what the state files name. Everything needs root (network namespaces).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { existsSync, readFileSync } from 'node:fs'
import { CliError, ExitCode } from '../../run/exit_codes.ts'
import { Lab, labHealth, defaultStateDir, isOurs, isValidLabId, TOPOLOGIES, type LabState, type TeardownReport, type TopologyName } from '../../lab/index.ts'
import { LinuxptpDut, PtpdDut, parseDutOptions, parsePtpdStatus, DUT_ROLES, type Dut, type DutRole } from '../../dut/index.ts'
import { pmcRun } from '../../dut/linuxptp/pmc.ts'
import { loadProfile, ProfileError } from '../../profiles/index.ts'
import type { DelayMechanismName, TransportName } from '../../profiles/types.ts'

export const describe = 'build, inspect and remove the virtual lab (network namespaces, veth, DUTs)'

const USAGE = `usage:
  ptp-conform lab up [options]        build a lab and leave it running
  ptp-conform lab status [ID] [--json]  labs on this machine, their links and DUTs
  ptp-conform lab down [ID...] [--all]  remove labs (default: every lab no running process owns)

lab up options:
  --topology pair|dual|lan   pair: harness h <-> DUT d1 (default)
                             dual: harness ha <-> DUT d1 port 1, d1 port 2 <-> harness hb
                             lan:  h and DUTs d1..dN on a bridge
  --duts N                   DUTs on a lan (default 2)
  --dut ptp4l|ptpd           start a DUT on every DUT node (default: none)
  --profile ID               profile for the DUT configuration (default: default-e2e)
  --role ROLE                ${DUT_ROLES.join('|')} (default: auto; boundary on dual)
  --transport l2|udp4|udp6   default: the profile's
  --delay E2E|P2P            default: the profile's
  --dut-option KEY=VALUE     passed to the DUT unchanged (ptp4l: any config key; ptpd: section:key), repeatable
  --id ID                    lab id (1-6 of a-z, 0-9); default derived from the PID
  --json                     print the lab as JSON

Needs root. State files: ${defaultStateDir()} (PTP_CONFORM_STATE_DIR overrides).`

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE)
    return sub ? ExitCode.ok : ExitCode.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE)
    return ExitCode.ok
  }
  switch (sub) {
    case 'up':
      requireRoot()
      return up(rest)
    case 'status':
      return status(rest)
    case 'down':
      requireRoot()
      return down(rest)
    default:
      throw new CliError(`unknown subcommand '${sub}'\n${USAGE}`)
  }
}

function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new CliError('the virtual lab needs root (it creates network namespaces): run it with sudo', ExitCode.harness)
  }
}

function args(argv: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${USAGE}`)
  }
}

// ---------------------------------------------------------------- up

async function up(argv: string[]): Promise<number> {
  const { values: v } = args(argv, {
    topology: { type: 'string' },
    duts: { type: 'string' },
    dut: { type: 'string' },
    profile: { type: 'string' },
    role: { type: 'string' },
    transport: { type: 'string' },
    delay: { type: 'string' },
    'dut-option': { type: 'string', multiple: true },
    id: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (v.id !== undefined && !isValidLabId(v.id as string)) throw new CliError(`invalid lab id '${v.id as string}': use 1 to 6 characters from a-z and 0-9`)
  const topology = (v.topology ?? 'pair') as TopologyName
  if (!TOPOLOGIES.includes(topology)) throw new CliError(`--topology must be one of ${TOPOLOGIES.join(', ')}`)
  const duts = v.duts !== undefined ? Number(v.duts) : undefined
  if (duts !== undefined && (!Number.isInteger(duts) || duts < 1)) throw new CliError('--duts must be a whole number >= 1')
  const dutKind = v.dut as string | undefined
  if (dutKind !== undefined && dutKind !== 'ptp4l' && dutKind !== 'ptpd') throw new CliError('--dut must be ptp4l or ptpd')
  const role = (v.role ?? (topology === 'dual' ? 'boundary' : 'auto')) as DutRole
  if (!DUT_ROLES.includes(role)) throw new CliError(`--role must be one of ${DUT_ROLES.join(', ')}`)
  const transport = v.transport as TransportName | undefined
  if (transport !== undefined && !['l2', 'udp4', 'udp6'].includes(transport)) throw new CliError('--transport must be l2, udp4 or udp6')
  const delay = v.delay as DelayMechanismName | undefined
  if (delay !== undefined && delay !== 'E2E' && delay !== 'P2P') throw new CliError('--delay must be E2E or P2P')
  let options
  try {
    options = parseDutOptions((v['dut-option'] as string[] | undefined) ?? [])
  } catch (e) {
    throw new CliError((e as Error).message)
  }
  let profile
  if (dutKind) {
    try {
      profile = loadProfile((v.profile as string | undefined) ?? 'default-e2e')
    } catch (e) {
      throw new CliError(e instanceof ProfileError ? e.message : `profile: ${(e as Error).message}`)
    }
  }

  let lab: Lab
  try {
    lab = await Lab.up({ topology, ...(duts !== undefined ? { duts } : {}), ...(v.id ? { id: v.id as string } : {}), persistent: true })
  } catch (e) {
    throw new CliError(`could not build the lab: ${(e as Error).message}`, ExitCode.harness)
  }
  try {
    if (dutKind && profile) {
      for (const node of lab.nodesWithRole('dut')) {
        const interfaces = lab.node(node).ports.map((p) => lab.port(node, p.index))
        const dut: Dut = dutKind === 'ptp4l' ? new LinuxptpDut({ tracker: lab, label: node, node }) : new PtpdDut({ tracker: lab, label: node, node })
        await dut.start({ profile, role, interfaces, options, ...(transport ? { transport } : {}), ...(delay ? { delayMechanism: delay } : {}) })
      }
    }
  } catch (e) {
    await lab.down()
    throw new CliError(`could not start the DUT: ${(e as Error).message}`, ExitCode.harness)
  }
  const state = Lab.attach(lab.id, lab.stateDir).snapshot()
  if (v.json) console.log(JSON.stringify(state, null, 2))
  else {
    console.log(`lab ${lab.id} is up (${topology}); it stays up until \`ptp-conform lab down ${lab.id}\`\n`)
    console.log(describeLab(state))
    console.log(hints(state))
  }
  return ExitCode.ok
}

// ---------------------------------------------------------------- status

async function status(argv: string[]): Promise<number> {
  const { values: v, positionals } = args(argv, { json: { type: 'boolean' } })
  const entries = Lab.list().filter((e) => positionals.length === 0 || positionals.includes(e.state.id))
  if (positionals.length && entries.length === 0) {
    console.error(`no lab ${positionals.join(', ')} in ${defaultStateDir()}`)
    return ExitCode.fail
  }
  const reports = []
  for (const e of entries) {
    if (e.liveness === 'claimed') {
      console.log(`lab ${e.state.id} (${e.state.topology}): being removed by pid ${e.reaper?.pid}`)
      continue
    }
    const health = await labHealth(e.state)
    const dutStates = await Promise.all(e.state.duts.map((d) => dutPortStates(d)))
    reports.push({ id: e.state.id, liveness: e.liveness, state: e.state, health, duts: e.state.duts.map((d, i) => ({ ...d, ports: dutStates[i] })) })
  }
  if (v.json) {
    console.log(JSON.stringify(reports, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2))
    return ExitCode.ok
  }
  if (reports.length === 0) {
    console.log(`no labs (state files in ${defaultStateDir()})`)
    return ExitCode.ok
  }
  for (const r of reports) {
    const owner = r.liveness === 'owned' ? `owned by pid ${r.state.owner?.pid}` : r.liveness === 'persistent' ? 'left up by `lab up`' : r.liveness
    console.log(`lab ${r.id} (${r.state.topology}), ${owner}, created ${r.state.createdAt}: ${r.health.ok ? 'healthy' : 'NOT healthy'}`)
    console.log(describeLab(r.state, r.health.links))
    for (const d of r.duts) {
      const alive = d.pid !== undefined && r.state.processes.some((p) => p.pid === d.pid && isOurs(p, p.argv))
      console.log(`  DUT ${d.label}: ${d.implementation} on ${d.node} (${d.interfaces.join(', ')}), pid ${d.pid ?? '-'} ${alive ? 'running' : 'NOT running'}${d.ports.length ? `, ${d.ports.join(', ')}` : ''}`)
    }
    console.log('')
  }
  return ExitCode.ok
}

async function dutPortStates(d: LabState['duts'][number]): Promise<string[]> {
  try {
    if (d.uds) {
      const { perCommand } = await pmcRun({ uds: d.uds, domainNumber: d.domainNumber ?? 0, transportSpecific: d.transportSpecific ?? 0 }, ['GET PORT_DATA_SET'], 2000)
      return perCommand[0]!.filter((r) => !r.error).map((r) => `port ${r.sourcePortIdentity.portNumber} ${r.fields.portState ?? '?'}`)
    }
    if (d.statusFile && existsSync(d.statusFile)) {
      const st = parsePtpdStatus(readFileSync(d.statusFile, 'utf8'))
      return st.portState ? [`port 1 ${st.portState}`] : []
    }
  } catch {
    /* the DUT may be gone: status shows what it can */
  }
  return []
}

// ---------------------------------------------------------------- down

async function down(argv: string[]): Promise<number> {
  const { values: v, positionals } = args(argv, { all: { type: 'boolean' } })
  let reports: TeardownReport[]
  try {
    reports = Lab.downById(positionals, { all: v.all === true })
  } catch (e) {
    throw new CliError((e as Error).message)
  }
  if (reports.length === 0) {
    console.log(positionals.length ? `no lab ${positionals.join(', ')} to remove` : 'no labs to remove')
    return ExitCode.ok
  }
  let failed = false
  for (const r of reports) {
    const parts = [`${r.namespacesRemoved.length} namespace(s)`]
    if (r.stopped.length) parts.push(`stopped pid ${r.stopped.join(', ')}`)
    if (r.swept.length) parts.push(`killed unrecorded pid ${r.swept.join(', ')} found in the lab`)
    if (r.linksRemoved.length) parts.push(`links ${r.linksRemoved.join(', ')}`)
    console.log(`lab ${r.id} removed: ${parts.join('; ')}`)
    for (const e of r.errors) {
      failed = true
      console.error(`  lab ${r.id}: ${e}`)
    }
  }
  return failed ? ExitCode.harness : ExitCode.ok
}

// ---------------------------------------------------------------- text

function describeLab(s: LabState, links?: { netns: string; ifname: string; operstate: string }[]): string {
  const lines: string[] = []
  for (const n of s.plan.nodes) {
    lines.push(`  ${n.name.padEnd(3)} ${n.role.padEnd(8)} netns ${n.netns}`)
    for (const p of n.ports) {
      const op = links?.find((l) => l.netns === p.netns && l.ifname === p.ifname)?.operstate
      const addr = [p.ipv4, p.ipv6].filter(Boolean).join(' ')
      lines.push(`        ${p.ifname.padEnd(16)} ${p.mac}${addr ? `  ${addr}` : ''}${op ? `  ${op}` : ''}`)
    }
  }
  return lines.join('\n')
}

function hints(s: LabState): string {
  const h = s.plan.nodes.find((n) => n.role === 'harness')!
  const out = ['', 'try:', `  ip netns exec ${h.netns} tcpdump -ni ${h.ports[0]!.ifname}        watch the harness side`]
  const d = s.duts.find((x) => x.uds)
  if (d) {
    out.push(`  pmc -u -b 0 -s ${d.uds} -d ${d.domainNumber ?? 0} -t ${(d.transportSpecific ?? 0).toString(16)} 'GET PORT_DATA_SET'    ask DUT ${d.label}`)
    if (d.log) out.push(`  tail -f ${d.log}`)
  }
  const p = s.duts.find((x) => x.statusFile)
  if (p) out.push(`  cat ${p.statusFile}    DUT ${p.label} status`)
  out.push(`  ptp-conform lab status ${s.id}`, `  ptp-conform lab down ${s.id}`)
  return out.join('\n')
}
