/** Writes docs/TESTS.md from the test definitions (`npm run docs:tests`). */
import { writeFileSync } from 'node:fs'
import { currentTestsDoc, TESTS_DOC } from '../harness/run/tests_doc_file.ts'

writeFileSync(TESTS_DOC, await currentTestsDoc())
console.log(`wrote ${TESTS_DOC}`)
