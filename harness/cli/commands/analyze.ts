/**
 * `ptp-conform analyze CAPTURE... --profile ID [--dut ID]`: the tests that need no stimulus,
 * judged on captures from any network, with the same records, reports and exit codes as `run`.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { analyze } from '../../analyze/analyze.ts'
import { WINDOW_FRAMES } from '../../analyze/windows.ts'
import { describeClock } from '../../analyze/clocks.ts'
import { profileFit } from '../../analyze/profile_fit.ts'
import { CaptureError } from '../../capture/index.ts'
import { parseDutOptions } from '../../dut/options.ts'
import { listProfiles, loadProfile, ProfileError } from '../../profiles/index.ts'
import { summarize } from '../../results/summary.ts'
import { ResultsWriter } from '../../results/writer.ts'
import { selected } from '../../run/definition.ts'
import { exitCodeFor } from '../../run/runner.ts'
import { allDefinitions } from '../../run/suite_files.ts'
import { regenerateReports } from '../../../reports/finalize.ts'
import { CliError, ExitCode } from '../../run/exit_codes.ts'

export const describe = 'judge the passive conformance tests on pcap/pcapng captures'

const USAGE = `usage: ptp-conform analyze CAPTURE... --profile ID [options]

  CAPTURE            pcap or pcapng (Ethernet, 802.1Q, Linux cooked, raw IP); several are merged in time order
  --profile ID       the profile to judge against; without it, the profiles the traffic fits are listed (exit 2)
  --dut ID           the device under test: clockIdentity, MAC or IP (default: the one grandmaster seen)
  --dut-option K=V   what the DUT is configured with, e.g. logSyncInterval=-3 (default: what it advertised)
  --tests ID,...     select tests by ID or glob
  --window-frames N  PTP frames judged at a time (default ${WINDOW_FRAMES}); memory grows with it, not with the capture
  --out DIR          results, evidence and reports (default: results)
  --profiles DIR     an extra folder of user profiles, repeatable
  --no-report        records and summary only
  --fail-on inconclusive  exit 1 also when a test is inconclusive

Tests that need the harness to act on the DUT are recorded as not applicable ("needs stimulus").
Exit codes as for run: 0 passed, 1 a conformance failure, 2 usage error or unreadable capture.`

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        dut: { type: 'string' },
        'dut-option': { type: 'string', multiple: true },
        tests: { type: 'string', multiple: true },
        'window-frames': { type: 'string' },
        out: { type: 'string', default: 'results' },
        profiles: { type: 'string', multiple: true },
        'no-report': { type: 'boolean', default: false },
        'fail-on': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`)
  }
  const v = parsed.values
  if (v.help) {
    console.log(USAGE)
    return ExitCode.ok
  }
  const files = parsed.positionals
  if (!files.length) throw new CliError(`give at least one capture file\n${USAGE}`)
  for (const f of files) if (!existsSync(f)) throw new CliError(`no such file: ${f}`)
  const failOn = (v['fail-on'] ?? []).flatMap((x) => x.split(','))
  for (const f of failOn) if (f !== 'inconclusive') throw new CliError(`--fail-on takes 'inconclusive', not '${f}'`)
  let dutOptions
  try {
    dutOptions = parseDutOptions(v['dut-option'] ?? [])
  } catch (err) {
    throw new CliError((err as Error).message)
  }
  const profileDirs = v.profiles ?? []
  const windowFrames = v['window-frames'] === undefined ? WINDOW_FRAMES : Number(v['window-frames'])
  if (!Number.isInteger(windowFrames) || windowFrames < 1000) throw new CliError(`--window-frames takes a whole number ≥ 1000, not '${v['window-frames']}'`)

  let profile
  if (v.profile) {
    try {
      profile = loadProfile(v.profile, { profileDirs })
    } catch (err) {
      if (err instanceof ProfileError) throw new CliError(err.message, ExitCode.usage)
      throw err
    }
  }
  const tty = process.stderr.isTTY
  const onProgress = tty ? (file: string, frames: number, offset: number) => process.stderr.write(`\r  ${file}: ${frames} frames, ${(offset / 1e6).toFixed(0)} MB read`) : undefined
  const tests = (await allDefinitions()).filter(({ def }) => selected(def, { tests: (v.tests ?? []).flatMap((t) => t.split(',')).map((t) => t.trim().toUpperCase()).filter(Boolean) }))
  const placeholder = profile ?? loadProfile('default-e2e')
  let out
  try {
    out = analyze({ captures: files, profile: placeholder, tests, windowFrames, ...(v.dut ? { dut: v.dut } : {}), dutOptions, ...(onProgress ? { onProgress } : {}) })
  } catch (err) {
    if (err instanceof CaptureError || (err as NodeJS.ErrnoException).code) throw new CliError(`${(err as Error).message}`)
    throw err
  } finally {
    if (tty) process.stderr.write('\n')
  }
  const st = out.stats
  if (st.damage) console.error(`warning: ${st.damage.file} is damaged after frame ${st.damage.afterFrame} (${st.damage.message}); analysed what came before`)
  if (st.ptp === 0) {
    throw new CliError(`no PTP frames in ${files.join(', ')} (${st.frames} frames: ${st.notPtp} not PTP${st.unsupportedLink ? `, ${st.unsupportedLink} of an unsupported link type` : ''})`)
  }
  console.log(`${st.frames} frames, ${st.ptp} PTP, ${out.clocks.length} clocks, timestamps to ${st.resolutionNs} ns`)
  for (const c of out.clocks) console.log(`  ${describeClock(c)}`)

  if (!profile) {
    const sample = out.sample.query()
    const fits = listProfiles({ profileDirs }).map((e) => profileFit(loadProfile(e.id, { profileDirs }), sample))
    console.log(`profiles the traffic fits${sample.length < st.ptp ? ` (judged on its first ${sample.length} PTP frames)` : ''}:`)
    for (const f of fits.filter((x) => x.fits)) console.log(`  ${f.profile}`)
    for (const f of fits.filter((x) => !x.fits)) console.log(`  (not ${f.profile}: ${f.misfits.slice(0, 3).join('; ')})`)
    throw new CliError('choose one with --profile')
  }
  if ('error' in out) throw new CliError(out.error)
  console.log(`judging ${out.dut.clockIdentity} (${out.dut.role}) against ${profile.id}${out.windows > 1 ? ` in ${out.windows} windows` : ''}`)

  const outDir = resolve(v.out!)
  const writer = new ResultsWriter(outDir)
  writer.environment(out.environment)
  for (const r of out.results) {
    const excerpt = out.excerpts.get(r.id)
    if (excerpt) r.evidence.pcapng = writer.evidence(`${profile.id}.${r.id}.excerpt.pcapng`, excerpt)
    writer.result(r)
  }
  writer.summary(summarize(out.environment, out.results, false))
  if (!v['no-report']) console.log((await regenerateReports(outDir)).summaryText)
  else for (const r of out.results) console.log(`  ${r.verdict.padEnd(14)} ${r.id}: ${r.reason}`)
  console.log(`results: ${outDir}`)
  return exitCodeFor(out.results, false, failOn as 'inconclusive'[])
}
