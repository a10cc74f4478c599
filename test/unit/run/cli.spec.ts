import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../support/run/cli.ts'

test.group('run / command line (no network)', () => {
  test('--help prints the usage and exits 0', async ({ assert }) => {
    const r = await runCli(['run', '--help'])
    assert.equal(r.code, 0)
    assert.include(r.stdout, '--i-know-this-is-a-test-network')
  }).timeout(30_000)

  test('a missing --profile is a usage error (exit 2)', async ({ assert }) => {
    const r = await runCli(['run', '--lab'])
    assert.equal(r.code, 2)
    assert.include(r.stderr, '--profile is required')
  }).timeout(30_000)

  test('an unknown profile is a profile error (exit 2)', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'no-such-profile', '--lab'])
    assert.equal(r.code, 2)
    assert.include(r.stderr, 'no-such-profile')
  }).timeout(30_000)

  test('a broken profile file exits 2 with file:line:col', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-run-'))
    const file = join(dir, 'broken.yaml')
    writeFileSync(file, 'id: broken\nextends: default-e2e\ndomain:\n  default: { value: 300, source: x }\n')
    const r = await runCli(['run', '--profile', file, '--lab'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /broken\.yaml:\d+:\d+ /)
  }).timeout(30_000)

  test('a transport the profile does not allow is refused (exit 2)', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'gptp', '--lab', '--transport', 'udp4'])
    assert.equal(r.code, 2)
    assert.include(r.stderr, 'allows transports l2')
  }).timeout(30_000)

  test('--list shows the selection with not-applicable tests marked', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'default', '--list'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /^INT-01 /m)
    assert.match(r.stdout, /^TLV-PWR-01 .*not applicable/m)
    assert.notMatch(r.stdout, /^MF-01 .*not applicable/m)
  }).timeout(30_000)

  test('a selection that matches nothing is a usage error', async ({ assert }) => {
    const r = await runCli(['run', '--profile', 'default', '--lab', '--tests', 'NOPE-99'])
    assert.equal(r.code, 2)
  }).timeout(30_000)
})
