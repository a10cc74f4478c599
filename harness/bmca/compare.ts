/**
 * Data set comparison (IEEE 1588-2019 9.3.4, Figures 34/35) in the three forms ptp-conform
 * predicts: the default BMCA (as linuxptp bmc.c dscmp/dscmp2 implement it), the ITU-T G.8275.x
 * alternate BMCA (linuxptp telecom.c), and 802.1AS (same attribute order as 1588, expressed as a
 * priority vector; 802.1AS-2020 10.3.5).
 *
 * Every comparison also says which attribute decided it, so a suite can report "the DUT chose
 * by clockAccuracy" and a test can walk every attribute case.
 */
import type { BmcaVariant } from '../profiles/types.ts'
import { compareClockIdentity, comparePortIdentity, type BmcaDataset } from './dataset.ts'

/** linuxptp's result codes: > 0 means A is better. */
export const A_BETTER_TOPO = 2
export const A_BETTER = 1
/** Identical data sets, or linuxptp's "error-1"/"error-2" topology cases. */
export const SAME = 0
export const B_BETTER = -1
export const B_BETTER_TOPO = -2

export type ComparisonValue = typeof A_BETTER_TOPO | typeof A_BETTER | typeof SAME | typeof B_BETTER | typeof B_BETTER_TOPO

export type DecidingAttribute =
  | 'absent'
  | 'priority1'
  | 'clockClass'
  | 'clockAccuracy'
  | 'offsetScaledLogVariance'
  | 'priority2'
  | 'localPriority'
  | 'grandmasterIdentity'
  | 'stepsRemoved'
  | 'receiverIdentity'
  | 'senderIdentity'
  | 'receiverPortNumber'
  | 'error-1'
  | 'error-2'
  | 'identical'

export interface Comparison {
  result: ComparisonValue
  decidedBy: DecidingAttribute
}

export type Comparator = (a: BmcaDataset | undefined, b: BmcaDataset | undefined) => Comparison

function byNumber(a: number, b: number, attr: DecidingAttribute): Comparison | undefined {
  if (a < b) return { result: A_BETTER, decidedBy: attr }
  if (a > b) return { result: B_BETTER, decidedBy: attr }
  return undefined
}

/**
 * Topology comparison for data sets of the same grandmaster (1588-2019 Figure 35; linuxptp dscmp2).
 */
export function compareTopology(a: BmcaDataset, b: BmcaDataset): Comparison {
  const A = a.stepsRemoved
  const B = b.stepsRemoved
  if (A + 1 < B) return { result: A_BETTER, decidedBy: 'stepsRemoved' }
  if (B + 1 < A) return { result: B_BETTER, decidedBy: 'stepsRemoved' }
  if (A < B) {
    // B has one step more: did B's Announce come back to us through our own port?
    const diff = comparePortIdentity(b.receiver, b.sender)
    if (diff < 0) return { result: A_BETTER, decidedBy: 'receiverIdentity' }
    if (diff > 0) return { result: A_BETTER_TOPO, decidedBy: 'receiverIdentity' }
    return { result: SAME, decidedBy: 'error-1' }
  }
  if (A > B) {
    const diff = comparePortIdentity(a.receiver, a.sender)
    if (diff < 0) return { result: B_BETTER, decidedBy: 'receiverIdentity' }
    if (diff > 0) return { result: B_BETTER_TOPO, decidedBy: 'receiverIdentity' }
    return { result: SAME, decidedBy: 'error-1' }
  }
  const diff = comparePortIdentity(a.sender, b.sender)
  if (diff < 0) return { result: A_BETTER_TOPO, decidedBy: 'senderIdentity' }
  if (diff > 0) return { result: B_BETTER_TOPO, decidedBy: 'senderIdentity' }
  if (a.receiver.portNumber < b.receiver.portNumber) return { result: A_BETTER_TOPO, decidedBy: 'receiverPortNumber' }
  if (a.receiver.portNumber > b.receiver.portNumber) return { result: B_BETTER_TOPO, decidedBy: 'receiverPortNumber' }
  return { result: SAME, decidedBy: 'error-2' }
}

function presence(a: BmcaDataset | undefined, b: BmcaDataset | undefined): Comparison | undefined {
  if (a === undefined && b === undefined) return { result: SAME, decidedBy: 'absent' }
  if (a !== undefined && b === undefined) return { result: A_BETTER, decidedBy: 'absent' }
  if (a === undefined && b !== undefined) return { result: B_BETTER, decidedBy: 'absent' }
  return undefined
}

/**
 * Default BMCA (1588-2019 9.3.4 Figure 34): grandmaster priority1, clockClass, clockAccuracy,
 * offsetScaledLogVariance, priority2, grandmasterIdentity; lower wins. Same grandmaster: topology.
 */
export function compareDefault(a: BmcaDataset | undefined, b: BmcaDataset | undefined): Comparison {
  const p = presence(a, b)
  if (p) return p
  const x = a!
  const y = b!
  const gm = compareClockIdentity(x.grandmasterIdentity, y.grandmasterIdentity)
  if (gm === 0) return compareTopology(x, y)
  return (
    byNumber(x.priority1, y.priority1, 'priority1') ??
    byNumber(x.clockQuality.clockClass, y.clockQuality.clockClass, 'clockClass') ??
    byNumber(x.clockQuality.clockAccuracy, y.clockQuality.clockAccuracy, 'clockAccuracy') ??
    byNumber(x.clockQuality.offsetScaledLogVariance, y.clockQuality.offsetScaledLogVariance, 'offsetScaledLogVariance') ??
    byNumber(x.priority2, y.priority2, 'priority2') ??
    { result: gm < 0 ? A_BETTER : B_BETTER, decidedBy: 'grandmasterIdentity' }
  )
}

/**
 * ITU-T G.8275.1/.2 alternate BMCA (G.8275.1 6.3, linuxptp telecom.c): clockClass,
 * clockAccuracy, offsetScaledLogVariance, priority2, localPriority; priority1 is not compared.
 * For clockClass ≤ 127 (grandmaster-quality clocks) the topology decides next, so several
 * equal grandmasters can be active and the nearer one wins; otherwise grandmasterIdentity, then topology.
 */
export function compareTelecom(a: BmcaDataset | undefined, b: BmcaDataset | undefined): Comparison {
  const p = presence(a, b)
  if (p) return p
  const x = a!
  const y = b!
  const attr =
    byNumber(x.clockQuality.clockClass, y.clockQuality.clockClass, 'clockClass') ??
    byNumber(x.clockQuality.clockAccuracy, y.clockQuality.clockAccuracy, 'clockAccuracy') ??
    byNumber(x.clockQuality.offsetScaledLogVariance, y.clockQuality.offsetScaledLogVariance, 'offsetScaledLogVariance') ??
    byNumber(x.priority2, y.priority2, 'priority2') ??
    byNumber(x.localPriority ?? 128, y.localPriority ?? 128, 'localPriority')
  if (attr) return attr
  if (x.clockQuality.clockClass <= 127) return compareTopology(x, y)
  const gm = compareClockIdentity(x.grandmasterIdentity, y.grandmasterIdentity)
  if (gm === 0) return compareTopology(x, y)
  return { result: gm < 0 ? A_BETTER : B_BETTER, decidedBy: 'grandmasterIdentity' }
}

/**
 * 802.1AS-2020 10.3.5: the systemIdentity (priority1, clockClass, clockAccuracy,
 * offsetScaledLogVariance, priority2, clockIdentity) compares in the same order as the default
 * BMCA, followed by stepsRemoved and the port identities; the comparison is therefore the default one.
 */
export const compare8021AS: Comparator = compareDefault

export function comparatorFor(variant: BmcaVariant): Comparator {
  switch (variant) {
    case 'default-1588': return compareDefault
    case 'g8275x': return compareTelecom
    case '802.1as': return compare8021AS
  }
}

/** True when the comparison says A is better (A_BETTER or A_BETTER_TOPO). */
export function isBetter(c: Comparison): boolean {
  return c.result > 0
}
