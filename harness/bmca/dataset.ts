/**
 * The data set the BMCA compares (IEEE 1588-2019 9.3.4, Table 30): what a foreign master's
 * Announce says, plus the two port identities the topology comparison needs. Field meanings
 * follow linuxptp's `struct dataset` (bmc.h), which the comparison functions mirror.
 */
import type { AnnounceMessage, ClockIdentity, ClockQuality, PortIdentity } from '../codec/types.ts'
import { normalizeClockIdentity } from '../codec/clock_identity.ts'

export interface BmcaDataset {
  priority1: number
  clockQuality: ClockQuality
  priority2: number
  grandmasterIdentity: ClockIdentity
  stepsRemoved: number
  /** sourcePortIdentity of the Announce: the foreign master's port (for D0: own clock, port 0). */
  sender: PortIdentity
  /** The port that received it (for D0: own clock, port 0). */
  receiver: PortIdentity
  /** G.8275.x localPriority (portDS.localPriority of the receiving port, defaultDS.localPriority for D0). */
  localPriority?: number
}

/** A foreign master's data set, from its Announce as received on `receiver`. */
export function datasetFromAnnounce(a: AnnounceMessage, receiver: PortIdentity, localPriority?: number): BmcaDataset {
  const d: BmcaDataset = {
    priority1: a.grandmasterPriority1,
    clockQuality: { ...a.grandmasterClockQuality },
    priority2: a.grandmasterPriority2,
    grandmasterIdentity: normalizeClockIdentity(a.grandmasterIdentity),
    stepsRemoved: a.stepsRemoved,
    sender: { clockIdentity: normalizeClockIdentity(a.header.sourcePortIdentity.clockIdentity), portNumber: a.header.sourcePortIdentity.portNumber },
    receiver: { clockIdentity: normalizeClockIdentity(receiver.clockIdentity), portNumber: receiver.portNumber },
  }
  if (localPriority !== undefined) d.localPriority = localPriority
  return d
}

/** The defaultDS of a clock, as the BMCA sees it. */
export interface LocalClock {
  clockIdentity: ClockIdentity
  priority1: number
  clockQuality: ClockQuality
  priority2: number
  /** G.8275.x defaultDS.localPriority (default 128). */
  localPriority?: number
  /** defaultDS.slaveOnly: linuxptp then announces clockClass 255 and never becomes master. */
  slaveOnly?: boolean
}

/**
 * D0, the local clock's data set (1588-2019 9.3.4; linuxptp clock_default_ds): its own identity
 * as grandmaster, stepsRemoved 0, sender = receiver = own clock with portNumber 0.
 */
export function localDataset(c: LocalClock): BmcaDataset {
  const id = normalizeClockIdentity(c.clockIdentity)
  const d: BmcaDataset = {
    priority1: c.priority1,
    clockQuality: { ...c.clockQuality, clockClass: c.slaveOnly ? 255 : c.clockQuality.clockClass },
    priority2: c.priority2,
    grandmasterIdentity: id,
    stepsRemoved: 0,
    sender: { clockIdentity: id, portNumber: 0 },
    receiver: { clockIdentity: id, portNumber: 0 },
  }
  if (c.localPriority !== undefined) d.localPriority = c.localPriority
  return d
}

/** Order of two ClockIdentities as memcmp of their octets orders them. */
export function compareClockIdentity(a: ClockIdentity, b: ClockIdentity): number {
  const x = normalizeClockIdentity(a)
  const y = normalizeClockIdentity(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Order of two PortIdentities: clockIdentity octets, then portNumber. (linuxptp memcmp()s the
 * struct with portNumber in host order; the two agree whenever the clock identities differ or
 * the port numbers are below 256.)
 */
export function comparePortIdentity(a: PortIdentity, b: PortIdentity): number {
  const c = compareClockIdentity(a.clockIdentity, b.clockIdentity)
  if (c !== 0) return c
  return a.portNumber < b.portNumber ? -1 : a.portNumber > b.portNumber ? 1 : 0
}
