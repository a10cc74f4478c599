/**
 * The last word on every fuzz frame before it leaves, and on every frame a reproducer replays:
 * fuzzing transmits only as `run` does. Whatever a mutation did, the frame names the run's
 * domain, and a Management frame never asks for a change (SET, COMMAND) unless the operator
 * allowed management SET. Pure: octets in, octets out, with what was changed.
 */
import { MessageType } from '../codec/constants.ts'

/** Octet of domainNumber in the common header (1588-2019 13.3.1, Table 35). */
export const DOMAIN_OCTET = 4
/** Octet whose low nibble is a Management message's actionField (1588-2019 15.4.1, Table 144). */
export const ACTION_OCTET = 46
/** A frame shorter than this carries no domainNumber, so it could not be said to be in the run's domain. */
export const MIN_FUZZ_OCTETS = DOMAIN_OCTET + 1

const GET = 0
const SET = 1
const COMMAND = 3

/** 'SET' or 'COMMAND' when the octets are a Management message that asks for a change. */
function managementChange(octets: Uint8Array): 'SET' | 'COMMAND' | undefined {
  if ((octets[0]! & 0x0f) !== MessageType.Management || octets.length <= ACTION_OCTET) return undefined
  const action = octets[ACTION_OCTET]! & 0x0f
  return action === SET ? 'SET' : action === COMMAND ? 'COMMAND' : undefined
}

export interface SafeFrame {
  octets: Uint8Array
  /** What the guard changed (empty when the frame was already safe). */
  changed: string[]
}

/** The frame made safe to send in `domainNumber`; throws for one too short to name a domain. */
export function safeFuzzFrame(octets: Uint8Array, o: { domainNumber: number; allowManagementSet: boolean }): SafeFrame {
  if (octets.length < MIN_FUZZ_OCTETS) throw new RangeError(`a fuzz frame of ${octets.length} octets names no domain (at least ${MIN_FUZZ_OCTETS})`)
  const out = octets.slice()
  const changed: string[] = []
  if (out[DOMAIN_OCTET] !== o.domainNumber) {
    changed.push(`domainNumber ${out[DOMAIN_OCTET]} → ${o.domainNumber} (the run's)`)
    out[DOMAIN_OCTET] = o.domainNumber
  }
  const change = o.allowManagementSet ? undefined : managementChange(out)
  if (change) {
    changed.push(`Management actionField ${change} → GET (no --allow-set)`)
    out[ACTION_OCTET] = (out[ACTION_OCTET]! & 0xf0) | GET
  }
  return { octets: out, changed }
}

/** Why a replayed frame may not be sent in this run, or undefined when it may. */
export function replayRefusal(octets: Uint8Array, o: { domainNumber: number; allowManagementSet: boolean }): string | undefined {
  if (octets.length < MIN_FUZZ_OCTETS) return `${octets.length} octets name no domain`
  if (octets[DOMAIN_OCTET] !== o.domainNumber) return `domainNumber ${octets[DOMAIN_OCTET]}, the run's is ${o.domainNumber}`
  const change = o.allowManagementSet ? undefined : managementChange(octets)
  return change ? `a Management ${change} (pass --allow-set to send it)` : undefined
}
