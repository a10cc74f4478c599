/**
 * A harness stand-in for the crash tests: builds a pair lab with a ptp4l DUT
 * in d1, prints one JSON line {id, processes} and then, by mode:
 *   wait  waits forever (the test kills it: SIGKILL, SIGTERM, SIGINT)
 *   exit  returns normally (the exit handler must take the lab down)
 * Usage: node --import tsx holder.ts <stateDir> <mode>
 */
import { Lab } from '../../../harness/lab/index.ts'
import { LinuxptpDut } from '../../../harness/dut/index.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'

const [stateDir, mode] = process.argv.slice(2)
const lab = await Lab.up({ topology: 'pair', stateDir: stateDir! })
const dut = new LinuxptpDut({ tracker: lab, label: 'd1', node: 'd1' })
await dut.start({ profile: loadProfile('default-e2e'), role: 'master', interfaces: [lab.port('d1')] })
process.stdout.write(JSON.stringify({ id: lab.id, processes: lab.processes }) + '\n')
if (mode === 'wait') setInterval(() => undefined, 1 << 30)
