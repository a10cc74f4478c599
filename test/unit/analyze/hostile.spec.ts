/**
 * analyze on hostile captures: a valid capture's PTP frames mutated as the codec fuzz mutates
 * messages (bit flips, lying lengths, truncation, TLV splices) must be judged, never crash: every
 * judge sees undecodable frames and nonsense fields, and answers with checks or a clear error.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { analyze } from '../../../harness/analyze/analyze.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import { recordingToPcapng } from '../../../harness/recorder/pcapng_export.ts'
import { allDefinitions } from '../../../harness/run/suite_files.ts'
import { mutateFrame } from '../../support/codec/mutator.ts'
import { SeededRandom } from '../../../harness/engines/random.ts'
import { DUT_IDENTITY, simulatedObservation } from '../../support/evidence/simulate.ts'

test.group('analyze: hostile captures', () => {
  test('60 captures with a third of their PTP messages mutated: every capturable test judged, nothing thrown', async ({ assert }) => {
    const profile = loadProfile('default-e2e')
    const tests = (await allDefinitions()).filter(({ def }) => def.capturable)
    const clean = simulatedObservation(profile, { seconds: 20 }).recorder
    const dir = mkdtempSync(join(tmpdir(), 'ptpc-hostile-'))
    const rng = new SeededRandom(20261207)
    let judgedTests = 0
    for (let n = 0; n < 60; n++) {
      const rec = new Recorder()
      for (const f of clean.frames) {
        const bytes = rng.below(3) === 0 ? mutateFrame(rng, f.bytes) : f.bytes
        const { index: _i, notes: _n, message: _m, decodeError: _d, findings: _f, raw: _r, ...rest } = f
        rec.record({ ...rest, bytes })
      }
      const file = join(dir, `h${n}.pcapng`)
      writeFileSync(file, recordingToPcapng(rec))
      const r = analyze({ captures: [file], profile, tests, dut: DUT_IDENTITY, windowFrames: 100 })
      if ('error' in r) {
        assert.isString(r.error)
        continue
      }
      for (const x of r.results) {
        assert.oneOf(x.verdict, ['pass', 'fail', 'inconclusive', 'not-applicable'])
        assert.isString(x.reason)
      }
      judgedTests += r.results.length
    }
    assert.isAbove(judgedTests, 0, 'some mutated captures still name the DUT')
  }).timeout(120_000)
})
