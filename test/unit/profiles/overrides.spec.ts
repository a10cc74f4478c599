/**
 * suites.overrides against the tests that exist: an entry naming no test, or a parameter
 * the test does not read, is a positioned profile error (exit 2 for a run); IDs compare
 * case-insensitively, as test selection does, and tests read them by their canonical ID.
 */
import { test } from '@japa/runner'
import { join } from 'node:path'
import { formatDiagnostic, loadProfile, ProfileError } from '../../../harness/profiles/index.ts'
import { checkProfileOverrides, validateProfileForRun } from '../../../harness/profiles/loader.ts'
import { testParams } from '../../../harness/run/definition.ts'
import PWR01 from '../../../suites/tlv/tlv-pwr-01-c37-238.ts'
import TE02 from '../../../suites/te/te-02-two-way-time-error.ts'
import { REPO_ROOT } from '../../support/profiles/paths.ts'

const FILE = join(REPO_ROOT, 'test/unit/profiles/overrides/override-keys.yaml')
const TESTS = [{ id: 'INT-01', params: { minSamples: 16 } }, { id: 'INT-02' }, { id: 'TLV-PWR-01', params: PWR01.params }, { id: 'TE-02', params: TE02.params }]

test.group('profile overrides name real tests and parameters', () => {
  test('an unknown test and an unread parameter are errors at file:line:col; a mixed-case ID matches', ({ assert }) => {
    const p = loadProfile(FILE)
    const lines = checkProfileOverrides(p, TESTS).map((d) => formatDiagnostic(d, REPO_ROOT))
    assert.deepEqual(lines, [
      "test/unit/profiles/overrides/override-keys.yaml:9:5 suites.overrides.INT-09 names no test: there is no test INT-09 (did you mean 'INT-01'?)",
      "test/unit/profiles/overrides/override-keys.yaml:13:7 suites.overrides.INT-01.minSampels 'minSampels' is not a parameter of INT-01 (it reads minSamples); did you mean 'minSamples'?",
    ])
  })

  test('a run refuses the profile with ProfileError (the CLI maps it to exit 2)', async ({ assert }) => {
    const p = loadProfile(FILE)
    try {
      await validateProfileForRun(p, {}, TESTS)
      assert.fail('expected a ProfileError')
    } catch (e) {
      assert.instanceOf(e, ProfileError)
      assert.match((e as Error).message, /override-keys\.yaml:9:5/)
    }
  })

  test('a test reads an override written with another case by its canonical ID', ({ assert }) => {
    const p = loadProfile(FILE)
    assert.deepEqual(testParams(p, 'TLV-PWR-01', PWR01.params!).grandmasterIdRange, [3, 254])
  })

  test('power-2011 TLV-PWR-01.grandmasterIdRange and TE-02.limitKey are parameters their tests read', ({ assert }) => {
    assert.deepEqual(checkProfileOverrides(loadProfile('power-2011'), TESTS), [])
  })
})
