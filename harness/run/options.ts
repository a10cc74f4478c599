/**
 * Options of `ptp-conform run`, parsed and checked before anything touches the
 * network. Usage errors throw CliError (exit code 2).
 */
import { parseArgs } from 'node:util'
import { CliError } from './exit_codes.ts'
import type { TransportName } from '../profiles/types.ts'
import { FAULTS } from '../refdut/faults.ts'
import type { TimestampingRequest } from '../transport/types.ts'
import { CLOCK_NAMES, DUT_CLOCK_TYPES, type DutClockType } from './session_types.ts'

export type LabDutImpl = 'ptp4l' | 'ptpd' | 'reference' | 'bridge'
/** Which lab implementations can be which kind of clock (ptpd 2.3.1 and the reference DUT are ordinary clocks only). */
const IMPL_CLOCKS: Record<LabDutImpl, readonly DutClockType[]> = {
  ptp4l: DUT_CLOCK_TYPES,
  ptpd: ['ordinary'],
  reference: ['ordinary'],
  // A plain bridge stands where a boundary or transparent clock should: the fault E2E-03 and BMCA-09 catch.
  bridge: ['boundary', 'e2e-tc', 'p2p-tc'],
}

/** Why a lab implementation cannot be this kind of clock (undefined: it can). */
export function implClockRefusal(impl: LabDutImpl, clock: DutClockType): string | undefined {
  return IMPL_CLOCKS[impl].includes(clock) ? undefined : `--dut-impl ${impl} cannot be ${CLOCK_NAMES[clock]} (--dut-clock ${IMPL_CLOCKS[impl].join(', ')} only)`
}

export interface RunOptions {
  profile: string
  profileDirs: string[]
  mode: 'lab' | 'device'
  interface?: string
  dutFile?: string
  /** A second harness interface on the DUT's network, for receive-path noise probes. */
  noisePort?: string
  /** `--timestamping`: what a device run's harness ports ask of their timestamps (default auto). */
  timestamping?: TimestampingRequest
  dutImpl: LabDutImpl
  /** `--dut-impl ptp4l,ptpd`: the same run against each, compared (harness/run/differential.ts). */
  compareImpls?: LabDutImpl[]
  /** `--dut-clock`: an ordinary clock (one port), or a boundary/transparent clock between two harness ports (lab). */
  dutClock: DutClockType
  /** Faults of the reference DUT (`--dut-fault`, only with --dut-impl reference). */
  dutFaults: string[]
  dutOptions: Record<string, string>
  tests: string[]
  tags: string[]
  suites: string[]
  outDir: string
  domain?: number
  transport?: TransportName
  allowNets: string[]
  acknowledgeTestNetwork: boolean
  /** Management SET may be sent to the DUT (`--allow-set`; MGT-02). */
  allowSet: boolean
  listOnly: boolean
  report: boolean
  /** Verdicts besides fail that make the exit code 1 (`--fail-on inconclusive`); 'new-failures': only the gate's findings do. */
  failOn?: FailOn[]
  /** A former run's --out folder: its failures are known, and measured margins are compared with it. */
  baseline?: string
  /** known-failures.yaml: failures accepted with a reason until an expiry date. */
  knownFailures?: string
  /** A folder kept between runs: the HTML report's history and trend (Allure). */
  historyDir?: string
  /** Test parameters set by a command (`fuzz` sets ROB-08's), by test ID; they win over the profile's. */
  testParams?: Record<string, Record<string, unknown>>
}

export type FailOn = 'inconclusive' | 'new-failures' | 'margin-regressions'

export const RUN_USAGE = `usage: ptp-conform run --profile ID (--lab [--dut-impl ptp4l|ptpd|reference] | --interface IF --dut FILE) [options]

  --profile ID            profile id or short name (default, power, gptp, 802.1as, telecom) or a YAML file
  --lab                   build the virtual lab and test a software DUT (ptp4l by default)
  --dut-impl ptp4l|ptpd|reference|bridge  the software DUT in the lab (reference: the harness's own
                          engines; bridge: a plain Linux bridge, a switch that is not PTP-aware);
                          several (ptp4l,ptpd): each in turn, in <out>/<impl>/, then a verdict table
                          with a column per implementation, their diffs and one report
  --dut-clock ordinary|boundary|e2e-tc|p2p-tc  the kind of clock the lab DUT is (default ordinary);
                          the others sit between two harness ports (dual topology) and run the
                          relay tests (E2E-03 …); a device's kind is its DUT file's clock and ports
  --class A|B|C|D         the ITU-T G.8273.2 class TE-04 judges a boundary clock against (default:
                          the profile's suites.overrides['TE-04'].class)
  --dut-fault ID,...      faults of the reference DUT (ptp-conform selftest --list shows the catalogue)
  --dut-option KEY=VALUE  extra DUT setting (for ptp4l any configuration key), repeatable
  --interface IF          a real interface to test a device on (with --dut FILE)
  --dut FILE              DUT description (YAML) of the real device
  --noise-port IF         a second harness interface on the DUT's network: noise probes
                          from it to --interface measure the receive path too (else TX only)
  --timestamping auto|hardware|software  the harness ports' timestamps on a device (default auto:
                          hardware where the NIC has it); hardware refuses a NIC without it
  --tests ID,...          select tests by ID or glob (INT-*, BMCA-0?)
  --tags TAG,...          select tests by tag
  --suites AREA,...       select tests by area (MF, INT, BMCA, E2E, P2P, TLV, MGT, TE)
  --out DIR               where results, evidence and reports go (default: results)
  --domain N              domainNumber, where the profile's range allows it
  --transport l2|udp4|udp6  where the profile allows a choice
  --profiles DIR          an extra folder of user profiles, repeatable
  --allow-net CIDR        addresses a real test interface may carry, repeatable
  --i-know-this-is-a-test-network  run on an interface that looks like production
  --allow-set             let MGT-02 change a DUT setting by management SET (it is put back)
  --list                  print the selected tests and exit
  --no-report             write results but skip the HTML report
  --fail-on inconclusive  exit 1 also when a test is inconclusive (for CI gates)
  --baseline DIR          an earlier run's --out folder: its failures count as known, and a
                          measured margin that shrank beyond its noise since then is reported
  --known-failures FILE   known-failures.yaml: accepted failures (test, reason, expires)
  --fail-on new-failures  exit 1 only for a failure neither the baseline nor the file knows,
                          or an expired known failure (the CI gate)
  --history DIR           keep the HTML report's history here between runs (each test's past
                          verdicts and the trend; a CI cache folder)
  --fail-on margin-regressions  with --baseline: exit 1 also for a margin that shrank beyond
                          its noise (and a tenth of itself); without it they are listed only`

function list(v: string | string[] | undefined): string[] {
  const arr = v === undefined ? [] : Array.isArray(v) ? v : [v]
  return arr.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)
}

export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        lab: { type: 'boolean', default: false },
        'dut-impl': { type: 'string', default: 'ptp4l' },
        'dut-clock': { type: 'string' },
        timestamping: { type: 'string' },
        class: { type: 'string' },
        'dut-option': { type: 'string', multiple: true },
        'dut-fault': { type: 'string', multiple: true },
        interface: { type: 'string' },
        dut: { type: 'string' },
        'noise-port': { type: 'string' },
        tests: { type: 'string', multiple: true },
        tags: { type: 'string', multiple: true },
        suites: { type: 'string', multiple: true },
        out: { type: 'string', default: 'results' },
        domain: { type: 'string' },
        transport: { type: 'string' },
        profiles: { type: 'string', multiple: true },
        'allow-net': { type: 'string', multiple: true },
        'i-know-this-is-a-test-network': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        'no-report': { type: 'boolean', default: false },
        'allow-set': { type: 'boolean', default: false },
        'fail-on': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'known-failures': { type: 'string' },
        history: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${RUN_USAGE}`)
  }
  const v = parsed.values
  if (v.help) return 'help'
  if (!v.profile) throw new CliError(`--profile is required\n\n${RUN_USAGE}`)
  if (v.lab && v.interface) throw new CliError('--lab and --interface exclude each other: the lab makes its own interfaces')
  if (!v.lab && !v.interface && !v.list) throw new CliError(`choose --lab or --interface IF --dut FILE\n\n${RUN_USAGE}`)
  if (v.interface && !v.dut) throw new CliError('--interface needs --dut FILE describing the device under test')
  if (v['noise-port'] && !v.interface) throw new CliError('--noise-port is for a real device (--interface): the lab measures its own link')
  if (v['noise-port'] && v['noise-port'] === v.interface) throw new CliError('--noise-port must be a second interface, not --interface itself')
  const impls = list(v['dut-impl'])
  for (const i of impls) if (!(i in IMPL_CLOCKS)) throw new CliError(`--dut-impl must be ${Object.keys(IMPL_CLOCKS).join(', ')} (or several, comma-separated), not '${i}'`)
  if (v.class !== undefined && !['A', 'B', 'C', 'D'].includes(v.class.toUpperCase())) throw new CliError(`--class must be A, B, C or D (ITU-T G.8273.2), not '${v.class}'`)
  const dutClock = (v['dut-clock'] ?? 'ordinary') as DutClockType
  if (!DUT_CLOCK_TYPES.includes(dutClock)) throw new CliError(`--dut-clock must be ${DUT_CLOCK_TYPES.join(', ')}, not '${dutClock}'`)
  if (v['dut-clock'] !== undefined && v.interface) throw new CliError(`--dut-clock is for the lab: a device's kind of clock is its DUT file's 'clock', with the harness interface facing each of its ports under 'ports'`)
  const timestamping = v.timestamping as TimestampingRequest | undefined
  if (timestamping !== undefined && !['auto', 'hardware', 'software'].includes(timestamping)) throw new CliError(`--timestamping must be auto, hardware or software, not '${timestamping}'`)
  if (timestamping !== undefined && !v.interface) throw new CliError('--timestamping is for a real device (--interface): the lab\'s veths have software timestamps only')
  for (const i of impls) {
    const refusal = v.lab ? implClockRefusal(i as LabDutImpl, dutClock) : undefined
    if (refusal) throw new CliError(refusal)
  }
  if (new Set(impls).size !== impls.length) throw new CliError(`--dut-impl names an implementation twice: ${impls.join(',')}`)
  if (impls.length > 1 && !v.lab) throw new CliError('--dut-impl with several implementations runs each in the lab: add --lab')
  if (impls.length > 1 && (v.baseline || v['known-failures'])) throw new CliError('--dut-impl with several implementations compares them with each other: --baseline and --known-failures are for one')
  const impl = impls[0] as LabDutImpl
  const dutFaults = list(v['dut-fault'])
  if (dutFaults.length && impls.length > 1) throw new CliError('--dut-fault belongs to one reference DUT: not with several --dut-impl')
  if (dutFaults.length && impl !== 'reference') throw new CliError('--dut-fault needs --dut-impl reference (faults belong to the reference DUT)')
  for (const f of dutFaults) {
    if (!FAULTS.some((x) => x.id === f)) throw new CliError(`unknown fault '${f}'; known: ${FAULTS.map((x) => x.id).join(', ')}`)
  }
  const dutOptions: Record<string, string> = {}
  for (const kv of v['dut-option'] ?? []) {
    const i = kv.indexOf('=')
    if (i <= 0) throw new CliError(`--dut-option takes KEY=VALUE, got '${kv}'`)
    dutOptions[kv.slice(0, i).trim()] = kv.slice(i + 1).trim()
  }
  let domain: number | undefined
  if (v.domain !== undefined) {
    domain = Number(v.domain)
    if (!Number.isInteger(domain) || domain < 0 || domain > 255) throw new CliError(`--domain must be an integer 0..255, not '${v.domain}'`)
  }
  const failOn = list(v['fail-on'])
  for (const f of failOn) if (f !== 'inconclusive' && f !== 'new-failures' && f !== 'margin-regressions') throw new CliError(`--fail-on takes 'inconclusive', 'new-failures' or 'margin-regressions' (fail always fails), not '${f}'`)
  if (failOn.includes('new-failures') && !v.baseline && !v['known-failures']) throw new CliError('--fail-on new-failures needs --baseline DIR or --known-failures FILE: otherwise every failure is new')
  if (failOn.includes('margin-regressions') && !v.baseline) throw new CliError('--fail-on margin-regressions needs --baseline DIR to compare margins with')
  const transport = v.transport as TransportName | undefined
  if (transport !== undefined && !['l2', 'udp4', 'udp6'].includes(transport)) throw new CliError(`--transport must be l2, udp4 or udp6, not '${transport}'`)
  return {
    profile: v.profile,
    profileDirs: v.profiles ?? [],
    mode: v.interface ? 'device' : 'lab',
    interface: v.interface,
    dutFile: v.dut,
    ...(v['noise-port'] ? { noisePort: v['noise-port'] } : {}),
    ...(timestamping ? { timestamping } : {}),
    dutImpl: impl,
    ...(impls.length > 1 ? { compareImpls: impls as RunOptions['dutImpl'][] } : {}),
    dutClock,
    dutFaults,
    dutOptions,
    tests: list(v.tests).map((t) => t.toUpperCase()),
    tags: list(v.tags),
    suites: list(v.suites),
    outDir: v.out!,
    domain,
    transport,
    allowNets: list(v['allow-net']),
    acknowledgeTestNetwork: v['i-know-this-is-a-test-network']!,
    allowSet: v['allow-set']!,
    listOnly: v.list!,
    report: !v['no-report'],
    failOn: failOn as FailOn[],
    ...(v.baseline ? { baseline: v.baseline } : {}),
    ...(v['known-failures'] ? { knownFailures: v['known-failures'] } : {}),
    ...(v.history ? { historyDir: v.history } : {}),
    ...(v.class ? { testParams: { 'TE-04': { class: v.class.toUpperCase(), source: `--class ${v.class.toUpperCase()} on the command line` } } } : {}),
  }
}
