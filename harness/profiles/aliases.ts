/**
 * Short names people type (`--profile power`). An exact profile id always wins
 * over an alias, so a user profile named `power` is found before the alias.
 */

export const PROFILE_ALIASES: Readonly<Record<string, string>> = {
  default: 'default-e2e',
  power: 'power-2017',
  '802.1as': 'gptp',
  telecom: 'g8275-1',
}

/** The profile id a short name stands for; other names come back unchanged (lower-cased). */
export function resolveAlias(name: string): string {
  const key = name.trim().toLowerCase()
  return PROFILE_ALIASES[key] ?? key
}

/** Aliases that point at one id. */
export function aliasesOf(id: string): string[] {
  return Object.entries(PROFILE_ALIASES)
    .filter(([, target]) => target === id)
    .map(([alias]) => alias)
}
