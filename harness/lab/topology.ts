/**
 * Lab topologies as plain data: which namespaces exist, which veth pairs join
 * them, and every MAC and address. Pure: `planTopology` does no I/O, so the
 * shape of each topology is tested without root.
 *
 *   pair   h ⇄ d1                         harness port ⇄ DUT port
 *   dual   ha ⇄ d1 (port 1), d1 (port 2) ⇄ hb   boundary and transparent clocks
 *   lan    h, d1..dN each ⇄ a bridge in its own namespace `br`
 *
 * MACs are fixed and locally administered (first octet 0x02), so a DUT's
 * clockIdentity is predictable: ptp4l derives it from the MAC by inserting
 * FF-FE (d1 port 1 = 02:50:43:00:11:01 → 025043.fffe.001101).
 * Addresses come from the documentation ranges (RFC 5737, RFC 3849) only.
 */
import { bridgeIfname, bridgePortIfname, netnsName, portIfname } from './naming.ts'

export type TopologyName = 'pair' | 'dual' | 'lan'
export const TOPOLOGIES: readonly TopologyName[] = ['pair', 'dual', 'lan']

export type NodeRole = 'harness' | 'dut' | 'bridge'

export interface PortPlan {
  node: string
  /** 1-based port number on its node. */
  index: number
  netns: string
  ifname: string
  mac: string
  /** CIDR, e.g. 192.0.2.1/24; absent on bridge ports. */
  ipv4?: string
  /** CIDR, e.g. 2001:db8:0:1::1/64; absent on bridge ports. */
  ipv6?: string
  /**
   * Further addresses (CIDR) of a harness port, one per emulated clock after the first: a
   * unicast DUT tells its masters apart by address, so each emulated grandmaster needs its own.
   */
  clockIpv4?: string[]
  clockIpv6?: string[]
}

export interface NodePlan {
  name: string
  role: NodeRole
  netns: string
  ports: PortPlan[]
}

export interface LinkPlan {
  a: PortPlan
  b: PortPlan
}

export interface BridgePlan {
  node: string
  netns: string
  ifname: string
  members: string[]
}

export interface TopologyPlan {
  labId: string
  topology: TopologyName
  nodes: NodePlan[]
  links: LinkPlan[]
  bridge?: BridgePlan
}

export interface TopologyOptions {
  /** Number of DUT nodes on a LAN (1..9). */
  duts?: number
  /**
   * LAN only: the harness node gets a second port on the bridge, as a bench's second NIC
   * port for receive-path noise probes (`run --noise-port`). It has no addresses: the
   * probes are L2, and two addresses of one subnet in one namespace would let IP replies
   * leave by either port.
   */
  harnessNoisePort?: boolean
}

/** Linux bridge options that make a namespace behave like a PTP-transparent LAN segment. */
export const BRIDGE_OPTIONS = [
  // No spanning tree and no learning delay: ports forward as soon as carrier is up.
  'stp_state', '0', 'forward_delay', '0',
  // Without snooping every multicast frame (PTP uses only multicast) floods to every port.
  'mcast_snooping', '0',
  // Bit 14 lets 01-80-C2-00-00-0E (peer delay, link-local) through; by default a
  // bridge silently drops that group and P2P never measures a delay.
  'group_fwd_mask', '0x4000',
] as const

export const MAX_LAN_DUTS = 9

/** Node numbers that go into the MAC: harness nodes 0x01.., DUTs 0x11.., bridge 0x7f. */
function nodeNumber(node: string): number {
  if (node === 'h' || node === 'ha') return 0x01
  if (node === 'hb') return 0x02
  if (node === 'br') return 0x7f
  const m = /^d(\d)$/.exec(node)
  if (m) return 0x10 + Number(m[1])
  throw new Error(`unknown node '${node}'`)
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0')

/** Node-side MAC: 02:50:43:00:<node>:<port>. Bridge-side MAC: 02:50:43:01:<node>:<port>. */
export function nodeMac(node: string, port: number): string {
  return `02:50:43:00:${hex2(nodeNumber(node))}:${hex2(port)}`
}
export function bridgeSideMac(node: string, port: number): string {
  return `02:50:43:01:${hex2(nodeNumber(node))}:${hex2(port)}`
}

/** Addresses of the pair's harness port for emulated clocks 1…N (clock 0 uses the port's own). */
export const EMULATED_CLOCK_ADDRESSES = 6

function port(labId: string, node: string, index: number, ipv4?: string, ipv6?: string): PortPlan {
  const p: PortPlan = { node, index, netns: netnsName(labId, node), ifname: portIfname(labId, node, index), mac: nodeMac(node, index) }
  if (ipv4) p.ipv4 = ipv4
  if (ipv6) p.ipv6 = ipv6
  return p
}

function node(labId: string, name: string, role: NodeRole, ports: PortPlan[]): NodePlan {
  return { name, role, netns: netnsName(labId, name), ports }
}

export function planTopology(labId: string, topology: TopologyName, options: TopologyOptions = {}): TopologyPlan {
  switch (topology) {
    case 'pair': {
      if (options.harnessNoisePort) throw new Error('a noise port is a second harness port on a LAN (topology lan)')
      const h = port(labId, 'h', 1, '192.0.2.1/24', '2001:db8:0:1::1/64')
      h.clockIpv4 = Array.from({ length: EMULATED_CLOCK_ADDRESSES }, (_, i) => `192.0.2.${101 + i}/24`)
      h.clockIpv6 = Array.from({ length: EMULATED_CLOCK_ADDRESSES }, (_, i) => `2001:db8:0:1::${101 + i}/64`)
      const d = port(labId, 'd1', 1, '192.0.2.2/24', '2001:db8:0:1::2/64')
      return {
        labId,
        topology,
        nodes: [node(labId, 'h', 'harness', [h]), node(labId, 'd1', 'dut', [d])],
        links: [{ a: h, b: d }],
      }
    }
    case 'dual': {
      // Two subnets: a DUT with two ports in one namespace must not see the same
      // prefix on both, or its IP replies could leave by the wrong port.
      const ha = port(labId, 'ha', 1, '192.0.2.1/24', '2001:db8:0:1::1/64')
      const d1 = port(labId, 'd1', 1, '192.0.2.2/24', '2001:db8:0:1::2/64')
      const d2 = port(labId, 'd1', 2, '198.51.100.2/24', '2001:db8:0:2::2/64')
      const hb = port(labId, 'hb', 1, '198.51.100.1/24', '2001:db8:0:2::1/64')
      return {
        labId,
        topology,
        nodes: [node(labId, 'ha', 'harness', [ha]), node(labId, 'd1', 'dut', [d1, d2]), node(labId, 'hb', 'harness', [hb])],
        links: [
          { a: ha, b: d1 },
          { a: d2, b: hb },
        ],
      }
    }
    case 'lan': {
      const n = options.duts ?? 2
      if (!Number.isInteger(n) || n < 1 || n > MAX_LAN_DUTS) throw new Error(`a LAN has 1 to ${MAX_LAN_DUTS} DUTs, not ${n}`)
      const nodes: NodePlan[] = []
      const links: LinkPlan[] = []
      const brPorts: PortPlan[] = []
      const names = ['h', ...Array.from({ length: n }, (_, i) => `d${i + 1}`)]
      names.forEach((name, i) => {
        const host = i === 0 ? 1 : 10 + i
        const p = port(labId, name, 1, `192.0.2.${host}/24`, `2001:db8:0:1::${host}/64`)
        const bp: PortPlan = { node: 'br', index: i + 1, netns: netnsName(labId, 'br'), ifname: bridgePortIfname(labId, name), mac: bridgeSideMac(name, 1) }
        const ports = [p]
        brPorts.push(bp)
        links.push({ a: p, b: bp })
        if (i === 0 && options.harnessNoisePort) {
          const p2 = port(labId, name, 2)
          const bp2: PortPlan = { node: 'br', index: names.length + 1, netns: netnsName(labId, 'br'), ifname: bridgePortIfname(labId, `${name}2`), mac: bridgeSideMac(name, 2) }
          ports.push(p2)
          brPorts.push(bp2)
          links.push({ a: p2, b: bp2 })
        }
        nodes.push(node(labId, name, i === 0 ? 'harness' : 'dut', ports))
      })
      nodes.push(node(labId, 'br', 'bridge', brPorts))
      return {
        labId,
        topology,
        nodes,
        links,
        bridge: { node: 'br', netns: netnsName(labId, 'br'), ifname: bridgeIfname(labId), members: brPorts.map((p) => p.ifname) },
      }
    }
    default:
      throw new Error(`unknown topology '${topology as string}' (use ${TOPOLOGIES.join(', ')})`)
  }
}
