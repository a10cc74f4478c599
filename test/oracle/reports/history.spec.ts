/**
 * `--history DIR`: Allure's history file in a folder kept between runs gets one entry per
 * report. Allure 3 keys each test by its test case and its parameters, the DUT among them: the
 * same DUT's tests link across reports, another DUT's stay apart. Three real generations.
 */
import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HISTORY_FILE, regenerateReports } from '../../../reports/finalize.ts'
import { writeFixtureRun } from '../../support/reports/fixtures.ts'

test.group('reports / history across runs', () => {
  test('one entry per report; the same DUT keeps its keys, another DUT gets its own', async ({ assert }) => {
    const root = mkdtempSync(join(tmpdir(), 'ptpc-history-'))
    try {
      const history = join(root, 'history')
      const first = writeFixtureRun(join(root, 'build-1'))
      writeFixtureRun(join(root, 'build-2'))
      const other = writeFixtureRun(join(root, 'other-dut'))
      writeFileSync(join(root, 'other-dut', 'environment.json'), JSON.stringify({ ...other.env, dut: { ...other.env.dut, implementation: 'Acme GM-1000' } }))
      await regenerateReports(join(root, 'build-1'), { singleFile: false, historyDir: history })
      await regenerateReports(join(root, 'build-2'), { historyDir: history })
      await regenerateReports(join(root, 'other-dut'), { singleFile: false, historyDir: history })
      const entries = readFileSync(join(history, HISTORY_FILE), 'utf8').trim().split('\n').map((l) => Object.keys((JSON.parse(l) as { testResults: object }).testResults).sort())
      assert.lengthOf(entries, 3)
      assert.lengthOf(entries[0]!, first.results.length)
      assert.deepEqual(entries[1], entries[0], 'the same DUT links across reports')
      assert.isEmpty(entries[2]!.filter((k) => entries[0]!.includes(k)), 'another DUT keeps apart')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }).timeout(240_000)
})
