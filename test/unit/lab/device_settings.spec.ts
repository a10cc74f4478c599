/**
 * A real device's configured values: its management answers win over its DUT file, every
 * difference is reported, and the profile default fills only what neither states.
 */
import { test } from '@japa/runner'
import { declaredDeviceSettings, resolveDutSettings, settingsTable } from '../../../harness/dut/settings.ts'
import { settingsFromState } from '../../../harness/run/device_session.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'

const e2e = loadProfile('default-e2e')
const resolve = (d: ReturnType<typeof declaredDeviceSettings>) =>
  resolveDutSettings({ profile: e2e, mode: 'device', transport: 'udp4', delayMechanism: 'E2E', domainNumber: 0, declared: d.declared, disagreements: d.disagreements })

test.group('dut / a device\'s configured settings', () => {
  test('management answers win over the DUT file, and the difference is reported', ({ assert }) => {
    const d = declaredDeviceSettings({ logAnnounceInterval: 1, priority1: 100 }, { announce: 2, priority1: 100, announceReceiptTimeout: 4 })
    const s = resolve(d)
    assert.deepEqual(s.intervals.announce, { value: 2, origin: 'DUT management' })
    assert.deepEqual(s.announceReceiptTimeout, { value: 4, origin: 'DUT management' })
    assert.deepEqual(d.disagreements, ['logAnnounceInterval: the DUT file says 1, the device answers 2'])
    assert.include(settingsTable(s)['DUT file vs management']!, 'logAnnounceInterval')
  })

  test('a stated delayRequestCapacity (ROB-07) comes from the DUT file or --dut-option, shows in the settings, and is absent otherwise', ({ assert }) => {
    const fromFile = resolve(declaredDeviceSettings({ delayRequestCapacity: 500 }, undefined))
    assert.deepEqual(fromFile.delayRequestCapacity, { value: 500, origin: 'DUT file' })
    assert.equal(settingsTable(fromFile).delayRequestCapacity, '500 (DUT file)')
    const lab = resolveDutSettings({ profile: e2e, mode: 'lab', transport: 'udp4', delayMechanism: 'E2E', domainNumber: 0, options: { delayRequestCapacity: 1000 } })
    assert.deepEqual(lab.delayRequestCapacity, { value: 1000, origin: 'dut option' })
    assert.isUndefined(resolve(declaredDeviceSettings({}, undefined)).delayRequestCapacity)
  })

  test('without management, the DUT file; without either, the profile default', ({ assert }) => {
    const s = resolve(declaredDeviceSettings({ logSyncInterval: -3 }, undefined))
    assert.deepEqual(s.intervals.sync, { value: -3, origin: 'DUT file' })
    assert.deepEqual(s.intervals.announce, { value: e2e.intervals.announce.default.value, origin: 'profile default' })
    assert.isUndefined(s.disagreements)
  })

  test('DEFAULT_DATA_SET and PORT_DATA_SET become configured values', ({ assert }) => {
    const got = settingsFromState({
      source: 'management-wire',
      readAt: 0,
      priority1: 128,
      priority2: 127,
      clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
      ports: [{ portNumber: 1, portState: 'MASTER', logAnnounceInterval: 1, logSyncInterval: 0, logMinDelayReqInterval: 0, announceReceiptTimeout: 3 }],
    } as never)
    assert.deepEqual(got, { priority1: 128, priority2: 127, clockClass: 248, announce: 1, sync: 0, delayReq: 0, announceReceiptTimeout: 3 })
  })
})
