/**
 * `--history DIR`: Allure's history file in a folder kept between runs gets one entry per
 * report, holding every test by its history id (profile, test ID and DUT), so the second
 * report shows each test's earlier verdict and the trend. Two real Allure generations.
 */
import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HISTORY_FILE, regenerateReports } from '../../../reports/finalize.ts'
import { historyId } from '../../../reports/allure/uuid.ts'
import { dutName } from '../../../reports/allure/environment.ts'
import { writeFixtureRun } from '../../support/reports/fixtures.ts'

test.group('reports / history across runs', () => {
  test('two reports with one history folder: two entries, each with every test of the DUT', async ({ assert }) => {
    const root = mkdtempSync(join(tmpdir(), 'ptpc-history-'))
    try {
      const history = join(root, 'history')
      const first = writeFixtureRun(join(root, 'build-1'))
      writeFixtureRun(join(root, 'build-2'))
      await regenerateReports(join(root, 'build-1'), { singleFile: false, historyDir: history })
      await regenerateReports(join(root, 'build-2'), { historyDir: history })
      const entries = readFileSync(join(history, HISTORY_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { testResults: Record<string, { status: string }> })
      assert.lengthOf(entries, 2)
      const dut = dutName(first.env)
      for (const r of first.results) {
        for (const e of entries) assert.property(e.testResults, historyId(r.profile, r.id, dut), r.id)
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }).timeout(240_000)
})
