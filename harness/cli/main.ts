/**
 * Command dispatcher. Each subcommand lives in `commands/<name>.ts` and exports
 * `describe` (one line for the help) and `run(argv)` returning an exit code, so a
 * new command is one new file and nothing here changes.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliError, ExitCode } from '../run/exit_codes.ts'

export interface Command {
  describe: string
  run(argv: string[]): Promise<number>
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands')

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort()
}

async function load(name: string): Promise<Command> {
  return (await import(join(commandsDir, `${name}.ts`))) as Command
}

async function help(): Promise<void> {
  console.log('usage: ptp-conform <command> [options]\n\ncommands:')
  for (const name of commandNames()) {
    const cmd = await load(name)
    console.log(`  ${name.padEnd(10)} ${cmd.describe}`)
  }
  console.log('\nRun `ptp-conform <command> --help` for its options.')
}

/**
 * A reader that went away (a pipe closed early, a parent killed) must not stop a run from
 * recording, reporting and tearing its lab down. Unhandled, the first EPIPE is an uncaught
 * error that Japa prints to the same closed stream, which fails again, forever (a run spun at
 * 100 % CPU growing 40 MB/s). The output is dropped instead.
 */
function dropOutputWhenReaderGone(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e
    })
  }
}

export async function main(argv: string[]): Promise<number> {
  dropOutputWhenReaderGone()
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help()
    return name ? ExitCode.ok : ExitCode.usage
  }
  if (!commandNames().includes(name)) {
    console.error(`ptp-conform: unknown command '${name}' (try --help)`)
    return ExitCode.usage
  }
  try {
    return await (await load(name)).run(rest)
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`ptp-conform ${name}: ${err.message}`)
      return err.exitCode
    }
    console.error(`ptp-conform ${name}: harness error:`, err)
    return ExitCode.harness
  }
}
