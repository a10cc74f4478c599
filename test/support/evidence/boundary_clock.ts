/**
 * BMCA-09 evidence without a network: the downstream port's recording of a boundary clock's
 * Announces after its upstream port heard the harness's grandmaster, built with the engines'
 * message factory. A conformant clock first announces itself, then the grandmaster's dataset
 * with stepsRemoved + 1 from its own port 2; each fault changes one thing.
 */
import { encodeMessage } from '../../../harness/codec/message.ts'
import type { PortIdentity } from '../../../harness/codec/types.ts'
import { buildAnnounceMessage, defaultHeaderDefaults, ts } from '../../../harness/engines/message_factory.ts'
import type { AnnounceDataset } from '../../../harness/engines/test_master.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'
import type { BoundaryAnnounceData } from '../../../suites/bmca/bmca-09-boundary-clock-announce.ts'

export const BC_FAULTS = ['own-dataset', 'own-quality', 'steps-not-incremented', 'forwards-grandmaster', 'forwards-and-readvertises', 'time-properties-dropped', 'wrong-port', 'silent'] as const
export type BcFault = (typeof BC_FAULTS)[number]

const GM: PortIdentity = { clockIdentity: '020000.fffe.000040', portNumber: 1 }
const DUT_DOWN: PortIdentity = { clockIdentity: '020000.fffe.000001', portNumber: 2 }
const DATASET: AnnounceDataset = {
  grandmasterPriority1: 128,
  grandmasterPriority2: 99,
  grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d },
  stepsRemoved: 0,
  timeSource: 0x20,
  currentUtcOffset: 37,
  flagField: 0x3c,
}
const OWN = { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }

export function simulateBoundaryAnnounces(fault?: BcFault, count = 8): BoundaryAnnounceData {
  const down = new Recorder()
  const t0 = 1_700_000_000_000_000_000n
  const add = (i: number, src: PortIdentity, body: Parameters<typeof buildAnnounceMessage>[2], flagField: number) => {
    const m = buildAnnounceMessage(defaultHeaderDefaults(src), { sequenceId: i, flagField }, body)
    down.record({ direction: 'in', port: 'hb', transport: 'l2', timestampNs: t0 + BigInt(i) * 1_000_000_000n, bytes: encodeMessage(m), message: m })
  }
  const own = { originTimestamp: ts(0n), currentUtcOffset: 0, grandmasterPriority1: 128, grandmasterClockQuality: OWN, grandmasterPriority2: 128, grandmasterIdentity: DUT_DOWN.clockIdentity, stepsRemoved: 0, timeSource: 0xa0 }
  // Before it heard the grandmaster: itself.
  if (fault !== 'silent' && fault !== 'forwards-grandmaster') add(0, DUT_DOWN, own, 0)
  for (let i = 1; i <= count; i++) {
    if (fault === 'silent') continue
    if (fault === 'own-dataset') {
      add(i, DUT_DOWN, own, 0)
      continue
    }
    const gm = { originTimestamp: ts(0n), currentUtcOffset: DATASET.currentUtcOffset, grandmasterPriority1: DATASET.grandmasterPriority1, grandmasterClockQuality: DATASET.grandmasterClockQuality, grandmasterPriority2: DATASET.grandmasterPriority2, grandmasterIdentity: GM.clockIdentity, stepsRemoved: 1, timeSource: DATASET.timeSource }
    if (fault === 'forwards-grandmaster') add(i, GM, { ...gm, stepsRemoved: 0 }, DATASET.flagField)
    else if (fault === 'own-quality') add(i, DUT_DOWN, { ...gm, grandmasterClockQuality: OWN }, DATASET.flagField)
    else if (fault === 'steps-not-incremented') add(i, DUT_DOWN, { ...gm, stepsRemoved: 0 }, DATASET.flagField)
    else if (fault === 'wrong-port') add(i, { ...DUT_DOWN, portNumber: 1 }, gm, DATASET.flagField)
    else if (fault === 'time-properties-dropped') add(i, DUT_DOWN, { ...gm, currentUtcOffset: 0, timeSource: 0xa0 }, 0)
    else add(i, DUT_DOWN, gm, DATASET.flagField)
    // Right, and a switch's leak besides: the grandmaster's own Announce passed on too.
    if (fault === 'forwards-and-readvertises' && i % 2 === 0) add(i, GM, { ...gm, stepsRemoved: 0 }, DATASET.flagField)
  }
  return { grandmaster: GM, dataset: DATASET, dutDownstreamPort: DUT_DOWN, ...(fault === 'silent' || fault === 'own-dataset' || fault === 'forwards-grandmaster' ? {} : { readvertisedAfterMs: 1000 }), waitedMs: 20_000, upstream: new Recorder(), downstream: down }
}
