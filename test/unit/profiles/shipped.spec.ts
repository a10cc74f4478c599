import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  listProfiles,
  loadProfile,
  profileToJson,
  profileToYaml,
  resolveAlias,
  schemaText,
  testIdMatches,
  validateProfileFile,
} from '../../../harness/profiles/index.ts'
import { checkFileSchema } from '../../../harness/profiles/schema_check.ts'
import { readProfileFile } from '../../../harness/profiles/yaml_source.ts'
import { CATALOGUE_IDS, SHIPPED_DIR, SHIPPED_IDS } from '../../support/profiles/paths.ts'

/** Source keys of docs/profiles.md's legend; a citation must use only these. */
const LEGEND = new Set([
  'LP', 'LPC', 'WS', 'I19', 'C19', 'FB', 'ST', 'PY', 'OCP', 'XL', 'ZG', 'MS-AS', 'MS-T', 'MS-P', 'VT', 'CAL', 'C11',
  'ABB', 'NOK', 'JUN', 'FTN', 'OPC', 'MIB', 'VM', '3P', 'CAT', 'FOLK', 'LF',
])

function sourcesOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => sourcesOf(x, out))
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'source' && typeof x === 'string') out.push(x)
      else sourcesOf(x, out)
    }
  }
  return out
}

test.group('profiles / shipped files', () => {
  test('profiles/ holds exactly the seven shipped profiles', ({ assert }) => {
    const files = readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.yaml')).sort()
    assert.deepEqual(files, [...SHIPPED_IDS].map((id) => `${id}.yaml`).sort())
  })

  for (const id of SHIPPED_IDS) {
    test(`${id} validates with no diagnostics`, ({ assert }) => {
      const r = validateProfileFile(join(SHIPPED_DIR, `${id}.yaml`))
      assert.deepEqual(r.diagnostics, [])
      assert.equal(r.profile?.id, id)
    })

    test(`${id} starts with the yaml-language-server schema comment`, ({ assert }) => {
      const first = readFileSync(join(SHIPPED_DIR, `${id}.yaml`), 'utf8').split('\n')[0]
      assert.equal(first, '# yaml-language-server: $schema=./schema.json')
    })

    test(`${id} passes the editor view of schema.json as written`, ({ assert }) => {
      const src = readProfileFile(join(SHIPPED_DIR, `${id}.yaml`))
      assert.deepEqual(checkFileSchema(src.data, src.positions), [])
    })

    test(`${id}: every citation names only legend source keys`, ({ assert }) => {
      const p = loadProfile(id)
      for (const s of sourcesOf(p)) {
        const groups = [...s.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!)
        assert.isAbove(groups.length, 0, `no [KEY] in "${s}"`)
        for (const key of groups.flatMap((g) => g.split(',').map((k) => k.trim()))) {
          assert.isTrue(LEGEND.has(key), `unknown source key [${key}] in "${s}"`)
        }
      }
    })

    test(`${id}: every suite pattern selects a catalogue test`, ({ assert }) => {
      const p = loadProfile(id)
      const patterns = [
        ...p.suites.apply,
        ...p.suites.skip,
        ...Object.keys(p.suites.overrides),
        ...p.lab.expectedFindings.map((f) => f.test),
      ]
      for (const pat of patterns) {
        assert.isTrue(
          CATALOGUE_IDS.some((t) => testIdMatches(pat.toUpperCase(), t.toUpperCase())),
          `${pat} selects no catalogue test`,
        )
      }
      for (const f of p.lab.expectedFindings) {
        assert.isTrue(p.suites.apply.some((pat) => testIdMatches(pat, f.test)), `${f.test} is expected to fail but not applied`)
      }
    })
  }
})

test.group('profiles / show output re-validates', (group) => {
  let dir = ''
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), `ptp-conform-profiles-${process.pid}-`))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  for (const id of SHIPPED_IDS) {
    test(`${id}: YAML and JSON from show validate and resolve to the same profile`, ({ assert }) => {
      const p = loadProfile(id)
      const yamlFile = join(dir, `${id}.yaml`)
      const jsonFile = join(dir, `${id}.json`)
      writeFileSync(yamlFile, profileToYaml(p))
      writeFileSync(jsonFile, profileToJson(p))
      for (const f of [yamlFile, jsonFile]) {
        const r = validateProfileFile(f)
        assert.deepEqual(r.diagnostics, [], f)
        const { origin: _a, ...again } = r.profile!
        const { origin: _b, ...orig } = p
        assert.deepEqual(again, orig)
      }
      // The written form is complete: it no longer depends on a parent.
      assert.notMatch(readFileSync(yamlFile, 'utf8'), /^extends:/m)
    })
  }
})

test.group('profiles / schema.json', () => {
  test('profiles/schema.json is what schema_source.ts builds', ({ assert }) => {
    assert.equal(readFileSync(join(SHIPPED_DIR, 'schema.json'), 'utf8'), schemaText())
  })

  test('schema.json declares JSON Schema 2020-12', ({ assert }) => {
    const s = JSON.parse(readFileSync(join(SHIPPED_DIR, 'schema.json'), 'utf8'))
    assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema')
  })
})

test.group('profiles / short names and listing', () => {
  test('short names resolve to the profile ids', ({ assert }) => {
    assert.equal(resolveAlias('default'), 'default-e2e')
    assert.equal(resolveAlias('power'), 'power-2017')
    assert.equal(resolveAlias('802.1as'), 'gptp')
    assert.equal(resolveAlias('gptp'), 'gptp')
    assert.equal(resolveAlias('telecom'), 'g8275-1')
    assert.equal(resolveAlias('802.1AS'), 'gptp')
    assert.equal(resolveAlias('g8275-2'), 'g8275-2')
  })

  test('loadProfile accepts the short names', ({ assert }) => {
    assert.equal(loadProfile('default').id, 'default-e2e')
    assert.equal(loadProfile('power').id, 'power-2017')
    assert.equal(loadProfile('802.1as').id, 'gptp')
    assert.equal(loadProfile('gptp').id, 'gptp')
    assert.equal(loadProfile('telecom').id, 'g8275-1')
  })

  test('listProfiles lists the shipped profiles, all valid, with their aliases', ({ assert }) => {
    const entries = listProfiles()
    assert.deepEqual(entries.map((e) => e.id), [...SHIPPED_IDS].sort())
    for (const e of entries) assert.deepEqual(e.diagnostics, [], e.id)
    assert.deepEqual(entries.find((e) => e.id === 'power-2017')?.aliases, ['power'])
    assert.equal(entries.find((e) => e.id === 'power-2017')?.extends, 'default-p2p')
  })

  test('resolved profiles record their extends chain', ({ assert }) => {
    assert.deepEqual(loadProfile('power-2017').origin?.chain, ['power-2017', 'default-p2p', 'default-e2e'])
    assert.deepEqual(loadProfile('gptp').origin?.chain, ['gptp'])
  })
})
