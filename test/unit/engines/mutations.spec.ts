import { test } from '@japa/runner'
import {
  applyMutation,
  describeMutation,
  mutate,
  MutationPipeline,
  RESERVED_FLAG_BITS,
  type MutationSpec,
  type PlannedSend,
} from '../../../harness/engines/mutations.ts'
import { formatDuration } from '../../../harness/time/format.ts'
import { applyFrameEdit } from '../../../harness/engines/frame_edit.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { buildPathTraceTlv } from '../../../harness/codec/index.ts'
import { buildUnknownTlv } from '../../../harness/codec/tlvs/unknown.ts'
import { decodeMessage, encodeMessage } from '../../../harness/codec/message.ts'
import type { SendAction } from '../../../harness/engines/index.ts'
import type { PtpMessage } from '../../../harness/codec/types.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const T0 = 1_700_000_000_000_000_000n

/** A realistic Announce with a TLV, built by the test master. */
function announce(): PtpMessage {
  const gm = new TestMaster({ name: 'gm', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: 0, logSyncInterval: 0, announceTlvs: [buildPathTraceTlv(['02aaaa.fffe.000001'])] })
  return gm.buildAnnounce(T0)
}

function plan(message: PtpMessage, at: bigint | undefined = T0): PlannedSend {
  return { message, ...(at !== undefined ? { at } : {}), mutations: [], role: 'original' }
}

function bytesOf(p: PlannedSend): Uint8Array {
  return applyFrameEdit(encodeMessage(p.message, p.encode), p.frameEdit)
}

/** Octet offsets at which two encodings differ (lengths must match). */
function changedOctets(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = []
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push(i)
  return out
}

function only(spec: MutationSpec, message = announce()): { before: Uint8Array; after: Uint8Array; result: PlannedSend } {
  const p = plan(message)
  const r = applyMutation(p, spec)
  if (r.length !== 1) throw new Error(`expected one plan, got ${r.length}`)
  return { before: bytesOf(p), after: bytesOf(r[0]!), result: r[0]! }
}

test.group('engines / mutation catalogue: each mutation changes exactly what it claims', () => {
  test('sequenceId: octets 30-31 only', ({ assert }) => {
    const { before, after } = only({ kind: 'sequenceId', delta: 5 })
    assert.deepEqual(changedOctets(before, after).filter((i) => i < 30 || i > 31), [])
    assert.equal(decodeMessage(after).message.header.sequenceId, decodeMessage(before).message.header.sequenceId + 5)
  })

  test('domainNumber: octet 4 only', ({ assert }) => {
    const { before, after } = only({ kind: 'domainNumber', value: 99 })
    assert.deepEqual(changedOctets(before, after), [4])
    assert.equal(after[4], 99)
  })

  test('versionPTP: octet 1 low nibble only', ({ assert }) => {
    const { before, after } = only({ kind: 'versionPTP', value: 3 })
    assert.deepEqual(changedOctets(before, after), [1])
    assert.equal(after[1]! & 0x0f, 3)
    assert.equal(after[1]! & 0xf0, before[1]! & 0xf0)
  })

  test('appendTlvs: the message\'s own TLVs stay first, the new ones follow, messageLength grows by their size', ({ assert }) => {
    const extra = buildUnknownTlv(0x1fff, Uint8Array.from([1, 2, 3, 4]))
    const { before, after, result } = only({ kind: 'appendTlvs', tlvs: [extra] })
    assert.equal(after.length, before.length + 8)
    assert.deepEqual(after.subarray(4, 34), before.subarray(4, 34))
    assert.equal((after[2]! << 8) | after[3]!, after.length)
    const tlvs = decodeMessage(after).message.tlvs
    assert.deepEqual(tlvs.map((t) => t.kind), ['PATH_TRACE', 'UNKNOWN'])
    assert.deepEqual(result.mutations, ['Announce TLVs appended: tlvType 0x1fff (4 octets)'])
  })

  test('majorSdoId: octet 0 high nibble only', ({ assert }) => {
    const { before, after } = only({ kind: 'majorSdoId', value: 2 })
    assert.deepEqual(changedOctets(before, after), [0])
    assert.equal(after[0]! >> 4, 2)
    assert.equal(after[0]! & 0x0f, before[0]! & 0x0f)
  })

  test('messageLength too short / too long: octets 2-3 only, frame unchanged in length, decoder flags it', ({ assert }) => {
    for (const delta of [-10, 6]) {
      const { before, after } = only({ kind: 'messageLength', delta })
      assert.equal(after.length, before.length)
      assert.deepEqual(changedOctets(before, after).filter((i) => i !== 2 && i !== 3), [])
      assert.equal(((after[2]! << 8) | after[3]!) - ((before[2]! << 8) | before[3]!), delta)
      assert.isTrue(decodeMessage(after).findings.some((f) => f.field === 'messageLength'), `delta ${delta}`)
    }
  })

  test('truncate: a prefix of the original frame', ({ assert }) => {
    const { before, after } = only({ kind: 'truncate', octets: 4 })
    assert.equal(after.length, before.length - 4)
    assert.deepEqual(after, before.slice(0, before.length - 4))
  })

  test('TLV length wrong: the TLV lengthField octets only', ({ assert }) => {
    const { before, after } = only({ kind: 'tlvLength', tlvIndex: 0, delta: 2 })
    // PATH_TRACE at octet 64: type 64-65, lengthField 66-67.
    const changed = changedOctets(before, after)
    assert.isAbove(changed.length, 0)
    assert.isTrue(changed.every((i) => i === 66 || i === 67))
    assert.equal(((after[66]! << 8) | after[67]!), ((before[66]! << 8) | before[67]!) + 2)
    assert.isAbove(decodeMessage(after).findings.length, 0)
  })

  test('reserved bits: only the reserved flag bits, and the decoder reports them', ({ assert }) => {
    const { before, after } = only({ kind: 'reservedBits', field: 'flagField' })
    assert.deepEqual(changedOctets(before, after), [6, 7])
    const b = (before[6]! << 8) | before[7]!
    const a = (after[6]! << 8) | after[7]!
    assert.equal(a ^ b, RESERVED_FLAG_BITS)
    assert.isTrue(decodeMessage(after).findings.some((f) => f.field === 'flagField'))
    const r2 = only({ kind: 'reservedBits', field: 'announceReserved' })
    assert.deepEqual(changedOctets(r2.before, r2.after), [46])
  })

  test('logMessageInterval 0x7F and extremes: octet 33 only', ({ assert }) => {
    for (const v of [127, -128, 100]) {
      const { before, after } = only({ kind: 'logMessageInterval', value: v })
      assert.deepEqual(changedOctets(before, after), [33])
      assert.equal(decodeMessage(after).message.header.logMessageInterval, v)
    }
  })

  test('timestampJump: the timestamp octets only, by the amount', ({ assert }) => {
    const { before, after } = only({ kind: 'timestampJump', ns: 1_000_000_000n + 5n })
    assert.isTrue(changedOctets(before, after).every((i) => i >= 34 && i < 44))
    const m0 = decodeMessage(before).message
    const m1 = decodeMessage(after).message
    if (m0.type !== 'Announce' || m1.type !== 'Announce') throw new Error('not Announce')
    assert.equal(m1.originTimestamp.secondsField - m0.originTimestamp.secondsField, 1n)
    assert.equal(m1.originTimestamp.nanosecondsField - m0.originTimestamp.nanosecondsField, 5)
  })

  test('skip gives nothing; duplicate gives identical copies; delay moves only the send time', ({ assert }) => {
    assert.lengthOf(applyMutation(plan(announce()), { kind: 'skip' }), 0)
    const d = applyMutation(plan(announce()), { kind: 'duplicate', copies: 2, spacingNs: 1000n })
    assert.lengthOf(d, 3)
    assert.deepEqual(bytesOf(d[1]!), bytesOf(d[0]!))
    assert.deepEqual(d.map((p) => p.at), [T0, T0 + 1000n, T0 + 2000n])
    assert.deepEqual(d.map((p) => p.role), ['original', 'duplicate', 'duplicate'])
    const l = applyMutation(plan(announce()), { kind: 'delay', ns: 200_000_000n })
    assert.equal(l[0]!.at, T0 + 200_000_000n)
    assert.deepEqual(bytesOf(l[0]!), bytesOf(plan(announce())))
    assert.deepEqual(l[0]!.mutations, ['Announce late +200 ms'])
  })

  test('descriptions read as the pcapng comments do', ({ assert }) => {
    assert.equal(describeMutation({ kind: 'delay', ns: 200_000_000n }), 'late +200 ms')
    assert.equal(describeMutation({ kind: 'logMessageInterval', value: 127 }), 'logMessageInterval 0x7F')
    assert.equal(describeMutation({ kind: 'messageLength', delta: -4 }), 'messageLength -4 (too short)')
    assert.equal(formatDuration(-1_500n), '-1.5 µs')
    assert.equal(formatDuration(1_000_000_000n), '+1 s')
  })
})

test.group('engines / mutations in the test master stream', () => {
  function run(rules: Parameters<typeof TestMaster.prototype.setMutations>[0], seed = 1, seconds = 4n) {
    const link = new SimulatedLink()
    const gm = new TestMaster({ name: 'gm', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: 0, logSyncInterval: -4, mutations: rules, seed })
    link.add('gm', gm)
    link.start()
    link.advance(seconds * 1_000_000_000n)
    return link
  }

  test('Follow_Up late by 200 ms: sent 200 ms after its Sync, said so in its reason', ({ assert }) => {
    const link = run([mutate.followUpLate(200_000_000n, { kind: 'sequenceIds', ids: [3] })])
    const sync = link.recorder.query({ direction: 'out', type: 'Sync', where: (f) => f.message!.header.sequenceId === 3 })[0]!
    const fu = link.recorder.query({ direction: 'out', type: 'Follow_Up', where: (f) => f.message!.header.sequenceId === 3 })[0]!
    assert.equal(fu.timestampNs! - sync.timestampNs!, 200_000_000n)
    assert.deepEqual(fu.reason!.mutations, ['Follow_Up late +200 ms'])
    const other = link.recorder.query({ direction: 'out', type: 'Follow_Up', where: (f) => f.message!.header.sequenceId === 4 })[0]!
    assert.deepEqual(other.reason!.mutations, [])
  })

  test('Follow_Up missing and Follow_Up without Sync', ({ assert }) => {
    const link = run([mutate.followUpMissing({ kind: 'sequenceIds', ids: [2] }), mutate.followUpWithoutSync({ kind: 'sequenceIds', ids: [5] })])
    const syncs = link.recorder.query({ direction: 'out', type: 'Sync' }).map((f) => f.message!.header.sequenceId)
    const fus = link.recorder.query({ direction: 'out', type: 'Follow_Up' }).map((f) => f.message!.header.sequenceId)
    assert.include(syncs, 2)
    assert.notInclude(fus, 2)
    assert.notInclude(syncs, 5)
    assert.include(fus, 5)
  })

  test('dropping 10 % of Follow_Ups is seeded: same seed, same drops; other seed, other drops', ({ assert }) => {
    const dropped = (seed: number) => {
      const link = run([mutate.dropFollowUps(10)], seed, 20n)
      const syncs = new Set(link.recorder.query({ direction: 'out', type: 'Sync' }).map((f) => f.message!.header.sequenceId))
      const fus = new Set(link.recorder.query({ direction: 'out', type: 'Follow_Up' }).map((f) => f.message!.header.sequenceId))
      return { dropped: [...syncs].filter((s) => !fus.has(s)), total: syncs.size }
    }
    const a = dropped(7)
    const b = dropped(7)
    const c = dropped(8)
    assert.deepEqual(a.dropped, b.dropped)
    assert.notDeepEqual(a.dropped, c.dropped)
    assert.closeTo(a.dropped.length / a.total, 0.1, 0.04)
  })

  test('pipeline selectors: every, first, after, window', ({ assert }) => {
    const seqOf = (p: PlannedSend[]) => p.map((x) => x.message.header.sequenceId)
    const msgs = Array.from({ length: 10 }, (_, i) => {
      const m = announce()
      m.header.sequenceId = i
      return plan(m, T0 + BigInt(i) * 1000n)
    })
    const pass = (rule: ConstructorParameters<typeof MutationPipeline>[0][number]) => {
      const p = new MutationPipeline([rule], 1)
      return seqOf(msgs.flatMap((m) => p.apply(m)))
    }
    assert.deepEqual(pass({ messageTypes: ['Announce'], select: { kind: 'every', n: 3 }, mutation: { kind: 'skip' } }), [1, 2, 4, 5, 7, 8])
    assert.deepEqual(pass({ messageTypes: ['Announce'], select: { kind: 'first', n: 2 }, mutation: { kind: 'skip' } }), [2, 3, 4, 5, 6, 7, 8, 9])
    assert.deepEqual(pass({ messageTypes: ['Announce'], select: { kind: 'after', skip: 8 }, mutation: { kind: 'skip' } }), [0, 1, 2, 3, 4, 5, 6, 7])
    assert.deepEqual(pass({ messageTypes: ['Announce'], select: { kind: 'window', fromNs: T0 + 2000n, toNs: T0 + 4000n }, mutation: { kind: 'skip' } }), [0, 1, 4, 5, 6, 7, 8, 9])
    assert.deepEqual(pass({ messageTypes: ['Sync'], mutation: { kind: 'skip' } }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  test('a timestamp jump from the 10th Sync on moves Sync and Follow_Up timestamps', ({ assert }) => {
    const link = run([mutate.timestampJump(1_000_000n, 10)])
    const fus = link.recorder.query({ direction: 'out', type: 'Follow_Up' })
    const syncs = link.recorder.query({ direction: 'out', type: 'Sync' })
    for (const f of fus) {
      const s = syncs.find((x) => x.message!.header.sequenceId === f.message!.header.sequenceId)!
      const m = f.message!
      if (m.type !== 'Follow_Up') continue
      const precise = m.preciseOriginTimestamp.secondsField * 1_000_000_000n + BigInt(m.preciseOriginTimestamp.nanosecondsField)
      const expected = s.timestampNs! + (m.header.sequenceId >= 10 ? 1_000_000n : 0n)
      assert.equal(precise, expected, `Follow_Up #${m.header.sequenceId}`)
    }
  })

  test('sends carry the mutation descriptions in their reasons', ({ assert }) => {
    const link = run([{ messageTypes: ['Announce'], select: { kind: 'first', n: 1 }, mutation: { kind: 'domainNumber', value: 44 } }])
    const first = link.sent.find((s) => s.action.message.type === 'Announce')!.action as SendAction
    assert.deepEqual(first.reason.mutations, ['Announce wrong domainNumber 44'])
    assert.equal(first.message.header.domainNumber, 44)
  })
})
