/**
 * Names of everything a lab creates.
 *
 * Every namespace, interface and bridge starts with `pcl-<labId>-`, so a person
 * (or a leak check) can tell ours from anything else on the machine, and so two
 * labs never collide. Linux limits interface names to 15 characters (IFNAMSIZ
 * 16 with the NUL); with a 6-character lab id the longest name we make,
 * `pcl-abcdef-d9-2`, is exactly 15.
 */

export const LAB_PREFIX = 'pcl-'
export const LAB_ID_MAX = 6
const LAB_ID_RE = /^[a-z0-9]{1,6}$/

/** IFNAMSIZ − 1. */
export const IFNAME_MAX = 15

export function isValidLabId(id: string): boolean {
  return LAB_ID_RE.test(id)
}

export function assertValidLabId(id: string): void {
  if (!isValidLabId(id)) {
    throw new Error(`invalid lab id '${id}': use 1 to ${LAB_ID_MAX} characters from a-z and 0-9`)
  }
}

/** The prefix shared by every name of one lab. */
export function labPrefix(labId: string): string {
  return `${LAB_PREFIX}${labId}-`
}

export function netnsName(labId: string, node: string): string {
  return `${labPrefix(labId)}${node}`
}

function checkIfname(name: string): string {
  if (name.length > IFNAME_MAX) throw new Error(`interface name '${name}' is longer than ${IFNAME_MAX} characters`)
  return name
}

/** A node's own port: `pcl-<id>-<node>-<n>`. */
export function portIfname(labId: string, node: string, index: number): string {
  return checkIfname(`${labPrefix(labId)}${node}-${index}`)
}

/** The bridge-side end of a node's link in a LAN: `pcl-<id>-b<node>`. */
export function bridgePortIfname(labId: string, node: string): string {
  return checkIfname(`${labPrefix(labId)}b${node}`)
}

export function bridgeIfname(labId: string): string {
  return checkIfname(`${labPrefix(labId)}br`)
}

/**
 * A lab id from this process's PID (so ids of concurrent processes differ)
 * and a per-process counter. `taken` lets the caller skip ids still in use.
 */
let counter = 0
export function newLabId(taken: (id: string) => boolean, pid = process.pid): string {
  const base = pid.toString(36).padStart(5, '0').slice(-5)
  for (let i = 0; i < 36; i++) {
    const id = base + (counter++ % 36).toString(36)
    if (!taken(id)) return id
  }
  throw new Error('no free lab id for this process (36 labs in use?)')
}
