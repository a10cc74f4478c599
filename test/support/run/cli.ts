/** Run the ptp-conform CLI as a child process, the way a lab engineer or CI does. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestResult } from '../../../harness/results/record.ts'

export const CLI = join(process.cwd(), 'bin', 'ptp-conform.js')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], o: { timeoutMs?: number; onStderr?: (chunk: string, child: ChildProcess, stdoutSoFar: string) => void; netns?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const argv = o.netns ? ['ip', ['netns', 'exec', o.netns, process.execPath, CLI, ...args]] as const : [process.execPath, [CLI, ...args]] as const
    const child = spawn(argv[0], [...argv[1]], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => {
      stderr += d
      o.onStderr?.(String(d), child, stdout)
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`ptp-conform ${args.join(' ')} did not finish in ${o.timeoutMs} ms\n${stdout}\n${stderr}`))
    }, o.timeoutMs ?? 300_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

export function readResults(outDir: string): TestResult[] {
  const dir = join(outDir, 'results')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TestResult)
}

export function verdicts(outDir: string): Record<string, string> {
  return Object.fromEntries(readResults(outDir).map((r) => [r.id, r.verdict]))
}
