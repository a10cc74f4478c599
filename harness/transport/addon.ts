/**
 * Loads the native addon (native/build/Release/ptp_native.node) and types it.
 * The addon is built by `npm ci` (native/build.mjs); this module only loads it.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TransportError } from './errors.ts'
import type { ReceivedFrame, SchedulerInfo, TimestampingInfo } from './types.ts'

export const ADDON_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../native/build/Release/ptp_native.node')

/**
 * One event from the native threads; see dispatchOne in port.ts for the fields.
 * An 'rx' event carries these ReceivedFrame fields as they are; the Port adds
 * what it knows itself (interface, transport, timestamp clock).
 */
export type NativeEvent =
  | ({ type: 'rx' } & Pick<
      ReceivedFrame,
      'socket' | 'data' | 'rxTimestampNs' | 'raw' | 'srcMac' | 'dstMac' | 'vlan' | 'srcAddress' | 'srcPort' | 'dstAddress' | 'dstPort' | 'tos' | 'ttl'
    >)
  | { type: 'tx' | 'txerror'; id: number; txTimestampNs: bigint | null; sendNs: bigint | null; code?: string; message?: string }
  | {
      type: 'train'
      job: number
      index: number
      sequenceId: number
      deadlineNs: bigint | null
      sendNs: bigint | null
      txTimestampNs: bigint | null
      followUpSent: boolean
      code?: string
      message?: string
    }
  | { type: 'jobdone'; job: number; stopped: boolean; sent: number; failed: number }
  | {
      type: 'load'
      job: number
      stopped: boolean
      sent: number
      stamped: number
      failed: number
      startNs: bigint | null
      endNs: bigint | null
      code?: string
      message?: string
    }
  | { type: 'error'; code: string; message: string }

export interface NativeSendSpec {
  event?: boolean
  dest?: string
  port?: number
  raw?: boolean
  vlan?: { pcp: number; vid: number } | null
  src?: string
}

export interface NativePortInfo {
  interface: string
  ifindex: number
  mac: string
  mtu: number
  // The addon reports these in their public shape; Port hands them on as they are.
  timestamping: TimestampingInfo
  scheduler: SchedulerInfo
  latencyLeadNs: bigint
  unmatchedTxTimestamps: number
  closed: boolean
}

export interface NativePort {
  send(message: Uint8Array, spec: NativeSendSpec): number
  sendBatch(messages: Uint8Array[], spec: NativeSendSpec): number[]
  sendAt(message: Uint8Array, spec: NativeSendSpec, deadlineNs: bigint): number
  startTrain(options: {
    message: Uint8Array
    send: NativeSendSpec
    startNs: bigint
    periodNs: bigint
    count?: number
    sequenceIdOffset?: number | null
    sequenceIdStart?: number
    originTimestampOffset?: number | null
    followUp?: { message: Uint8Array; sequenceIdOffset?: number; timestampOffset?: number; send: NativeSendSpec }
  }): number
  startLoad(options: {
    message: Uint8Array
    send: NativeSendSpec
    durationNs: bigint
    ratePps?: number
    batch?: number
    sequenceIdOffset?: number | null
  }): number
  stopJob(job: number): boolean
  close(): NativeEvent[]
  info(): NativePortInfo
  ref(): void
  unref(): void
}

export interface NativeInterfaceInfo {
  interface: string
  ifindex: number
  mac: string
  up: boolean
  carrier: boolean
  mtu: number
  ethtoolAnswered: boolean
  soTimestampingCaps: number
  phcIndex: number | null
  txTypes: number
  rxFilters: number
}

export interface NativeAddon {
  NativePort: new (options: Record<string, unknown>, onEvents: (events: NativeEvent[]) => void) => NativePort
  systemTimeNs(): bigint
  monotonicTimeNs(): bigint
  phcTimeNs(index: number): bigint
  phcSystemOffset(index: number, samples?: number): { offsetNs: bigint; delayNs: bigint; systemNs: bigint; method: string }
  interfaceInfo(name: string, netns?: string): NativeInterfaceInfo
}

let cached: NativeAddon | undefined

export function loadAddon(): NativeAddon {
  if (cached) return cached
  if (!existsSync(ADDON_PATH)) {
    throw new TransportError(
      'ENATIVE_MISSING',
      `native addon not built: ${ADDON_PATH} is missing; run \`npm ci\` (or \`node native/build.mjs\`) in the project root`,
    )
  }
  const require = createRequire(import.meta.url)
  cached = require(ADDON_PATH) as NativeAddon
  return cached
}
