/**
 * The generated HTML renders in a real browser (Debian's chromium, headless) and
 * shows every test ID with its verdict, with no request leaving the machine.
 */
import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { regenerateReports, type FinalizeResult } from '../../../reports/finalize.ts'
import { serveReport } from '../../../reports/serve.ts'
import { writeFixtureRun } from '../../support/reports/fixtures.ts'
import { expandTree, haveChromium, launchChromium, treeLeaves, type Browser } from '../../support/reports/browser.ts'

/** Allure status per fixture test: fail → failed, inconclusive and harness error → broken, n/a → skipped. */
const EXPECTED: Record<string, string> = {
  'MF-01 Header sanity': 'passed',
  'INT-01 Announce, Sync and Delay_Req rates': 'passed',
  'INT-02 Delay_Req spacing': 'failed',
  'TE-02 Time error of a DUT master': 'broken',
  'TLV-GPTP-01 Follow_Up information TLV': 'skipped',
  'BMCA-03 Failover time after grandmaster loss': 'broken',
}

test.group('reports / HTML in Chromium', (group) => {
  let dir = ''
  let reports: FinalizeResult
  let browser: Browser | undefined

  group.setup(async () => {
    if (!haveChromium()) return () => {}
    dir = mkdtempSync(join(tmpdir(), 'ptpc-report-browser-'))
    writeFixtureRun(dir)
    reports = await regenerateReports(dir)
    browser = await launchChromium(dir)
    return async () => {
      await browser?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('served report shows every test ID with its verdict', async ({ assert }) => {
    const served = await serveReport(reports.htmlDir!)
    try {
      const page = await browser!.newPage()
      await page.goto(served.url)
      await expandTree(page)
      const leaves = await treeLeaves(page)
      assert.deepEqual(Object.fromEntries(leaves.map((l) => [l.title, l.status])), EXPECTED)
      await page.screenshot({ path: join(dir, 'report-tree.png') })

      // Inconclusive and harness error share Allure's "broken": the page and category tell them apart.
      const verdictPage = async (title: string, texts: string[]) => {
        await page.getByText(title, { exact: true }).click()
        for (const t of texts) await page.getByText(t).first().waitFor({ timeout: 10_000 })
        await page.goBack()
        await expandTree(page)
      }
      await verdictPage('TE-02 Time error of a DUT master', ['Inconclusive: harness noise', 'Category: Inconclusive results'])
      await verdictPage('BMCA-03 Failover time after grandmaster loss', ['Harness error: interface', 'Category: Harness errors'])
      await verdictPage('INT-02 Delay_Req spacing', ['Conformance failure: 38 %', 'Category: Conformance failures', 'limit unconfirmed'])
      await verdictPage('TLV-GPTP-01 Follow_Up information TLV', ['Not applicable: profile default-e2e'])
      await page.close()
      assert.deepEqual(browser!.refused, [], 'no request left the machine')
    } finally {
      await served.close()
    }
  })
    .skip(!haveChromium(), 'chromium is not installed (.ci/run installs it)')
    .timeout(90_000)

  test('single-file report opens from disk and shows every test ID', async ({ assert }) => {
    const page = await browser!.newPage()
    await page.goto(pathToFileURL(reports.singleFile!).href)
    await expandTree(page)
    const leaves = await treeLeaves(page)
    assert.deepEqual(Object.fromEntries(leaves.map((l) => [l.title, l.status])), EXPECTED)
    // The run's environment is on the overview.
    await page.getByText('ptp4l 3.1.1').first().waitFor({ timeout: 10_000 })
    await page.screenshot({ path: join(dir, 'report-single.png') })
    await page.close()
    assert.deepEqual(browser!.refused, [], 'no request left the machine')
  })
    .skip(!haveChromium(), 'chromium is not installed (.ci/run installs it)')
    .timeout(60_000)
})
