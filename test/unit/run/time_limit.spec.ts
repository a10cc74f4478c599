/**
 * A test over its time limit is aborted where it waits and waited for: it ends as a harness
 * error that says so, and only then does the next test start (Japa's own timeout used to start
 * the next test while the late one still drove the port).
 */
import { test } from '@japa/runner'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { executeTest, timeLimitMs } from '../../../harness/run/execute.ts'
import { conformance } from '../../../harness/run/definition.ts'
import type { Session } from '../../../harness/run/session_types.ts'
import { ResultsWriter } from '../../../harness/results/writer.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'

/** The little of a session executeTest reads before and after an acquisition. */
const session = {
  mode: 'lab',
  transport: 'udp4',
  delayMechanism: 'E2E',
  domainNumber: 0,
  timestamping: 'software',
  clockType: 'ordinary',
  harnessClockIdentity: (n: number) => `020000.fffe.0000${String(n).padStart(2, '0')}`,
  noise: { ns: 1000n, timeErrorFloorNs: 2000n, method: 'stub' },
  dut: { logs: async () => '' },
  dutSettings: { intervals: { announce: { value: 0 } } },
} as unknown as Session

test.group('run / a test\'s time limit', () => {
  test('each step restarts the limit: a test of several cases, each within it, runs to its end', async ({ assert }) => {
    const stepping = conformance({
      id: 'MF-01', title: 'stepping stand-in', area: 'MF', clause: '-', mapsTo: [], fixture: 'dut-master', estimatedSeconds: 1,
      criteria: { pass: '-', fail: '-' },
      appliesTo: () => true,
      async acquire(ctx) {
        for (let i = 0; i < 4; i++) {
          ctx.step(`case ${i}`)
          await ctx.sleep(120)
        }
        return {}
      },
      judge: () => ({ checks: [{ name: 'ran', verdict: 'pass', measured: 4, limit: '4', source: '-' }] }),
    })
    const r = await executeTest(stepping, { profile: loadProfile('default-e2e'), session, writer: new ResultsWriter(mkdtempSync(join(tmpdir(), 'ptpc-limit-'))), signal: new AbortController().signal, timeLimitMs: 200 })
    assert.equal(r.verdict, 'pass', r.reason)
  })

  test('an acquisition still waiting at its limit is aborted and ends as a harness error naming the limit; the call returns only after it stopped', async ({ assert }) => {
    let stoppedAt = 0
    const slow = conformance({
      id: 'MF-01', title: 'slow stand-in', area: 'MF', clause: '-', mapsTo: [], fixture: 'dut-master', estimatedSeconds: 1,
      criteria: { pass: '-', fail: '-' },
      appliesTo: () => true,
      async acquire(ctx) {
        try {
          await ctx.sleep(30_000)
        } finally {
          stoppedAt = Date.now()
        }
        return {}
      },
      judge: () => ({ checks: [] }),
    })
    const t0 = Date.now()
    const r = await executeTest(slow, { profile: loadProfile('default-e2e'), session, writer: new ResultsWriter(mkdtempSync(join(tmpdir(), 'ptpc-limit-'))), signal: new AbortController().signal, timeLimitMs: 200 })
    assert.equal(r.verdict, 'inconclusive')
    assert.match(r.reason, /harness error: the test took no step for 0.2 s, its time limit/)
    assert.isAbove(stoppedAt, 0, 'the acquisition had stopped when executeTest returned')
    assert.isBelow(Date.now() - t0, 5_000)
    assert.equal(timeLimitMs({ estimatedSeconds: 40 }), 160_000)
    assert.equal(timeLimitMs({ estimatedSeconds: 1 }), 60_000)
    // A DUT announcing every 2^3 s waits 8 × as long in every case; a faster one no less than 1 s allows.
    assert.equal(timeLimitMs({ estimatedSeconds: 40 }, 3), 8 * 160_000)
    assert.equal(timeLimitMs({ estimatedSeconds: 40 }, -3), 160_000)
  })
})
