import { parseRunOptions, RUN_USAGE } from '../../run/options.ts'
import { runConformance } from '../../run/runner.ts'
import { runDifferential } from '../../run/differential.ts'

export const describe = 'run a profile\'s conformance tests against a DUT (virtual lab or real interface)'

export async function run(argv: string[]): Promise<number> {
  const o = parseRunOptions(argv)
  if (o === 'help') {
    console.log(RUN_USAGE)
    return 0
  }
  return o.compareImpls ? runDifferential(o, o.compareImpls) : runConformance(o)
}
