/** A DUT file describing a lab ptp4l as a real device (for the device-path lab tests). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { clockIdentityFromMac } from '../../../harness/lab/index.ts'

export function writeDeviceFile(dir: string, h: { ifname: string }, d: { mac: string; ipv4Address?: string }, o: { name: string; roles: string[] }): string {
  const file = join(dir, 'device.yaml')
  writeFileSync(
    file,
    [
      `name: ${o.name}`,
      'vendor: linuxptp',
      'model: ptp4l',
      'firmware: "3.1.1"',
      `interface: ${h.ifname}`,
      `mac: ${d.mac}`,
      `ipv4: ${d.ipv4Address}`,
      `clockIdentity: ${clockIdentityFromMac(d.mac)}`,
      'capabilities:',
      `  roles: [${o.roles.join(', ')}]`,
      '  transports: [udp4]',
      '  delayMechanisms: [E2E]',
      '  oneStep: false',
      '  twoStep: true',
      'management:',
      '  enabled: true',
      '  transport: udp4',
      '',
    ].join('\n'),
  )
  return file
}
