/** What a run ran against, for the results and the report's environment panel. */
import { settingsTable } from '../dut/settings.ts'
import { readFileSync } from 'node:fs'
import { release } from 'node:os'
import type { Profile } from '../profiles/types.ts'
import type { RunEnvironment } from '../results/record.ts'
import type { Session } from './session_types.ts'

export function harnessVersion(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version
}

/** Every value in the profile that the reference marks unconfirmed, as `path: value`. */
export function unconfirmedValues(profile: Profile): string[] {
  const out: string[] = []
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return
    const o = node as Record<string, unknown>
    if (o.unconfirmed === true) out.push(`${path}${'value' in o ? ` = ${JSON.stringify(o.value)}` : ''}`)
    for (const [k, v] of Object.entries(o)) if (k !== 'origin') walk(v, path ? `${path}.${k}` : k)
  }
  walk(profile, '')
  return out
}

export async function describeEnvironment(profile: Profile, session: Session): Promise<RunEnvironment> {
  const dut = await session.dutDescription()
  const settings = session.dut.settings()
  return {
    harnessVersion: harnessVersion(),
    profile: profile.id,
    profileFile: profile.origin?.file ?? '',
    unconfirmedValues: unconfirmedValues(profile),
    interface: session.harnessInterface,
    transport: session.transport,
    domainNumber: session.domainNumber,
    timestamping: session.timestamping,
    kernel: release(),
    node: process.version,
    dut: {
      implementation: dut.implementation,
      version: dut.version,
      mode: session.mode === 'lab' ? `virtual lab (${dut.stateSource})` : `real device (${dut.stateSource})`,
      settings: {
        ...Object.fromEntries(Object.entries(settingsTable(session.dutSettings)).map(([k, v]) => [`configured ${k}`, v])),
        ...Object.fromEntries(Object.entries(session.dutOptions).map(([k, v]) => [k, String(v)])),
        ...(settings ? { role: settings.role, argv: settings.argv.join(' '), config: settings.config } : {}),
      },
    },
    harnessNoiseNs: Number(session.noise.ns),
    harnessTimeErrorFloorNs: Number(session.noise.timeErrorFloorNs),
    startedAt: new Date().toISOString(),
  }
}
