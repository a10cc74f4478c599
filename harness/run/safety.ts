/**
 * Safety before the first frame on a real interface. A harness Announce that is
 * better than the production grandmaster makes every clock in the domain follow it,
 * so ptp-conform refuses an interface that looks like production — one that carries
 * a default route, or addresses outside the engineer's allow-list — unless told
 * explicitly that this is a test network. The assessment is pure; gathering the
 * interface's routes and addresses is the I/O edge below it.
 */
import { execFileSync } from 'node:child_process'
import { parseIpv4, parseIpv6 } from '../codec/framing/address.ts'

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

/** An address as one unsigned integer of its bits (parsed by the codec's address parsers), or undefined. */
function addressBits(addr: string): bigint | undefined {
  try {
    const bytes = addr.includes(':') ? parseIpv6(addr) : parseIpv4(addr)
    return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n)
  } catch {
    return undefined
  }
}

/** Is address `addr` (no prefix) inside `cidr`? Works for IPv4 and IPv6. */
export function inCidr(addr: string, cidr: string): boolean {
  const [net, lenText] = cidr.split('/') as [string, string | undefined]
  const v6 = addr.includes(':')
  if (v6 !== net.includes(':')) return false
  const width = v6 ? 128n : 32n
  const len = BigInt(lenText ?? width)
  const a = addressBits(addr)
  const n = addressBits(net)
  if (a === undefined || n === undefined || len < 0n || len > width) return false
  const mask = ((1n << len) - 1n) << (width - len)
  return (a & mask) === (n & mask)
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

/** Read an interface's addresses and default routes with iproute2 (in the current namespace, or `netns`). */
export function gatherInterfaceFacts(name: string, netns?: string): InterfaceFacts {
  const run = (args: string[]) => {
    try {
      return JSON.parse(execFileSync('ip', [...(netns ? ['-n', netns] : []), '-j', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) || '[]')
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
