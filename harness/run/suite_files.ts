/**
 * Finds the conformance tests: every `suites/<area>/*.ts` file default-exports one
 * definition or an array of them. Files under `suites/support/` are helpers, not tests.
 */
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ConformanceTest } from './definition.ts'

export const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'suites')

export function suiteFiles(dir = SUITES_DIR): string[] {
  const out: string[] = []
  for (const area of readdirSync(dir).sort()) {
    const p = join(dir, area)
    if (area === 'support' || !statSync(p).isDirectory()) continue
    for (const f of readdirSync(p).sort()) if (f.endsWith('.ts')) out.push(join(p, f))
  }
  return out
}

export async function loadDefinitions(file: string): Promise<ConformanceTest[]> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: ConformanceTest | ConformanceTest[] }
  if (!mod.default) throw new Error(`${file} has no default export of a conformance test`)
  return Array.isArray(mod.default) ? mod.default : [mod.default]
}

export async function allDefinitions(dir = SUITES_DIR): Promise<{ file: string; def: ConformanceTest }[]> {
  const out: { file: string; def: ConformanceTest }[] = []
  const seen = new Map<string, string>()
  for (const file of suiteFiles(dir)) {
    for (const def of await loadDefinitions(file)) {
      const prev = seen.get(def.id)
      if (prev) throw new Error(`test ID ${def.id} is defined twice (${prev} and ${file})`)
      seen.set(def.id, file)
      out.push({ file, def })
    }
  }
  return out
}
