/**
 * Two network namespaces joined by one veth pair, for the transport tests and
 * benchmark. The pair is created directly inside the namespaces (nothing
 * appears in the root namespace), every name carries a prefix with this
 * process's pid, and destroy() removes exactly what was created — also from
 * an exit handler if a test dies first.
 */
import { execFileSync } from 'node:child_process'

export interface VethEnd {
  netns: string
  ifname: string
  mac: string
  ipv4: string
  ipv6: string
}

export interface VethPair {
  a: VethEnd
  b: VethEnd
  /** Removes both namespaces (and with them the veth pair). Idempotent. */
  destroy(): void
}

const created = new Set<string>()
let exitHookInstalled = false
let counter = 0

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function nsExec(netns: string, ...cmd: string[]): string {
  return ip('netns', 'exec', netns, ...cmd)
}

function removeNetns(name: string): void {
  try {
    ip('netns', 'del', name)
  } catch {
    // already gone
  }
  created.delete(name)
}

/** Blocks for `ms` without a Node timer (set-up polling only, never protocol timing). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function operstate(netns: string, ifname: string): string {
  const j = JSON.parse(ip('-n', netns, '-j', 'link', 'show', 'dev', ifname)) as Array<{ operstate?: string }>
  return j[0]?.operstate ?? 'UNKNOWN'
}

/** Waits (up to `timeoutMs`) until both ends report operstate UP; carrier comes 0.5–1 s after link-up. */
export function waitOperUp(ends: VethEnd[], timeoutMs = 5000): void {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (ends.every((e) => operstate(e.netns, e.ifname) === 'UP')) return
    if (Date.now() > until) throw new Error(`veth did not reach operstate UP within ${timeoutMs} ms`)
    pause(20)
  }
}

/**
 * Creates the pair. `tag` (a few letters) keeps names of different users apart;
 * the pid and a counter keep runs apart. Addresses come from documentation
 * ranges: 192.0.2.0/24 and 2001:db8::/32; DAD is off so IPv6 is usable at once.
 */
export function createVethPair(tag: string): VethPair {
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.on('exit', () => {
      for (const n of [...created]) removeNetns(n)
    })
  }
  const n = ++counter
  const pid = process.pid
  const prefix = `ptpc-${tag}-${pid}-${n}`
  const macBase = `02:${((pid >> 8) & 0xff).toString(16).padStart(2, '0')}:${(pid & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff)
    .toString(16)
    .padStart(2, '0')}:${tag.charCodeAt(0).toString(16).padStart(2, '0').slice(-2)}`
  const subnet = (pid + n) % 250
  const a: VethEnd = { netns: `${prefix}-a`, ifname: `v${tag}a`, mac: `${macBase}:0a`, ipv4: '192.0.2.1', ipv6: `2001:db8:${subnet.toString(16)}::1` }
  const b: VethEnd = { netns: `${prefix}-b`, ifname: `v${tag}b`, mac: `${macBase}:0b`, ipv4: '192.0.2.2', ipv6: `2001:db8:${subnet.toString(16)}::2` }
  const destroy = () => {
    removeNetns(a.netns)
    removeNetns(b.netns)
  }
  try {
    for (const e of [a, b]) {
      ip('netns', 'add', e.netns)
      created.add(e.netns)
      // DAD off before link-up, or IPv6 sockets see tentative addresses.
      nsExec(e.netns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0')
      ip('-n', e.netns, 'link', 'set', 'lo', 'up')
    }
    ip('link', 'add', a.ifname, 'netns', a.netns, 'address', a.mac, 'type', 'veth', 'peer', 'name', b.ifname, 'netns', b.netns, 'address', b.mac)
    for (const e of [a, b]) {
      nsExec(e.netns, 'sysctl', '-qw', `net.ipv6.conf.${e.ifname}.accept_dad=0`)
      ip('-n', e.netns, 'addr', 'add', `${e.ipv4}/24`, 'dev', e.ifname)
      ip('-n', e.netns, 'addr', 'add', `${e.ipv6}/64`, 'dev', e.ifname, 'nodad')
      ip('-n', e.netns, 'link', 'set', e.ifname, 'up')
    }
    waitOperUp([a, b])
  } catch (err) {
    destroy()
    throw err
  }
  return { a, b, destroy }
}
