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
