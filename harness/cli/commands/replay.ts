/**
 * `ptp-conform replay FILE`: send a fuzz reproducer to a DUT again and say whether it still makes
 * it unwell. The DUT is brought up as a slave of a clean grandmaster with the identity the file's
 * frames name, seen well, then the file's octets go out at their recorded offsets and the same
 * health check as the campaign's decides. Transmits only as `run` does: every frame must be in
 * the run's domain, and a Management SET only with --allow-set.
 */
import { readFileSync } from 'node:fs'
import { CliError, ExitCode } from '../../run/exit_codes.ts'
import { parseRunOptions } from '../../run/options.ts'
import { checkTransmitSafety, openSession, pickDomain, pickTransport } from '../../run/session_setup.ts'
import { loadProfile, ProfileError } from '../../profiles/index.ts'
import { ptpdSupports } from '../../dut/ptpd/supports.ts'
import { readReproducer, ReproducerError } from '../../fuzz/reproducer.ts'
import { replayRefusal } from '../../fuzz/safety.ts'
import { replayCases } from '../../fuzz/replay_cases.ts'
import { describeProblems } from '../../fuzz/health.ts'
import type { TestContext } from '../../run/context.ts'
import type { Session } from '../../run/session_types.ts'
import { systemTimeNs } from '../../transport/index.ts'
import { abortableSleep } from '../../run/execute.ts'
import { logDuring } from '../../run/dut_log.ts'
import { FuzzRig } from '../../../suites/support/fuzz_rig.ts'
import { problemsOf } from '../../../suites/support/fuzz_campaign.ts'
import { delayRequestName } from '../../fuzz/target.ts'

export const describe = 'send a fuzz reproducer (pcapng) to a DUT again: does it still make it unwell?'

const USAGE = `usage: ptp-conform replay FILE (--lab [--dut-impl ptp4l|ptpd|reference] [--dut-fault ID] | --interface IF --dut FILE) [options]

  FILE               a reproducer written by ptp-conform fuzz (or ROB-08): <out>/evidence/*fuzz-failure*.pcapng
  --profile ID       default: the profile the reproducer was found with
  --dut-option, --transport, --domain, --profiles, --allow-net, --i-know-this-is-a-test-network,
  --allow-set        as for ptp-conform run

Exit codes: 0 the DUT stayed well (not reproduced), 1 the DUT was not well (reproduced, or
not well before the replay), 2 usage error or a frame this run may not send, 3 harness error.`

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    console.log(USAGE)
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok
  }
  const file = argv[0]!
  const rest = argv.slice(1)
  if (file.startsWith('--')) throw new CliError(`the reproducer FILE comes first\n\n${USAGE}`)
  let parsed
  try {
    parsed = readReproducer(new Uint8Array(readFileSync(file)))
  } catch (e) {
    if (e instanceof ReproducerError || (e as NodeJS.ErrnoException).code) throw new CliError(`${file}: ${(e as Error).message}`)
    throw e
  }
  const { meta, frames } = parsed
  const has = (f: string) => rest.some((a) => a === f || a.startsWith(`${f}=`))
  const o = parseRunOptions([
    ...rest,
    ...(has('--profile') ? [] : ['--profile', meta.profile]),
    ...(has('--transport') ? [] : ['--transport', meta.transport]),
    ...(has('--domain') ? [] : ['--domain', String(meta.domainNumber)]),
  ])
  if (o === 'help') {
    console.log(USAGE)
    return ExitCode.ok
  }
  let profile
  try {
    profile = loadProfile(o.profile, { profileDirs: o.profileDirs })
  } catch (err) {
    if (err instanceof ProfileError) throw new CliError(err.message, ExitCode.usage)
    throw err
  }
  const transport = pickTransport(profile, o.transport)
  const domainNumber = pickDomain(profile, o.domain, o.mode)
  frames.forEach((f, i) => {
    const why = replayRefusal(f.payload, { domainNumber, allowManagementSet: o.allowSet })
    if (why) throw new CliError(`refusing to replay ${file}: frame ${i + 1} (case ${f.caseId}): ${why}`, ExitCode.usage)
  })
  if (o.mode === 'lab' && o.dutImpl === 'ptpd') {
    const ok = ptpdSupports(profile, transport, { domainNumber, options: o.dutOptions })
    if (ok !== true) throw new CliError(ok, ExitCode.usage)
  }
  console.log(`ptp-conform replay: ${file}: ${frames.length} frames of case(s) ${meta.cases.map((c) => c.id).join(', ')} (seed ${meta.seed}), profile ${profile.id}, ${transport}, domain ${domainNumber}`)
  for (const c of meta.cases) console.log(`  case ${c.id}: ${c.description}`)
  console.log(`  when found: ${describeProblems(meta.problems)}`)
  const deviceFacts = o.mode === 'device' ? checkTransmitSafety(o, domainNumber) : undefined

  const abort = new AbortController()
  const onSignal = (sig: NodeJS.Signals) => abort.abort(new Error(`interrupted by ${sig}`))
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let session: Session | undefined
  let rig: FuzzRig | undefined
  try {
    session = await openSession(o, profile, transport, domainNumber, deviceFacts)
    const ctx: TestContext = {
      profile,
      session,
      params: (d) => d,
      step: (t) => console.log(`  ${t}`),
      signal: abort.signal,
      noiseNs: session.noise.ns,
      attach: () => '',
      sleep: (ms) => abortableSleep(ms, abort.signal),
    }
    console.log('  starting the DUT as a slave of a clean grandmaster')
    rig = await FuzzRig.start(ctx, { grandmaster: meta.grandmaster.clockIdentity })
    const before = problemsOf(rig, await rig.observe(systemTimeNs()))
    if (before.length) {
      console.log(`the DUT was not well before the replay: ${describeProblems(before)}`)
      return ExitCode.fail
    }
    const cases = replayCases(rig.target, meta, frames)
    const logBefore = await session.dut.logs().catch(() => '')
    const burst = await rig.send(cases)
    const seen = await rig.observe(systemTimeNs())
    const problems = problemsOf(rig, seen)
    console.log(`  sent ${burst.sent} of ${burst.planned} frames; watched the DUT for ${Number((seen.toNs - seen.fromNs) / 1_000_000n)} ms`)
    if (problems.length) {
      console.log(`reproduced: ${describeProblems(problems)}`)
      // What the DUT said about it: its log from the burst on (the crash's last lines included).
      const said = logDuring(logBefore, await session.dut.logs().catch(() => '')).trim().split('\n').filter(Boolean)
      if (said.length) console.log(`the DUT's log since the replay:\n${said.slice(-12).join('\n')}`)
      else if (seen.exit?.logTail) console.log(seen.exit.logTail)
      return ExitCode.fail
    }
    console.log(`not reproduced: the DUT stayed well (${delayRequestName(rig.target)} ×${seen.requests}${seen.last ? `, ${seen.last.portStates.join('/')} of ${seen.last.grandmasterIdentity}` : ''})`)
    return ExitCode.ok
  } catch (e) {
    if (abort.signal.aborted) return ExitCode.interrupted
    if ((e as Error).name === 'DutFileError' || (e as Error).name === 'ReplayRefused') throw new CliError((e as Error).message, ExitCode.usage)
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await rig?.close().catch(() => undefined)
    await session?.close().catch(() => undefined)
  }
}
