import { test } from '@japa/runner'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProfileError, listProfiles, loadProfile, validateProfileFile } from '../../../harness/profiles/index.ts'
import { mergeLayers } from '../../../harness/profiles/merge.ts'
import { displayPath, parseDisplayPath } from '../../../harness/profiles/paths.ts'
import { parseProfileText } from '../../../harness/profiles/yaml_source.ts'

function layer(text: string, file = 'x.yaml') {
  const src = parseProfileText(file, text)
  return { data: src.data, positions: src.positions }
}

test.group('profiles / extends merge rules', () => {
  test('mappings merge, lists replace, null deletes, scalars replace', ({ assert }) => {
    const parent = layer('a: { b: 1, c: 2 }\nlist: [1, 2, 3]\ngone: { x: 1 }\ns: old\n', 'p.yaml')
    const child = layer('a: { c: 3, d: 4 }\nlist: [9]\ngone: null\ns: new\n', 'c.yaml')
    const { layer: out, diagnostics } = mergeLayers(parent, child)
    assert.deepEqual(diagnostics, [])
    assert.deepEqual(out.data, { a: { b: 1, c: 3, d: 4 }, list: [9], s: 'new' })
    // Positions follow the file that wrote each value.
    assert.equal(out.positions.get('/a/b')?.file, 'p.yaml')
    assert.equal(out.positions.get('/a/c')?.file, 'c.yaml')
    assert.equal(out.positions.get('/list/0')?.file, 'c.yaml')
    assert.isUndefined(out.positions.get('/list/1'))
  })

  test('a cited value replaces the inherited one whole: no inherited note survives', ({ assert }) => {
    const parent = layer("v: { value: 1, source: 'a [I19]', note: old reason, unconfirmed: true }\n")
    const child = layer("v: { value: 2, source: 'b [LP]' }\n")
    assert.deepEqual(mergeLayers(parent, child).layer.data, { v: { value: 2, source: 'b [LP]' } })
  })

  test('changing a sourced block without restating its source is reported at the block', ({ assert }) => {
    const parent = layer("steps: { oneStep: allowed, twoStep: allowed, source: 'x [I19]' }\n")
    const child = layer('steps:\n  oneStep: forbidden\n', 'c.yaml')
    const { diagnostics } = mergeLayers(parent, child)
    assert.lengthOf(diagnostics, 1)
    assert.deepInclude(diagnostics[0]!, { file: 'c.yaml', line: 1, col: 1, path: 'steps' })
    const restated = layer("steps:\n  oneStep: forbidden\n  source: 'y [CAL]'\n")
    assert.deepEqual(mergeLayers(parent, restated).diagnostics, [])
  })
})

test.group('profiles / user profile folders', (group) => {
  let dir = ''
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), `ptp-conform-userprof-${process.pid}-`))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('a user profile extends a shipped one and runs the lab outside the profile, declared', ({ assert }) => {
    writeFileSync(
      join(dir, 'fast-lab.yaml'),
      [
        'id: fast-lab',
        'extends: default',
        'name: Default E2E, fast lab intervals',
        'lab:',
        '  ptp4l: { logAnnounceInterval: -2, logSyncInterval: -3 }',
        '  outsideProfile:',
        '    - { key: logAnnounceInterval, reason: quick lab runs }',
        '    - { key: logSyncInterval, reason: quick lab runs }',
        '  judgeIntervalsAgainst: advertised',
        "  source: 'lab choice [LF]'",
        '',
      ].join('\n'),
    )
    const p = loadProfile('fast-lab', { profileDirs: [dir] })
    assert.deepEqual(p.origin?.chain, ['fast-lab', 'default-e2e'])
    assert.equal(p.lab.ptp4l.logSyncInterval, -3)
    assert.equal(p.intervals.announce.default.value, 1)
    assert.equal(p.lab.judgeIntervalsAgainst, 'advertised')
  })

  test('a user profile with a shipped id or short name is found first', ({ assert }) => {
    writeFileSync(
      join(dir, 'power.yaml'),
      "id: power\nextends: power-2011\nname: Site power profile\nintervals:\n  sync:\n    fixed: true\n",
    )
    assert.equal(loadProfile('power', { profileDirs: [dir] }).id, 'power')
    assert.equal(loadProfile('power').id, 'power-2017')
    const listed = listProfiles({ profileDirs: [dir] })
    assert.equal(listed.find((e) => e.id === 'power')?.file, join(dir, 'power.yaml'))
  })

  test('a file whose id differs from its name is refused when loaded by id', ({ assert }) => {
    writeFileSync(join(dir, 'mine.yaml'), 'id: theirs\nextends: default-e2e\nname: x\n')
    assert.deepEqual(validateProfileFile(join(dir, 'mine.yaml')).diagnostics, [])
    const err = assert.throws(() => loadProfile('mine', { profileDirs: [dir] })) as unknown as ProfileError
    assert.instanceOf(err, ProfileError)
    assert.deepInclude(err.diagnostics[0]!, { line: 1, col: 5, path: 'id' })
    assert.match(err.diagnostics[0]!.message, /does not match the file name mine\.yaml/)
  })

  test('an unknown id throws a ProfileError naming the known profiles', ({ assert }) => {
    try {
      loadProfile('no-such-profile')
      assert.fail('expected a ProfileError')
    } catch (err) {
      assert.instanceOf(err, ProfileError)
      assert.match((err as Error).message, /no profile 'no-such-profile' \(known: default-e2e, default-p2p/)
    }
  })
})

test.group('profiles / paths and positions', () => {
  test('dotted paths quote keys that are not plain names and parse back', ({ assert }) => {
    const segs = ['lab', 'ptp4l', 'G.8275.defaultDS.localPriority']
    assert.equal(displayPath(segs), 'lab.ptp4l["G.8275.defaultDS.localPriority"]')
    assert.deepEqual(parseDisplayPath(displayPath(segs)), segs)
    assert.equal(displayPath(['tlvs', 'Announce', 'required', 0, 'tlv']), 'tlvs.Announce.required[0].tlv')
    assert.deepEqual(parseDisplayPath('tlvs.Announce.required[0].tlv'), ['tlvs', 'Announce', 'required', 0, 'tlv'])
    assert.isUndefined(parseDisplayPath('a..b'))
  })

  test('key and value positions are 1-based line and column', ({ assert }) => {
    const src = parseProfileText('f.yaml', '# c\nouter:\n  inner: [1, 2]\n')
    assert.deepEqual(src.positions.get('/outer/inner'), { file: 'f.yaml', key: { line: 3, col: 3 }, value: { line: 3, col: 10 } })
    assert.deepEqual(src.positions.get('/outer/inner/1'), { file: 'f.yaml', value: { line: 3, col: 14 } })
  })
})
