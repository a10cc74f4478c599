import { readFileSync } from 'node:fs'

export const describe = 'print the harness version'

export async function run(): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
  console.log(`ptp-conform ${pkg.version}`)
  return 0
}
