/**
 * `ptp-conform run`: load the profile, select tests, make sure it is safe to transmit,
 * build the session (virtual lab or real interface), run the tests through Japa,
 * write a result per test as it ends, then the reports; tear everything down on every
 * path out, Ctrl-C included.
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CliError, ExitCode } from './exit_codes.ts'
import { loadProfile, ProfileError } from '../profiles/index.ts'
import { validateProfileForRun } from '../profiles/loader.ts'
import type { Profile } from '../profiles/types.ts'
import type { TestResult } from '../results/record.ts'
import { ResultsWriter } from '../results/writer.ts'
import { summarize } from '../results/summary.ts'
import { allureReporter } from '../../reports/index.ts'
import { type ConformanceTest, runApplies, selected } from './definition.ts'
import { describeEnvironment, unconfirmedValues } from './environment.ts'
import { notRunResult } from './execute.ts'
import { runWithJapa } from './japa_bridge.ts'
import { checkTransmitSafety, openSession, pickDomain, pickTransport } from './session_setup.ts'
import { ptpdSupports } from '../dut/ptpd/supports.ts'
import type { FailOn, RunOptions } from './options.ts'
import { Progress } from './progress.ts'
import { gateRun, readGateInputs } from './gate_inputs.ts'
import { formatGate, type GateDecision } from '../results/gate.ts'
import { diffRuns } from '../results/diff.ts'
import { runDiffHtml } from '../../reports/diff_page.ts'
import { resultBus } from '../results/result_bus.ts'
import { CLOCK_NAMES, type DutClockType, type Session } from './session_types.ts'
import { relayClockOf } from './device_relay_session.ts'
import { loadDutFile } from '../dut/remote/dut_file.ts'
import { allDefinitions } from './suite_files.ts'

/** Fixture order: tests that need the DUT in the same role run together. */
const FIXTURE_ORDER = { 'dut-master': 0, 'dut-slave': 1, 'dut-relay': 2 } as const

/**
 * The process's exit code. `failOn: ['inconclusive']` (`--fail-on inconclusive`) makes a CI
 * gate red when the harness could not decide a test: "not proven" is not "conformant". With
 * the gate's decision, 'new-failures' lets it decide the DUT's part (known failures forgiven)
 * and 'margin-regressions' adds its margin findings; Ctrl-C and harness errors keep theirs.
 */
export function exitCodeFor(results: TestResult[], interrupted: boolean, failOn: readonly FailOn[] = [], gate?: GateDecision): number {
  if (interrupted) return ExitCode.interrupted
  if (results.some((r) => r.harnessError && r.harnessError !== 'interrupted')) return ExitCode.harness
  if (gate && failOn.includes('new-failures')) return gate.passed ? ExitCode.ok : ExitCode.fail
  if (results.some((r) => r.verdict === 'fail')) return ExitCode.fail
  if (failOn.includes('inconclusive') && results.some((r) => r.verdict === 'inconclusive')) return ExitCode.fail
  if (gate && failOn.includes('margin-regressions') && gate.findings.some((f) => f.status === 'margin regression')) return ExitCode.fail
  return ExitCode.ok
}

export async function runConformance(o: RunOptions): Promise<number> {
  let profile: Profile
  try {
    profile = loadProfile(o.profile, { profileDirs: o.profileDirs })
    // Overrides must name real tests and parameters those tests read (file:line:col, exit 2).
    await validateProfileForRun(profile, { profileDirs: o.profileDirs })
  } catch (err) {
    if (err instanceof ProfileError) throw new CliError(err.message, ExitCode.usage)
    throw err
  }
  // Parameters a command sets for a test (`fuzz --minutes`), over the profile's own overrides.
  for (const [id, params] of Object.entries(o.testParams ?? {})) profile.suites.overrides[id] = { ...(profile.suites.overrides[id] ?? {}), ...params }
  const gateInputs = readGateInputs(o)
  const transport = pickTransport(profile, o.transport)
  const domainNumber = pickDomain(profile, o.domain, o.mode)
  if (o.mode === 'lab' && o.dutImpl === 'ptpd') {
    const ptpd = ptpdSupports(profile, transport, { domainNumber, options: o.dutOptions })
    if (ptpd !== true) throw new CliError(ptpd, ExitCode.usage)
  }

  const all = await allDefinitions()
  const chosen = all
    .filter(({ def }) => selected(def, o))
    .sort((a, b) => FIXTURE_ORDER[a.def.fixture] - FIXTURE_ORDER[b.def.fixture] || a.def.id.localeCompare(b.def.id))
  if (chosen.length === 0) throw new CliError('the selection (--tests, --tags, --suites) matches no test')

  if (o.listOnly) {
    const clock = o.mode === 'device' && o.dutFile ? listedDeviceClock(o.dutFile) : (o.dutClock ?? 'ordinary')
    for (const { def } of chosen) {
      const a = runApplies(def, profile, clock)
      console.log(`${def.id.padEnd(12)} ${def.title}${a === true ? '' : `  [not applicable: ${a}]`}`)
    }
    return ExitCode.ok
  }

  const unconfirmed = unconfirmedValues(profile)
  console.log(`ptp-conform run: profile ${profile.id} (${profile.name}), transport ${transport}, domain ${domainNumber}`)
  console.log(`  ${chosen.length} tests selected; ${unconfirmed.length} profile values are marked unconfirmed (listed in the report)`)

  const deviceFacts = o.mode === 'device' ? checkTransmitSafety(o, domainNumber) : undefined

  const abort = new AbortController()
  let interrupted = false
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      process.stderr.write(`\nptp-conform: second ${sig}, exiting now\n`)
      process.exit(ExitCode.interrupted)
    }
    interrupted = true
    process.stderr.write(`\nptp-conform: ${sig}: stopping after the current step; results so far are kept\n`)
    abort.abort(new Error(`interrupted by ${sig}`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const outDir = resolve(o.outDir)
  const writer = new ResultsWriter(outDir)
  let session: Session | undefined
  const reporter = allureReporter({ outDir, html: o.report, singleFile: o.report, finalizeAt: 'manual', ...(o.historyDir ? { historyDir: resolve(o.historyDir) } : {}) })
  try {
    try {
      session = await openSession(o, profile, transport, domainNumber, deviceFacts)
    } catch (err) {
      if ((err as { name?: string }).name === 'DutFileError') throw new CliError((err as Error).message, ExitCode.usage)
      if (err instanceof CliError) throw err
      // Nothing ran, but every selected test still gets its record saying why.
      const why = `the session could not be set up: ${(err as Error).message}`
      for (const { def } of chosen) writer.result(notRunResult(def, profile, why))
      throw new CliError(why, ExitCode.harness)
    }
    console.log(`  harness port ${session.harnessInterface}${session.relay ? ` (upstream), ${session.relay.downstreamInterface} (downstream) of ${CLOCK_NAMES[session.clockType]}` : ''}, timestamping ${session.timestamping}`)
    for (const d of session.dutSettings.disagreements ?? []) console.log(`  warning: ${d} (judged against the device's answer)`)
    console.log(`  harness noise ±${session.noise.ns} ns per timestamp, time-error floor ±${session.noise.timeErrorFloorNs} ns: ${session.noise.method}`)
    console.log(`  emulated clocks use identities ${session.harnessClockIdentity(0)} … ${session.harnessClockIdentity(3)} in domain ${domainNumber}`)
    const live: Session = session
    const env = await describeEnvironment(profile, live)
    writer.environment(env)
    await resultBus.publishEnvironment(env, outDir)

    const writeSummary = async (done: TestResult[]) => {
      // The DUT's settings are only known once it ran; the start time stays the run's.
      const finalEnv = { ...(await describeEnvironment(profile, live).catch(() => env)), startedAt: env.startedAt }
      writer.environment(finalEnv)
      writer.summary(summarize(finalEnv, done, interrupted))
    }
    const progress = new Progress(chosen.length, chosen.reduce((s, t) => s + t.def.estimatedSeconds, 0))
    const results = await runWithJapa({
      tests: chosen,
      execute: {
        profile,
        session,
        writer,
        signal: abort.signal,
        onStep: (def, text) => progress.phase(def.id, text),
        ...(gateInputs?.baseline ? { baseline: gateInputs.baseline } : {}),
      },
      reporters: [reporter],
      onStart: (def: ConformanceTest) => progress.start(def.id, def.title),
      onEnd: (def, r) => progress.end(def.id, r.verdict, r.reason, def.estimatedSeconds, r.durationMs),
      beforeReportersEnd: async (done) => writeSummary(done),
    })
    await session.close()
    session = undefined
    try {
      console.log((await reporter.finalize()).summaryText)
    } catch (err) {
      console.error(`ptp-conform: the reports could not be written: ${(err as Error).message}`)
    }
    console.log(`results: ${outDir}`)
    if (gateInputs?.baseline) {
      // What changed since the baseline, as one page beside the reports (the per-test pages show it too).
      const d = diffRuns(gateInputs.baseline.results, results)
      const page = join(outDir, 'diff.html')
      writeFileSync(page, runDiffHtml(d, { a: gateInputs.baseline.dir, b: outDir }, `ptp-conform: ${profile.id}, what changed since the baseline`))
      console.log(`since the baseline: ${d.counts.regressed} worse, ${d.counts.improved} better, ${d.counts.changed} changed, ${d.counts.marginsShrank} margin(s) shrank (${page})`)
    }
    const failOn = o.failOn ?? []
    if (!gateInputs) return exitCodeFor(results, interrupted, failOn)
    const decision = gateRun(results, gateInputs, { inconclusive: failOn.includes('inconclusive'), margins: failOn.includes('margin-regressions') })
    console.log(formatGate(decision))
    return exitCodeFor(results, interrupted, failOn, decision)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await session?.close().catch(() => undefined)
  }
}

/** A device's kind of clock for `--list`, from its DUT file (a broken file is exit 2, as in a run). */
function listedDeviceClock(file: string): DutClockType {
  try {
    return relayClockOf(loadDutFile(file)) ?? 'ordinary'
  } catch (err) {
    if ((err as { name?: string }).name === 'DutFileError') throw new CliError((err as Error).message, ExitCode.usage)
    throw err
  }
}
