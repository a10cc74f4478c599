/**
 * The run's environment as Allure shows it (environment.properties): what was
 * tested, on what, with which harness, and which profile values the verdicts
 * rest on without confirmation.
 */
import type { RunEnvironment } from '../../harness/results/record.ts'

export function dutName(env: Pick<RunEnvironment, 'dut'>): string {
  return [env.dut.implementation, env.dut.version].filter(Boolean).join(' ') || 'unknown DUT'
}

export function environmentInfo(env: RunEnvironment): Record<string, string> {
  const info: Record<string, string> = {
    Profile: env.profile,
    'Profile file': env.profileFile,
    DUT: dutName(env),
    'DUT mode': env.dut.mode,
    Interface: env.interface,
    Transport: env.transport,
    Domain: String(env.domainNumber),
    Timestamping: env.timestamping,
    Kernel: env.kernel,
    Node: env.node,
    'Harness version': `ptp-conform ${env.harnessVersion}`,
    'Run started': env.startedAt,
  }
  if (env.harnessNoiseNs !== undefined) info['Harness timestamp noise at start (3σ, MAD)'] = `${env.harnessNoiseNs} ns`
  info['Unconfirmed profile values'] = env.unconfirmedValues.length ? env.unconfirmedValues.join('; ') : 'none'
  for (const [k, v] of Object.entries(env.dut.settings ?? {})) info[`DUT setting ${k}`] = String(v)
  return info
}
