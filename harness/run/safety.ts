/**
 * Safety before the first frame on a real interface. A harness Announce that is
 * better than the production grandmaster makes every clock in the domain follow it,
 * so ptp-conform refuses an interface that looks like production — one that carries
 * a default route, or addresses outside the engineer's allow-list — unless told
 * explicitly that this is a test network. The assessment is pure; gathering the
 * interface's routes and addresses is the I/O edge below it.
 */
import { execFileSync } from 'node:child_process'

export interface InterfaceFacts {
  name: string
  exists: boolean
  /** CIDRs configured on the interface (IPv4 and IPv6, link-local excluded). */
  addresses: string[]
  /** Default routes (v4 or v6) that leave through this interface. */
  defaultRoutes: string[]
}

export interface SafetyAssessment {
  ok: boolean
  reasons: string[]
}

function ipv4ToInt(a: string): number | undefined {
  const p = a.split('.').map(Number)
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0
}

function expandIpv6(a: string): bigint | undefined {
  const [head, tail] = a.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : []
  const fill = a.includes('::') ? 8 - h.length - t.length : 0
  const groups = [...h, ...Array(fill).fill('0'), ...t]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

/** Is address `addr` (no prefix) inside `cidr`? Works for IPv4 and IPv6. */
export function inCidr(addr: string, cidr: string): boolean {
  const [net, lenText] = cidr.split('/') as [string, string | undefined]
  if (addr.includes(':') !== net.includes(':')) return false
  if (addr.includes(':')) {
    const a = expandIpv6(addr)
    const n = expandIpv6(net)
    const len = BigInt(lenText ?? 128)
    if (a === undefined || n === undefined) return false
    const mask = len === 0n ? 0n : ((1n << len) - 1n) << (128n - len)
    return (a & mask) === (n & mask)
  }
  const a = ipv4ToInt(addr)
  const n = ipv4ToInt(net)
  const len = Number(lenText ?? 32)
  if (a === undefined || n === undefined) return false
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0
  return ((a & mask) >>> 0) === ((n & mask) >>> 0)
}

export function assessInterface(facts: InterfaceFacts, allowList: string[], acknowledged: boolean): SafetyAssessment {
  const reasons: string[] = []
  if (!facts.exists) return { ok: false, reasons: [`interface ${facts.name} does not exist`] }
  for (const r of facts.defaultRoutes) reasons.push(`${facts.name} carries a default route (${r}): it looks like a production network`)
  for (const cidr of facts.addresses) {
    const addr = cidr.split('/')[0]!
    if (!allowList.some((allowed) => inCidr(addr, allowed))) {
      reasons.push(`${facts.name} has address ${cidr}, outside the allow-list (${allowList.join(', ') || 'empty'})`)
    }
  }
  if (reasons.length && acknowledged) return { ok: true, reasons: reasons.map((r) => `acknowledged: ${r}`) }
  return { ok: reasons.length === 0, reasons }
}

/** Read an interface's addresses and default routes with iproute2 (in the current namespace). */
export function gatherInterfaceFacts(name: string): InterfaceFacts {
  const run = (args: string[]) => {
    try {
      return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) || '[]')
    } catch {
      return undefined
    }
  }
  const links = run(['addr', 'show', 'dev', name]) as { addr_info?: { local: string; prefixlen: number; scope: string }[] }[] | undefined
  if (!links || links.length === 0) return { name, exists: false, addresses: [], defaultRoutes: [] }
  const addresses = (links[0]!.addr_info ?? []).filter((a) => a.scope !== 'link' && a.scope !== 'host').map((a) => `${a.local}/${a.prefixlen}`)
  const defaultRoutes: string[] = []
  for (const fam of ['-4', '-6']) {
    const routes = (run([fam, 'route', 'show', 'default', 'dev', name]) ?? []) as { dst: string; gateway?: string }[]
    for (const r of routes) defaultRoutes.push(`${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}`)
  }
  return { name, exists: true, addresses, defaultRoutes }
}
