/**
 * `ptp-conform profiles list | show ID | validate FILE... | schema`
 *
 * Every problem in a profile is printed as `file:line:col path message` on stderr
 * and the command exits 2, so CI fails on a broken profile before any test runs.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CliError, ExitCode } from '../../run/exit_codes.ts'
import {
  ProfileError,
  formatDiagnostic,
  listProfiles,
  loadProfile,
  profileToJson,
  profileToYaml,
  schemaText,
  validateProfileFile,
  type LoadOptions,
} from '../../profiles/index.ts'

export const describe = 'list, show and validate PTP profiles (profiles/*.yaml)'

const USAGE = `usage:
  ptp-conform profiles list [--json]            every profile (user folders first), with its status
  ptp-conform profiles show ID [--json]         the resolved profile (after extends:), with sources
  ptp-conform profiles validate FILE...         check profile files; exit 2 on any error
  ptp-conform profiles schema [--write]         print (or rewrite profiles/schema.json) the JSON Schema

options:
  --profiles DIR    a folder of user profiles, searched before the shipped ones (repeatable)
  --json            machine-readable output

ID may be a profile id, a short name (default, power, 802.1as, gptp, telecom) or a file path.`

interface Args {
  positional: string[]
  profileDirs: string[]
  json: boolean
  write: boolean
  help: boolean
}

function parse(argv: string[]): Args {
  const a: Args = { positional: [], profileDirs: [], json: false, write: false, help: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--profiles') {
      const dir = argv[++i]
      if (!dir) throw new CliError('--profiles needs a folder')
      a.profileDirs.push(dir)
    } else if (arg.startsWith('--profiles=')) a.profileDirs.push(arg.slice('--profiles='.length))
    else if (arg === '--json') a.json = true
    else if (arg === '--write') a.write = true
    else if (arg === '--help' || arg === '-h') a.help = true
    else if (arg.startsWith('-')) throw new CliError(`unknown option ${arg}\n${USAGE}`)
    else a.positional.push(arg)
  }
  return a
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  const args = parse(rest)
  if (!sub || sub === '--help' || sub === '-h' || args.help) {
    console.log(USAGE)
    return sub ? ExitCode.ok : ExitCode.usage
  }
  const opts: LoadOptions = { profileDirs: args.profileDirs }
  switch (sub) {
    case 'list':
      return list(opts, args.json)
    case 'show':
      return show(args, opts)
    case 'validate':
      return validate(args, opts)
    case 'schema':
      return schema(args.write)
    default:
      throw new CliError(`unknown subcommand '${sub}'\n${USAGE}`)
  }
}

function list(opts: LoadOptions, json: boolean): number {
  const entries = listProfiles(opts)
  const bad = entries.filter((e) => e.diagnostics.length > 0)
  if (json) console.log(JSON.stringify(entries, null, 2))
  else {
    const w = Math.max(...entries.map((e) => e.id.length), 2)
    for (const e of entries) {
      const status = e.diagnostics.length ? `INVALID (${e.diagnostics.length})` : 'ok'
      const alias = e.aliases.length ? ` [${e.aliases.join(', ')}]` : ''
      const ext = e.extends ? ` extends ${e.extends}` : ''
      console.log(`${e.id.padEnd(w)}  ${status.padEnd(12)} ${e.name ?? ''}${alias}${ext}  ${e.file}`)
    }
  }
  for (const e of bad) for (const d of e.diagnostics) console.error(formatDiagnostic(d))
  return bad.length ? ExitCode.usage : ExitCode.ok
}

function show(args: Args, opts: LoadOptions): number {
  if (args.positional.length !== 1) throw new CliError(`profiles show takes one ID\n${USAGE}`)
  try {
    const p = loadProfile(args.positional[0]!, opts)
    process.stdout.write(args.json ? profileToJson(p) : profileToYaml(p))
    return ExitCode.ok
  } catch (err) {
    if (!(err instanceof ProfileError)) throw err
    printProfileError(err)
    return ExitCode.usage
  }
}

function validate(args: Args, opts: LoadOptions): number {
  if (args.positional.length === 0) throw new CliError(`profiles validate needs at least one FILE\n${USAGE}`)
  let bad = 0
  for (const file of args.positional) {
    const r = validateProfileFile(file, opts)
    if (r.profile) console.log(`${file}: ok (${r.profile.id}${r.profile.origin && r.profile.origin.chain.length > 1 ? `, extends ${r.profile.origin.chain.slice(1).join(' <- ')}` : ''})`)
    else {
      bad++
      for (const d of r.diagnostics) console.error(formatDiagnostic(d))
    }
  }
  if (bad) console.error(`${bad} of ${args.positional.length} profile file${args.positional.length === 1 ? '' : 's'} invalid`)
  return bad ? ExitCode.usage : ExitCode.ok
}

function schema(write: boolean): number {
  const text = schemaText()
  if (write) {
    const file = fileURLToPath(new URL('../../../profiles/schema.json', import.meta.url))
    writeFileSync(file, text)
    console.log(`wrote ${file}`)
  } else process.stdout.write(text)
  return ExitCode.ok
}

function printProfileError(err: ProfileError): void {
  if (err.diagnostics.length) {
    console.error(err.message.split('\n')[0])
    for (const d of err.diagnostics) console.error(formatDiagnostic(d))
  } else console.error(`ptp-conform profiles: ${err.message}`)
}
