/**
 * TLV-GEN-01 — TLVs a receiver does not know are skipped, not fatal (IEEE 1588-2019 14.1,
 * 14.3): the DUT's only grandmaster appends to every Announce, Sync and Follow_Up a TLV of a
 * reserved tlvType and an organization extension of an organization the DUT cannot know.
 * The DUT must qualify it and synchronise to it (port state SLAVE, which takes Sync and
 * Follow_Up), and stay so. If it does not, the same grandmaster without the TLVs and then
 * with them on one message type at a time shows which messages the DUT rejects (ptp4l 3.1.1
 * drops a Sync with any TLV as "bad message"; linuxptp 4.0 commit 95a2ef3 fixed it).
 */
import { TlvType } from '../../harness/codec/constants.ts'
import { buildOrganizationExtensionTlv } from '../../harness/codec/tlvs/organization_extension.ts'
import { buildUnknownTlv } from '../../harness/codec/tlvs/unknown.ts'
import type { MessageTypeName, Tlv } from '../../harness/codec/types.ts'
import { systemTimeNs } from '../../harness/transport/index.ts'
import { type Check, conformance, logIntervalToMs, logIntervalToNs, type MutationRule, type Recorder } from '../kit.ts'
import { choiceTimeline, holdPollMs, judgeFollowing, type MasterRecord, masterRecord, seconds } from '../support/bmca_cases.ts'
import { lockTimeoutMs, masterConfig, type MasterSpec, startMasters, type StateRead, waitForState, watchState } from '../support/grandmasters.ts'
import type { DutState } from '../../harness/dut/types.ts'

/** A tlvType in a range 1588-2019 Table 52 leaves reserved. */
export const UNKNOWN_TLV_TYPE = 0x1fff
/** CID AC-DE-48, the IEEE's example "private" identifier: no profile defines TLVs under it. */
export const UNKNOWN_ORGANIZATION_ID = 0xacde48

export const FOREIGN_TLVS: readonly Tlv[] = [
  buildUnknownTlv(UNKNOWN_TLV_TYPE, Uint8Array.from([0x70, 0x74, 0x70, 0x2d, 0x63, 0x66])),
  buildOrganizationExtensionTlv({ tlvType: TlvType.ORGANIZATION_EXTENSION, organizationId: UNKNOWN_ORGANIZATION_ID, organizationSubType: 1, dataField: new Uint8Array(6) }),
]
const CARRIERS: readonly MessageTypeName[] = ['Announce', 'Sync', 'Follow_Up']

export interface UnknownTlvEvidence {
  a: MasterRecord
  startedNs: bigint
  /** Reads until the DUT was SLAVE of gm-a (or the wait ended), then the hold. */
  lockHistory: StateRead[]
  holdHistory: StateRead[]
  endNs: bigint
  recorder: Recorder
  /**
   * Only when the DUT did not synchronise: the same grandmaster without the TLVs (carriers []),
   * then — if that synchronised — with them on one message type at a time.
   */
  diagnosis?: Diagnosis[]
}

export interface Diagnosis {
  carriers: string[]
  startedNs: bigint
  history: StateRead[]
  recorder: Recorder
}

const synchronisedTo = (gm: string) => (s: DutState) => s.grandmasterIdentity === gm && s.ports.some((p) => p.portState === 'SLAVE')
/** When a diagnosis run first read the DUT as SLAVE of gm (undefined: never). */
const syncedIn = (x: Diagnosis, gm: string): bigint | undefined => x.history.find((r) => r.state && synchronisedTo(gm)(r.state))?.atNs

export default conformance<UnknownTlvEvidence>({
  id: 'TLV-GEN-01',
  title: 'Unknown and foreign organization TLVs on Announce, Sync and Follow_Up are skipped',
  area: 'TLV',
  clause: 'IEEE 1588-2019 14.1 (TLV processing), 14.3 (organization extension TLVs)',
  mapsTo: ['statime fuzz TLV iteration', 'linuxptp tlv.c (unknown TLVs ignored)'],
  tags: ['active', 'tlv'],
  severity: 'normal',
  fixture: 'dut-slave',
  estimatedSeconds: 12,
  criteria: {
    pass: `the DUT synchronises (SLAVE) to a grandmaster whose every Announce, Sync and Follow_Up carries a tlvType 0x${UNKNOWN_TLV_TYPE.toString(16)} TLV and an organization extension of CID AC-DE-48, and stays so for announceReceiptTimeout + 2 intervals`,
    fail: 'the DUT does not synchronise to that grandmaster, or leaves it',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const append: MutationRule[] = [{ id: 'foreign-tlvs', messageTypes: CARRIERS, mutation: { kind: 'appendTlvs', tlvs: FOREIGN_TLVS } }]
    const spec: MasterSpec = { name: 'gm-a', identity: 1, extra: { mutations: append } }
    const a = masterRecord(masterConfig(ctx, spec))
    const poll = holdPollMs(a.logAnnounceInterval)
    const art = ctx.session.dutSettings.announceReceiptTimeout.value
    const m = await startMasters(ctx, [spec], { freshDut: true })
    const startedNs = systemTimeNs()
    const ev: UnknownTlvEvidence = { a, startedNs, lockHistory: [], holdHistory: [], endNs: startedNs, recorder: m.handle.recorder }
    let synced = false
    try {
      ctx.step('waiting for the DUT to synchronise to gm-a, whose messages carry the unknown TLVs')
      const lock = await waitForState(ctx, synchronisedTo(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, art, ctx.session.dutSettings), poll)
      ev.lockHistory = lock.history
      synced = lock.atMs !== undefined
      if (synced) {
        ctx.step(`holding for ${art + 2} announce intervals`)
        ev.holdHistory = await watchState(ctx, (art + 2) * logIntervalToMs(a.logAnnounceInterval), poll)
      }
    } finally {
      ev.endNs = systemTimeNs()
      await m.close()
    }
    if (!synced) {
      // Which messages does it reject? A fresh DUT per run, so nothing carries over.
      ev.diagnosis = []
      const carried = masterConfig(ctx, spec).twoStep ? CARRIERS : CARRIERS.filter((c) => c !== 'Follow_Up')
      for (const carriers of [[], ...carried.map((c) => [c])] as MessageTypeName[][]) {
        ctx.step(carriers.length ? `diagnosis: the TLVs on ${carriers[0]} only` : 'control: the same grandmaster without the TLVs')
        const mutations: MutationRule[] = carriers.length ? [{ ...append[0]!, messageTypes: carriers }] : []
        const c = await startMasters(ctx, [{ name: 'gm-a', identity: 1, extra: { mutations } }], { freshDut: true })
        const cStart = systemTimeNs()
        try {
          const lock = await waitForState(ctx, synchronisedTo(a.clockIdentity), lockTimeoutMs(a.logAnnounceInterval, art, ctx.session.dutSettings), poll)
          ev.diagnosis.push({ carriers, startedNs: cStart, history: lock.history, recorder: c.handle.recorder })
        } finally {
          await c.close()
        }
        if (!carriers.length && !syncedIn(ev.diagnosis[0]!, a.clockIdentity)) break
      }
    }
    return ev
  },
  judge(ev) {
    const d = ev.data
    const T = logIntervalToNs(d.a.logAnnounceInterval)
    const masters = [d.a]
    const checks: Check[] = []
    // What gm-a sent, and whether the TLVs were on it (or the case tests nothing).
    const fromA = d.recorder.frames.filter((f) => f.direction === 'out' && f.message && f.message.header.sourcePortIdentity.clockIdentity === d.a.clockIdentity && (CARRIERS as readonly string[]).includes(f.message.type))
    const carrying = fromA.filter((f) => f.message!.tlvs.some((t) => t.kind === 'UNKNOWN' && t.tlvType === UNKNOWN_TLV_TYPE) && f.message!.tlvs.some((t) => t.kind === 'ORGANIZATION_EXTENSION' && t.organizationId === UNKNOWN_ORGANIZATION_ID))
    const count = (type: string) => carrying.filter((f) => f.message!.type === type).length
    const sent = CARRIERS.map((t) => `${count(t)} ${t}`).join(', ')
    if (!carrying.length || carrying.length < fromA.length) {
      return { checks: [{ name: 'gm-a messages carrying the unknown TLVs', measured: `${carrying.length} of ${fromA.length}`, limit: 'all', source: 'test set-up', verdict: 'inconclusive', detail: 'the harness did not append the TLVs to every message, so the case does not test TLV skipping' }] }
    }
    const lockEnd = d.lockHistory.at(-1)?.atNs ?? d.endNs
    const synced = d.lockHistory.find((r) => r.state && synchronisedTo(d.a.clockIdentity)(r.state))
    const base = { limit: 'SLAVE of gm-a', source: 'IEEE 1588-2019 14.1 (a TLV the receiver does not know is skipped by its lengthField), 14.3' }
    if (!synced) {
      const runs = (d.diagnosis ?? []).map((x) => {
        const at = syncedIn(x, d.a.clockIdentity)
        const what = x.carriers.length ? `TLVs on ${x.carriers.join(', ')} only` : 'without the TLVs'
        return { x, at, text: `${what}: ${at ? `SLAVE after ${seconds(at - x.startedNs)}` : `not SLAVE (${choiceTimeline(x.history, masters, x.startedNs)})`}` }
      })
      const rejected = runs.filter((r) => r.x.carriers.length && !r.at).flatMap((r) => r.x.carriers)
      const plain = runs.find((r) => !r.x.carriers.length)
      const why = !plain
        ? ''
        : !plain.at
          ? `; ${plain.text}: it does not synchronise to this grandmaster at all`
          : `; ${runs.map((r) => r.text).join('; ')}${rejected.length ? ` — the DUT rejects ${rejected.join(' and ')} carrying an unknown TLV` : ''}`
      checks.push({ ...base, name: 'the DUT synchronises to gm-a while its messages carry unknown TLVs', measured: `not SLAVE of gm-a within ${seconds(lockEnd - d.startedNs)}`, verdict: 'fail', detail: `gm-a sent ${sent}, each with tlvType 0x${UNKNOWN_TLV_TYPE.toString(16)} and an AC-DE-48 organization extension; reads: ${choiceTimeline(d.lockHistory, masters, d.startedNs)}${why}` })
      return { checks }
    }
    checks.push({ ...base, name: 'the DUT synchronises to gm-a while its messages carry unknown TLVs', measured: `SLAVE of gm-a ${seconds(synced.atNs - d.startedNs)} after the start`, verdict: 'pass', detail: `gm-a sent ${sent}, each with both TLVs` })
    const holdEnd = d.holdHistory.at(-1)?.atNs ?? d.endNs
    const hold = judgeFollowing({ name: 'the DUT stays with gm-a while the TLVs keep coming', history: [synced, ...d.holdHistory], expected: d.a, masters, t0: d.startedNs, untilNs: holdEnd, maxGapNs: T, limit: 'follows gm-a to the end', source: base.source })
    checks.push(hold.check)
    return { checks }
  },
})
