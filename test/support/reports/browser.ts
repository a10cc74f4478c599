/**
 * Headless Chromium (Debian's /usr/bin/chromium) for the report tests, with a fresh
 * profile folder, and helpers that read the Allure 3 report's test tree. Every
 * request that is not loopback, file: or data: is refused and recorded: a report
 * must render with no network, and must not call anywhere.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export function haveChromium(): boolean {
  return existsSync(CHROMIUM)
}

export interface Browser {
  context: BrowserContext
  /** URLs the page tried to reach outside loopback. */
  refused: string[]
  newPage(): Promise<Page>
  close(): Promise<void>
}

export async function launchChromium(tmpDir: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpDir, 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  })
  const refused: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    const local = url.protocol === 'file:' || url.protocol === 'data:' || url.hostname === '127.0.0.1'
    if (local) return route.continue()
    refused.push(url.href)
    return route.abort()
  })
  return {
    context,
    refused,
    newPage: () => context.newPage(),
    close: () => context.close(),
  }
}

export interface TreeLeaf {
  title: string
  /** Allure status: passed, failed, broken, skipped. */
  status: string
}

/** Waits for Allure to render its tree, then opens every collapsed group. */
export async function expandTree(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector('[data-testid="tree-leaf"]', { timeout: timeoutMs })
  for (let round = 0; round < 100; round++) {
    // A collapsed group's arrow icon lacks the "opened" modifier class.
    const closed = page.locator('[data-testid="tree-section"] > [data-testid="tree-arrow"]:not(:has(svg[class*="--opened"]))')
    const n = await closed.count()
    if (n === 0) return
    await closed.first().click()
  }
}

export async function treeLeaves(page: Page): Promise<TreeLeaf[]> {
  return page.$$eval('[data-testid="tree-leaf"]', (els) =>
    els.map((e) => ({
      title: e.querySelector('[data-testid="tree-leaf-title"]')?.textContent ?? '',
      status: (e.querySelector('[data-testid^="tree-leaf-status-"]')?.getAttribute('data-testid') ?? '').replace('tree-leaf-status-', ''),
    })),
  )
}
