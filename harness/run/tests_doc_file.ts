/**
 * Builds docs/TESTS.md's text from the shipped suites, profiles and fault catalogue: the one
 * place both `npm run docs:tests` (writes it) and the unit test (checks it is current) use.
 */
import { relative, join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProfiles, loadProfile } from '../profiles/index.ts'
import { FAULTS } from '../refdut/faults.ts'
import { allDefinitions } from './suite_files.ts'
import { testsMarkdown } from './tests_doc.ts'

export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TESTS_DOC = join(REPO_DIR, 'docs', 'TESTS.md')

export async function currentTestsDoc(): Promise<string> {
  const tests = (await allDefinitions()).map(({ file, def }) => ({ file: relative(REPO_DIR, file), def }))
  const profiles = listProfiles().map((e) => loadProfile(e.id))
  return testsMarkdown(tests, profiles, FAULTS) + '\n'
}
