/**
 * The fuzz case generator: a case is a pure function of (seed, batch, index), every frame names
 * the run's domain, no Management frame asks for a change, every family is drawn, and the frames
 * of a batch stay inside its span.
 */
import { test } from '@japa/runner'
import { fuzzBatch, fuzzCase, framesOf } from '../../../harness/fuzz/cases.ts'
import { FAMILY_WEIGHTS } from '../../../harness/fuzz/mutators.ts'
import { DOMAIN_OCTET, ACTION_OCTET } from '../../../harness/fuzz/safety.ts'
import { e2eTarget } from './target.ts'

const T0 = 1_700_000_000_000_000_000n
const SPAN = 2_000_000_000n
const batch = (seed: number, b: number, t = e2eTarget()) => fuzzBatch(t, { seed, batch: b, size: 32, spanNs: SPAN, timeNs: T0 })
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex')

test('the same seed, batch and index give the same octets; another seed gives others', ({ assert }) => {
  const a = batch(5, 3).map((c) => c.frames.map((f) => hex(f.octets)).join('|'))
  const b = batch(5, 3).map((c) => c.frames.map((f) => hex(f.octets)).join('|'))
  const other = batch(6, 3).map((c) => c.frames.map((f) => hex(f.octets)).join('|'))
  assert.deepEqual(a, b)
  assert.isBelow(a.filter((x, i) => x === other[i]).length, 3)
  // A case does not depend on the batch's size or on the cases before it.
  const alone = fuzzCase(e2eTarget(), { seed: 5, batch: 3, size: 32, spanNs: SPAN, timeNs: T0 }, 17)
  assert.equal(alone.frames.map((f) => hex(f.octets)).join('|'), a[17])
})

test('2000 cases: every frame in the run\'s domain, no Management SET or COMMAND, at least the domain octet, every family drawn', ({ assert }) => {
  const families = new Set<string>()
  let frames = 0
  let management = 0
  for (let b = 0; b < 63; b++) {
    for (const c of batch(11, b)) {
      families.add(c.family)
      for (const f of c.frames) {
        frames++
        assert.isAbove(f.octets.length, DOMAIN_OCTET, `case ${c.id}`)
        assert.equal(f.octets[DOMAIN_OCTET], 24, `case ${c.id}: ${c.description}`)
        if ((f.octets[0]! & 0x0f) === 0xd && f.octets.length > ACTION_OCTET) {
          management++
          assert.notInclude([1, 3], f.octets[ACTION_OCTET]! & 0x0f, `case ${c.id}: ${c.description}`)
        }
      }
    }
  }
  assert.sameMembers([...families], Object.keys(FAMILY_WEIGHTS))
  assert.isAbove(frames, 2016)
  assert.isAbove(management, 10)
})

test('with --allow-set a Management frame may carry any action the mutation gave it', ({ assert }) => {
  const actions = new Set<number>()
  for (let b = 0; b < 63; b++) {
    for (const c of batch(11, b, e2eTarget({ allowManagementSet: true }))) {
      for (const f of c.frames) if ((f.octets[0]! & 0x0f) === 0xd && f.octets.length > ACTION_OCTET) actions.add(f.octets[ACTION_OCTET]! & 0x0f)
    }
  }
  assert.include([...actions], 0)
  assert.isAbove(actions.size, 1)
})

test('frames of a batch are in send order and inside its span (an ordering case a few ms past its start)', ({ assert }) => {
  const cases = batch(2, 0)
  const frames = framesOf(cases)
  for (let i = 1; i < frames.length; i++) assert.isTrue(frames[i]!.atNs >= frames[i - 1]!.atNs)
  assert.isTrue(frames.at(-1)!.atNs < SPAN + 50_000_000n)
  assert.deepEqual(cases.map((c) => c.id).slice(0, 3), ['0.0', '0.1', '0.2'])
})

test('an ordering case sends valid grandmaster messages in an order the DUT must survive', ({ assert }) => {
  const ordering = Array.from({ length: 40 }, (_, b) => batch(3, b)).flat().filter((c) => c.family === 'ordering')
  assert.isAbove(ordering.length, 20)
  for (const c of ordering) {
    assert.isTrue(c.frames.every((f) => f.sender === 'grandmaster'))
    assert.isAbove(c.frames.length, 1, c.description)
  }
})

test('unicast: every frame goes to the DUT from its sender\'s own address', ({ assert }) => {
  const t = e2eTarget({ unicast: { dut: '10.0.0.2', grandmaster: '10.0.0.11', stranger: '10.0.0.13' } })
  for (const c of batch(4, 0, t)) {
    for (const f of c.frames) {
      assert.deepEqual(f.destination, { kind: 'unicast', address: '10.0.0.2' })
      assert.equal(f.source, f.sender === 'grandmaster' ? '10.0.0.11' : '10.0.0.13')
    }
  }
})

test('P2P: the grandmaster\'s cases answer peer delay, not Delay_Req', ({ assert }) => {
  const cases = Array.from({ length: 10 }, (_, b) => batch(8, b, e2eTarget({ delayMechanism: 'P2P' }))).flat()
  const gmTypes = new Set(cases.flatMap((c) => c.frames.filter((f) => f.sender === 'grandmaster').map((f) => f.message.type)))
  assert.notInclude([...gmTypes], 'Delay_Resp')
  assert.include([...gmTypes], 'Pdelay_Resp')
})
