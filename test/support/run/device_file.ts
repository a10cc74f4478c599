/** A DUT file describing a lab ptp4l or ptpd as a real device (for the device-path lab tests). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { clockIdentityFromMac } from '../../../harness/lab/index.ts'
import { ptp4lVersion, ptpdVersion } from '../../../harness/dut/index.ts'

export interface DeviceFileOptions {
  name: string
  roles: string[]
  /** The stack behind the device (default ptp4l): what the file names as vendor, model, firmware. */
  impl?: 'ptp4l' | 'ptpd'
  /** The one transport the device is configured for, and its management's (default udp4). */
  transport?: 'udp4' | 'l2'
}

export function writeDeviceFile(dir: string, h: { ifname: string }, d: { mac: string; ipv4Address?: string }, o: DeviceFileOptions): string {
  const file = join(dir, 'device.yaml')
  const impl = o.impl ?? 'ptp4l'
  const transport = o.transport ?? 'udp4'
  writeFileSync(
    file,
    [
      `name: ${o.name}`,
      `vendor: ${impl === 'ptp4l' ? 'linuxptp' : 'ptpd'}`,
      `model: ${impl}`,
      `firmware: "${impl === 'ptp4l' ? ptp4lVersion() : ptpdVersion()}"`,
      `interface: ${h.ifname}`,
      `mac: ${d.mac}`,
      `ipv4: ${d.ipv4Address}`,
      `clockIdentity: ${clockIdentityFromMac(d.mac)}`,
      'capabilities:',
      `  roles: [${o.roles.join(', ')}]`,
      `  transports: [${transport}]`,
      '  delayMechanisms: [E2E]',
      '  oneStep: false',
      '  twoStep: true',
      'management:',
      '  enabled: true',
      `  transport: ${transport}`,
      '',
    ].join('\n'),
  )
  return file
}

/** One harness interface facing one DUT port, with the cable as the test characterised it. */
export interface RelayPortFacts {
  harness: { ifname: string; netns?: string }
  dut: { mac: string; ipv4Address?: string }
  port: number
  linkDelayNs: bigint
  linkUncertaintyNs: bigint
}

/** A DUT file for a lab boundary or transparent clock treated as a two-port device, managed on the wire at its upstream port. */
export function writeRelayDeviceFile(dir: string, clock: 'boundary' | 'e2e-tc' | 'p2p-tc', up: RelayPortFacts, down: RelayPortFacts, o: { name: string; transport: 'udp4' | 'l2'; delayMechanism: 'E2E' | 'P2P' }): string {
  const file = join(dir, 'relay-device.yaml')
  const port = (p: RelayPortFacts) =>
    `  - { interface: ${p.harness.ifname}${p.harness.netns ? `, netns: ${p.harness.netns}` : ''}, port: ${p.port}, mac: "${p.dut.mac}", linkDelayNs: ${p.linkDelayNs}, linkUncertaintyNs: ${p.linkUncertaintyNs} }`
  writeFileSync(
    file,
    [
      `name: ${o.name}`,
      `interface: ${up.harness.ifname}`,
      ...(up.harness.netns ? [`netns: ${up.harness.netns}`] : []),
      `mac: "${up.dut.mac}"`,
      ...(up.dut.ipv4Address ? [`ipv4: ${up.dut.ipv4Address}`] : []),
      `clockIdentity: ${clockIdentityFromMac(up.dut.mac)}`,
      `clock: ${clock}`,
      'ports:',
      port(up),
      port(down),
      'capabilities:',
      `  roles: [${clock}]`,
      `  transports: [${o.transport}]`,
      `  delayMechanisms: [${o.delayMechanism}]`,
      '  oneStep: false',
      '  twoStep: true',
      'management:',
      '  enabled: true',
      `  transport: ${o.transport}`,
      '',
    ].join('\n'),
  )
  return file
}
