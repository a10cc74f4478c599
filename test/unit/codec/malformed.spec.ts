/**
 * Which findings make a message unusable as a whole (malformation): a messageLength or TLV
 * lengthField that does not describe the octets. Reserved bits, an unknown but well-formed TLV
 * and Ethernet padding are findings of another kind: a receiver still uses such a message.
 */
import { test } from '@japa/runner'
import { decodeMessage, encodeMessage, malformation, tlvOverrun } from '../../../harness/codec/index.ts'
import { buildUnknownTlv } from '../../../harness/codec/tlvs/unknown.ts'
import { applyFrameEdit } from '../../../harness/engines/frame_edit.ts'
import { applyMutation, type MutationSpec, MutationPipeline } from '../../../harness/engines/mutations.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'

const T0 = 1_700_000_000_000_000_000n
const tlv = buildUnknownTlv(0x1fff, new Uint8Array(6))

function findingsAfter(...specs: MutationSpec[]) {
  const gm = new TestMaster({ name: 'gm', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: 0, logSyncInterval: 0 })
  let plan = { message: gm.buildAnnounce(T0), mutations: [] as string[], role: 'original' as const } as Parameters<typeof applyMutation>[0]
  for (const s of specs) plan = applyMutation(plan, s)[0]!
  const bytes = applyFrameEdit(encodeMessage(plan.message, plan.encode), plan.frameEdit)
  return decodeMessage(bytes).findings
}

test.group('codec / malformation', () => {
  test('messageLength past the frame or short of the body, a TLV past the end, a cut TLV header: malformed', ({ assert }) => {
    assert.match(malformation(findingsAfter({ kind: 'messageLength', delta: 10 }))!.message, /exceeds the 64 octets present/)
    assert.match(malformation(findingsAfter({ kind: 'messageLength', delta: -1 }))!.message, /shorter than the 64-octet Announce/)
    const past = findingsAfter({ kind: 'appendTlvs', tlvs: [tlv] }, { kind: 'tlvLength', tlvIndex: 'last', delta: 8 })
    assert.match(malformation(past)!.message, /runs 8 octets past/)
    assert.equal(tlvOverrun(past)!.field, 'tlvs[0].lengthField')
    const cut = findingsAfter({ kind: 'appendTlvs', tlvs: [tlv] }, { kind: 'truncate', octets: 8 }, { kind: 'messageLength', delta: -8 })
    assert.match(malformation(cut)!.message, /too few for a TLV header/)
    assert.isUndefined(tlvOverrun(cut))
  })

  test('a well-formed message, reserved bits set, an unknown TLV: not malformed', ({ assert }) => {
    assert.isUndefined(malformation(findingsAfter()))
    const reserved = findingsAfter({ kind: 'reservedBits', field: 'flagField' })
    assert.isAbove(reserved.length, 0)
    assert.isUndefined(malformation(reserved))
    assert.isUndefined(malformation(findingsAfter({ kind: 'appendTlvs', tlvs: [tlv] })))
  })

  test("the mutation pipeline counts what its rules changed or withheld (a test's evidence of what it sent)", ({ assert }) => {
    const gm = new TestMaster({ name: 'gm', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: 0, logSyncInterval: 0 })
    const p = new MutationPipeline([{ messageTypes: ['Announce'], select: { kind: 'every', n: 2 }, mutation: { kind: 'skip' } }], 1)
    for (let i = 0; i < 5; i++) p.apply({ message: gm.buildAnnounce(T0), mutations: [], role: 'original' })
    assert.equal(p.applied, 3)
    gm.setMutations([{ messageTypes: ['Sync'], mutation: { kind: 'logMessageInterval', value: 127 } }])
    assert.equal(gm.mutationsApplied, 0)
  })
})
