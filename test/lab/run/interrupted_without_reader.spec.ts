/**
 * Ctrl-C on a run whose output nobody reads any more (its pipe closed, the parent gone): the
 * run still records the test it was in, tears its lab down and exits 130. Before, the first
 * EPIPE became an uncaught error printed to the same closed pipe, forever.
 */
import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, readResults } from '../../support/run/cli.ts'

const isRoot = process.getuid?.() === 0

test.group('run / interrupted with nobody reading its output', () => {
  test('records the interrupted test, removes its lab, exits 130', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-noreader-'))
    const child = spawn(process.execPath, [CLI, 'run', '--profile', 'default', '--lab', '--dut-impl', 'reference', '--tests', 'MF-05', '--no-report', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    // The reader goes away at once: every write of the run now meets a closed pipe.
    child.stdout.destroy()
    child.stderr.destroy()
    await new Promise((r) => setTimeout(r, 12_000))
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error('the interrupted run did not exit within 60 s'))
      }, 60_000)
      child.on('exit', (c) => {
        clearTimeout(t)
        resolve(c)
      })
    })
    assert.equal(code, 130)
    const [r] = readResults(dir)
    assert.equal(r?.id, 'MF-05')
    assert.equal(r?.harnessError, 'interrupted')
    const lab = /\(netns (pcl-[a-z0-9]+)-h\)/.exec(readFileSync(join(dir, 'environment.json'), 'utf8'))![1]!
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`${lab}-`))
    assert.lengthOf(left, 0)
  })
    .skip(!isRoot, 'needs root for network namespaces')
    .timeout(120_000)
})
