/**
 * A DUT program's version, from `<program> -v`, asked once per process: every
 * start and describe() records it, the answer cannot change while we run, and
 * each ask forks a process.
 */
import { execFileSync } from 'node:child_process'

/**
 * `pick` turns what the program printed into the version. It also sees the
 * output of a run that exited non-zero (`exitedOk` false): some builds print
 * their version and then fail on the unknown option.
 */
export function versionOnce(program: string, pick: (printed: string, exitedOk: boolean) => string): () => string {
  let cached: string | undefined
  return () => {
    if (cached === undefined) {
      try {
        cached = pick(execFileSync(program, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), true)
      } catch (e) {
        const failed = e as { stdout?: string; stderr?: string }
        cached = pick(String(failed.stdout ?? '') + String(failed.stderr ?? ''), false)
      }
    }
    return cached
  }
}
