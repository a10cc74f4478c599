/**
 * A capture recorded by a live lab run, analysed as if it came from any network, gives the
 * live run's verdicts for the capturable tests — the same judges on the same frames — for
 * three profiles (E2E over UDPv4, P2P, gPTP over Ethernet).
 */
import { test } from '@japa/runner'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readResults, runCli } from '../../support/run/cli.ts'

const isRoot = process.getuid?.() === 0
const CAPTURABLE = 'INT-01,MF-01,MF-03,MF-05,MF-07'

test.group('analyze / a lab run\'s capture gives the live verdicts', () => {
  for (const profile of ['default-e2e', 'default-p2p', 'gptp']) {
    test(profile, async ({ assert }) => {
      const dir = mkdtempSync(join(tmpdir(), `ptpc-analyze-${profile}-`))
      const live = await runCli(['run', '--profile', profile, '--lab', '--tests', CAPTURABLE, '--no-report', '--out', join(dir, 'live')], { timeoutMs: 240_000 })
      assert.oneOf(live.code, [0, 1], live.stdout + live.stderr)
      const liveResults = readResults(join(dir, 'live'))
      const int01 = liveResults.find((r) => r.id === 'INT-01')!
      assert.isDefined(int01.evidence.pcapng, 'the live run stored its capture')

      const a = await runCli(['analyze', join(dir, 'live', int01.evidence.pcapng!), '--profile', profile, '--tests', CAPTURABLE, '--no-report', '--out', join(dir, 'analyzed')], { timeoutMs: 120_000 })
      assert.oneOf(a.code, [0, 1], a.stdout + a.stderr)
      const analyzed = new Map(readResults(join(dir, 'analyzed')).map((r) => [r.id, r]))
      for (const r of liveResults) assert.equal(analyzed.get(r.id)?.verdict, r.verdict, `${r.id}: live ${r.reason} / analyze ${analyzed.get(r.id)?.reason}`)
    })
      .skip(!isRoot, 'needs root for network namespaces')
      .timeout(400_000)
  }
})
