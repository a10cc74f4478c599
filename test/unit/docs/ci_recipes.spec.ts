/**
 * The CI recipes in docs/ci/ are YAML that GitHub Actions and GitLab CI accept in shape (matrix
 * jobs, artifacts, a merged-report job after them), and every ptp-conform command in them is
 * one this version parses: the run options (with the matrix's values substituted) and the
 * profiles they name.
 */
import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { parseRunOptions } from '../../../harness/run/options.ts'
import { REPO_ROOT } from '../../support/profiles/paths.ts'

const recipe = (name: string) => parse(readFileSync(join(REPO_ROOT, 'docs', 'ci', name), 'utf8')) as Record<string, any>

/** The argv after `ptp-conform.js` in a shell command line (no quoting beyond "…" is used there). */
function cliArgs(line: string): string[] | undefined {
  const m = /ptp-conform\.js\s+(.*)$/s.exec(line.replace(/\s+/g, ' ').trim())
  return m ? [...m[1]!.matchAll(/"([^"]*)"|(\S+)/g)].map((x) => x[1] ?? x[2]!) : undefined
}

function checkCommands(lines: string[], vars: Record<string, string>, assert: any): number {
  let runs = 0
  for (const raw of lines) {
    const line = raw.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}|\$(\w+)/g, (_m, a, b) => vars[a ?? b] ?? `unset-${a ?? b}`)
    assert.notInclude(line, 'unset-', `a variable the matrix does not set: ${raw}`)
    const args = cliArgs(line)
    if (!args) continue
    if (args[0] === 'run') {
      const o = parseRunOptions(args.slice(1))
      assert.notEqual(o, 'help')
      if (o !== 'help') {
        assert.doesNotThrow(() => loadProfile(o.profile), o.profile)
        assert.include(o.failOn ?? [], 'new-failures')
        assert.isDefined(o.baseline)
      }
      runs++
    } else if (args[0] === 'diff') {
      assert.lengthOf(args, 3, line)
    } else {
      assert.fail(`unexpected command ${args[0]} in ${line}`)
    }
  }
  return runs
}

test.group('docs / CI recipes', () => {
  test('GitHub Actions: a matrix of DUT × profile, results uploaded always, one merged Allure report after', ({ assert }) => {
    const y = recipe('github-actions.yml')
    const job = y.jobs.conformance
    const include = job.strategy.matrix.include as Record<string, string>[]
    assert.isAbove(include.length, 1)
    assert.isFalse(job.strategy['fail-fast'])
    for (const m of include) {
      const lines = (job.steps as { run?: string }[]).flatMap((s) => (s.run ? [s.run] : []))
      assert.equal(checkCommands(lines, m, assert), 1)
    }
    const upload = (job.steps as any[]).find((s) => String(s.uses).startsWith('actions/upload-artifact'))
    assert.equal(upload.if, 'always()')
    const report = y.jobs.report
    assert.equal(report.needs, 'conformance')
    assert.equal(report.if, 'always()')
    assert.isTrue((report.steps as any[]).some((s) => /npx allure generate results\/\*\/allure-results --output \S+/.test(s.run ?? '')))
  })

  test('GitLab CI: parallel matrix, JUnit reports, artifacts when always, the merged report after', ({ assert }) => {
    const y = recipe('gitlab-ci.yml')
    const job = y.conformance
    assert.deepEqual(y.stages, ['conformance', 'report'])
    let runs = 0
    for (const m of job.parallel.matrix as Record<string, string | string[]>[]) {
      for (const profile of [m.PROFILE].flat()) runs += checkCommands([...job.script, ...job.after_script], { ...m, PROFILE: profile } as Record<string, string>, assert)
    }
    assert.equal(runs, 3)
    assert.equal(job.artifacts.when, 'always')
    assert.equal(job.artifacts.reports.junit, 'results/*/junit.xml')
    assert.deepEqual(y.report.needs, ['conformance'])
    assert.isTrue((y.report.script as string[]).some((l) => /npx allure generate \.\.\/results\/\*\/allure-results --output/.test(l)))
  })
})
