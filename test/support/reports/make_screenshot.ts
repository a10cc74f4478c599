/**
 * Renders a report in headless Chromium and saves the screenshot the README
 * shows (docs/report-screenshot.png): the test tree beside one test's checks
 * and plot.
 *
 *   node --import tsx test/support/reports/make_screenshot.ts [RUN_DIR] [TEST_TITLE]
 *
 * With RUN_DIR (the --out of `ptp-conform run`) the screenshot is of that run;
 * without it, of the report tests' fixture run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { regenerateReports } from '../../../reports/finalize.ts'
import { serveReport } from '../../../reports/serve.ts'
import { expandTree, launchChromium } from './browser.ts'
import { writeFixtureRun } from './fixtures.ts'

const ROOT = new URL('../../../', import.meta.url).pathname
const target = join(ROOT, 'docs', 'report-screenshot.png')

const tmp = mkdtempSync(join(tmpdir(), 'ptpc-screenshot-'))
try {
  const runDir = process.argv[2] ?? join(tmp, 'run')
  if (!process.argv[2]) writeFixtureRun(runDir)
  const title = process.argv[3] ?? 'INT-02 Delay_Req spacing'
  const reports = await regenerateReports(runDir)
  const served = await serveReport(reports.htmlDir!)
  const browser = await launchChromium(tmp)
  try {
    const page = await browser.newPage()
    await page.setViewportSize({ width: 1600, height: 1000 })
    await page.goto(served.url)
    await expandTree(page)
    // Tree and test side by side.
    await page.locator('[data-testid="toggle-layout-button"]').click()
    await expandTree(page)
    await page.getByText(title, { exact: true }).first().click()
    await page.getByText('Test body').first().waitFor()
    // Open the first generated plot inline.
    const plot = page.getByText(/intervals$|over time$/).first()
    if (await plot.count()) {
      await plot.click()
      await page.waitForTimeout(500)
      await plot.scrollIntoViewIfNeeded()
    }
    await page.waitForTimeout(500)
    await page.screenshot({ path: target })
    console.log(`wrote ${target}`)
    if (browser.refused.length) console.log(`refused requests: ${browser.refused.join(', ')}`)
  } finally {
    await browser.close()
    await served.close()
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
