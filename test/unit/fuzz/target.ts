/** A fuzz target for the unit tests: a default-profile grandmaster and stranger on an E2E link. */
import type { FuzzTarget } from '../../../harness/fuzz/target.ts'

export function e2eTarget(over: Partial<FuzzTarget> = {}): FuzzTarget {
  return {
    header: { domainNumber: 24, majorSdoId: 0, minorSdoId: 0, versionPTP: 2, minorVersionPTP: 0, controlField: 'legacy' },
    grandmaster: { clockIdentity: '020000.fffe.000041', portNumber: 1 },
    stranger: { clockIdentity: '020000.fffe.000043', portNumber: 1 },
    dut: { clockIdentity: '020000.fffe.000001', portNumber: 1 },
    delayMechanism: 'E2E',
    announce: { priority1: 128, priority2: 118, clockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }, timeSource: 0xa0, currentUtcOffset: 37 },
    intervals: { announce: 1, sync: 0, delayReq: 0 },
    allowManagementSet: false,
    ...over,
  }
}
