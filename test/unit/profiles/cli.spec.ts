/**
 * The `ptp-conform profiles` command as a user runs it: a real process through
 * bin/ptp-conform.js, checking exit codes and the file:line:col lines.
 */
import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { BROKEN_DIR, REPO_ROOT, SHIPPED_DIR, SHIPPED_IDS } from '../../support/profiles/paths.ts'

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/ptp-conform.js'), 'profiles', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

test.group('profiles / command line', () => {
  test('validate of a broken profile exits 2 with file:line:col path message', ({ assert }) => {
    const r = cli('validate', join(BROKEN_DIR, 'default-outside-range.yaml'))
    assert.equal(r.code, 2)
    assert.equal(
      r.stderr.split('\n')[0],
      'test/unit/profiles/broken/default-outside-range.yaml:6:23 intervals.sync.default.value default 3 is outside its allowed range [-1, 1]',
    )
  }).timeout(60_000)

  test('validate of several files reports each and exits 2 if any is broken', ({ assert }) => {
    const r = cli(
      'validate',
      join(SHIPPED_DIR, 'gptp.yaml'),
      join(BROKEN_DIR, 'unknown-key.yaml'),
      join(BROKEN_DIR, 'yaml-syntax.yaml'),
    )
    assert.equal(r.code, 2)
    assert.match(r.stdout, /gptp\.yaml: ok \(gptp\)/)
    const lines = r.stderr.trim().split('\n')
    assert.deepEqual(lines, [
      "test/unit/profiles/broken/unknown-key.yaml:5:3 transport.unicst unknown key 'unicst' (did you mean 'unicast'?)",
      'test/unit/profiles/broken/yaml-syntax.yaml:6:3 (document) YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '2 of 3 profile files invalid',
    ])
  }).timeout(60_000)

  test('validate of every shipped profile exits 0', ({ assert }) => {
    const r = cli('validate', ...SHIPPED_IDS.map((id) => join(SHIPPED_DIR, `${id}.yaml`)))
    assert.equal(r.code, 0, r.stderr)
    assert.lengthOf(r.stdout.trim().split('\n'), SHIPPED_IDS.length)
  }).timeout(60_000)

  test('show power prints the resolved power-2017 profile with its sources', ({ assert }) => {
    const r = cli('show', 'power')
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^# yaml-language-server: \$schema=\.\/schema\.json\n/)
    assert.match(r.stdout, /^id: power-2017$/m)
    assert.match(r.stdout, /power-2017 <- default-p2p <- default-e2e/)
    assert.include(r.stdout, 'IEEE C37.238-2017 TLV, organizationId 1C-12-9D subtype 00-00-02')
  }).timeout(60_000)

  test('show of an unknown profile exits 2', ({ assert }) => {
    const r = cli('show', 'no-such-profile')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /no profile 'no-such-profile'/)
  }).timeout(60_000)

  test('list exits 0 for the shipped profiles and 2 when a --profiles folder holds broken ones', ({ assert }) => {
    const ok = cli('list')
    assert.equal(ok.code, 0, ok.stderr)
    for (const id of SHIPPED_IDS) assert.match(ok.stdout, new RegExp(`^${id} +ok `, 'm'))
    const bad = cli('list', '--profiles', BROKEN_DIR)
    assert.equal(bad.code, 2)
    assert.match(bad.stdout, /^cycle-a +INVALID \(1\)/m)
    assert.include(bad.stderr, 'test/unit/profiles/broken/cycle-b.yaml:3:10 extends inheritance cycle: cycle-a -> cycle-b -> cycle-a')
  }).timeout(60_000)
})
