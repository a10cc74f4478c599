import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import { currentTestsDoc, TESTS_DOC } from '../../../harness/run/tests_doc_file.ts'
import { allDefinitions } from '../../../harness/run/suite_files.ts'

test.group('docs/TESTS.md', () => {
  test('is what `npm run docs:tests` writes from today\'s definitions', async ({ assert }) => {
    const onDisk = readFileSync(TESTS_DOC, 'utf8')
    assert.isTrue(onDisk === (await currentTestsDoc()), 'docs/TESTS.md is stale: run `npm run docs:tests` and commit it')
  })

  test('names every test ID with its file', async ({ assert }) => {
    const onDisk = readFileSync(TESTS_DOC, 'utf8')
    for (const { def } of await allDefinitions()) assert.include(onDisk, `### ${def.id} `)
  })
})
