/**
 * ROB-02 — malformed messages are ignored: a better master whose Announce, Sync and Follow_Up
 * are malformed must not become the DUT's grandmaster, and the DUT must keep running and keep
 * its state. Each case master has one defect: messageLength claiming more octets than the frame
 * holds, messageLength short of the message's own body, an Announce TLV whose lengthField runs
 * past the end, an Announce ending in a cut TLV header. Control: the same data set sent well
 * formed must then win (the DUT still works and would have switched). A DUT that crashes on
 * them fails through the run's exit check, with its log.
 */
import { buildUnknownTlv } from '../../harness/codec/tlvs/unknown.ts'
import type { MutationRule } from '../kit.ts'
import { conformance } from '../kit.ts'
import { acquireUnusable, judgeUnusable, type UnusableCase, type UnusableEvidence, watchIntervals } from '../support/unusable_masters.ts'
import { UNKNOWN_TLV_TYPE } from '../tlv/tlv-gen-01-unknown-tlv-ignored.ts'

/** A 6-octet TLV of a type no profile uses, appended so its length can be made wrong. */
const EXTRA_TLV = buildUnknownTlv(UNKNOWN_TLV_TYPE, Uint8Array.from([0x72, 0x6f, 0x62, 0x2d, 0x30, 0x32]))
const TLV_OCTETS = 4 + 6
const LENGTH = 'IEEE 1588-2019 13.3.2.5 (messageLength: the octets of the message, TLVs included)'
const TLV_LENGTH = 'IEEE 1588-2019 14.1.2 (lengthField: the octets of the TLV\'s value), 13.3.2.5'

const every = (id: string, mutation: MutationRule['mutation']): MutationRule[] => [{ id, messageTypes: 'any', mutation }]
const withExtraTlv = (id: string, ...then: MutationRule['mutation'][]): MutationRule[] => [
  { id: `${id}-tlv`, messageTypes: ['Announce'], mutation: { kind: 'appendTlvs', tlvs: [EXTRA_TLV] } },
  ...then.map((mutation, i) => ({ id: `${id}-${i}`, messageTypes: ['Announce'] as const, mutation })),
]

export function malformedCases(): UnusableCase[] {
  return [
    { key: 'length-past-frame', title: 'messageLength 10 octets longer than the frame', source: `${LENGTH}; the message is incomplete`, mutations: every('length-long', { kind: 'messageLength', delta: 10 }) },
    { key: 'length-short-of-body', title: "messageLength 1 octet short of the message's body", source: `${LENGTH}; the body does not fit`, mutations: every('length-short', { kind: 'messageLength', delta: -1 }) },
    { key: 'tlv-past-end', title: 'an Announce TLV whose lengthField runs 8 octets past the message', source: TLV_LENGTH, mutations: withExtraTlv('tlv-past-end', { kind: 'tlvLength', tlvIndex: 'last', delta: 8 }) },
    {
      key: 'tlv-header-cut',
      title: 'an Announce ending in 2 octets of a TLV header (messageLength matching)',
      source: `${TLV_LENGTH}; a TLV header is 4 octets`,
      mutations: withExtraTlv('tlv-header-cut', { kind: 'truncate', octets: TLV_OCTETS - 2 }, { kind: 'messageLength', delta: -(TLV_OCTETS - 2) }),
    },
  ]
}

export default conformance<UnusableEvidence>({
  id: 'ROB-02',
  title: 'Malformed messages from a better master are ignored, and the DUT keeps working',
  area: 'ROB',
  clause: 'IEEE 1588-2019 13.3.2.5, 14.1.2',
  mapsTo: ['Wireshark PTP expert info (messageLength, TLV length)', 'statime fuzz target', 'linuxptp msg.c msg_post_recv (-EBADMSG)'],
  tags: ['active', 'robustness'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 16,
  criteria: {
    pass: 'while better masters send malformed Announce, Sync and Follow_Up for the qualification window + 2 intervals, the DUT stays with its grandmaster and keeps running, and it takes the same data set sent well formed',
    fail: 'the DUT follows a master whose messages are malformed, leaves its grandmaster while only such masters announce, or crashes',
  },
  appliesTo: () => true,
  acquire: (ctx) => acquireUnusable(ctx, malformedCases()),
  judge: (ev, profile) => ({ checks: judgeUnusable(ev, profile), measurements: { watchIntervals: watchIntervals(profile), cases: ev.data.cases.map((c) => `${c.key}: ${c.master.name} ${c.master.clockIdentity}`) } }),
})
