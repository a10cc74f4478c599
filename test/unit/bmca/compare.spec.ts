import { test } from '@japa/runner'
import {
  A_BETTER,
  A_BETTER_TOPO,
  B_BETTER,
  B_BETTER_TOPO,
  SAME,
  compareDefault,
  compareTelecom,
  compare8021AS,
  type BmcaDataset,
  type DecidingAttribute,
} from '../../../harness/bmca/index.ts'

const RX = { clockIdentity: '02dddd.fffe.000001', portNumber: 1 }

function ds(over: Partial<BmcaDataset> & { gm?: string; id?: string } = {}): BmcaDataset {
  const gm = over.gm ?? '02aaaa.fffe.000001'
  const base: BmcaDataset = {
    priority1: 128,
    clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff },
    priority2: 128,
    grandmasterIdentity: gm,
    stepsRemoved: 0,
    sender: { clockIdentity: over.id ?? gm, portNumber: 1 },
    receiver: RX,
  }
  const { gm: _g, id: _i, ...rest } = over
  return { ...base, ...rest }
}

/** Every attribute case of 1588-2019 Figure 34: A better in one attribute, the rest equal, A's identity the higher. */
const ATTRIBUTE_CASES: Array<[DecidingAttribute, Partial<BmcaDataset>, Partial<BmcaDataset>]> = [
  ['priority1', { priority1: 100 }, { priority1: 110 }],
  ['clockClass', { clockQuality: { clockClass: 6, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } }, { clockQuality: { clockClass: 7, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } }],
  ['clockAccuracy', { clockQuality: { clockClass: 248, clockAccuracy: 0x21, offsetScaledLogVariance: 0xffff } }, { clockQuality: { clockClass: 248, clockAccuracy: 0x22, offsetScaledLogVariance: 0xffff } }],
  ['offsetScaledLogVariance', { clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0x4e5d } }, { clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0x4e5e } }],
  ['priority2', { priority2: 100 }, { priority2: 101 }],
]

test.group('bmca / default data set comparison (1588-2019 Figure 34, linuxptp dscmp)', () => {
  for (const [attr, better, worse] of ATTRIBUTE_CASES) {
    test(`${attr} decides, in both orders, against the identity tie-break`, ({ assert }) => {
      const a = ds({ ...better, gm: '02aaaa.fffe.000009' })
      const b = ds({ ...worse, gm: '02aaaa.fffe.000001' })
      assert.deepEqual(compareDefault(a, b), { result: A_BETTER, decidedBy: attr })
      assert.deepEqual(compareDefault(b, a), { result: B_BETTER, decidedBy: attr })
    })
  }

  test('grandmasterIdentity decides last: the lower identity wins', ({ assert }) => {
    const a = ds({ gm: '02aaaa.fffe.000001' })
    const b = ds({ gm: '02aaaa.fffe.000002' })
    assert.deepEqual(compareDefault(a, b), { result: A_BETTER, decidedBy: 'grandmasterIdentity' })
    assert.deepEqual(compareDefault(b, a), { result: B_BETTER, decidedBy: 'grandmasterIdentity' })
  })

  test('attribute order: priority1 outranks a better clockClass', ({ assert }) => {
    const a = ds({ priority1: 127, clockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff }, gm: '02aaaa.fffe.000009' })
    const b = ds({ priority1: 128, clockQuality: { clockClass: 6, clockAccuracy: 0x20, offsetScaledLogVariance: 0x4000 }, priority2: 0 })
    assert.deepEqual(compareDefault(a, b), { result: A_BETTER, decidedBy: 'priority1' })
  })

  test('an absent data set loses', ({ assert }) => {
    assert.equal(compareDefault(ds(), undefined).result, A_BETTER)
    assert.equal(compareDefault(undefined, ds()).result, B_BETTER)
    assert.equal(compareDefault(undefined, undefined).result, SAME)
  })
})

test.group('bmca / topology comparison (1588-2019 Figure 35, linuxptp dscmp2)', () => {
  const GM = '02aaaa.fffe.000001'
  test('stepsRemoved differing by two or more: fewer wins outright', ({ assert }) => {
    const a = ds({ gm: GM, stepsRemoved: 1, id: '02cccc.fffe.000001' })
    const b = ds({ gm: GM, stepsRemoved: 3, id: '02cccc.fffe.000002' })
    assert.deepEqual(compareDefault(a, b), { result: A_BETTER, decidedBy: 'stepsRemoved' })
    assert.deepEqual(compareDefault(b, a), { result: B_BETTER, decidedBy: 'stepsRemoved' })
  })

  test('stepsRemoved differing by one: receiver vs sender identity of the longer path', ({ assert }) => {
    const a = ds({ gm: GM, stepsRemoved: 1, id: '02cccc.fffe.000001' })
    // B's sender above our receiver: plain better-by-topology for A.
    const b = ds({ gm: GM, stepsRemoved: 2, id: '02eeee.fffe.000001' })
    assert.deepEqual(compareDefault(a, b), { result: A_BETTER, decidedBy: 'receiverIdentity' })
    // B's sender below our receiver: A better by topology.
    const c = ds({ gm: GM, stepsRemoved: 2, id: '02bbbb.fffe.000001' })
    assert.deepEqual(compareDefault(a, c), { result: A_BETTER_TOPO, decidedBy: 'receiverIdentity' })
    // B came back through our own port: error-1.
    const d = ds({ gm: GM, stepsRemoved: 2, id: RX.clockIdentity })
    d.sender = { ...RX }
    assert.deepEqual(compareDefault(a, d), { result: SAME, decidedBy: 'error-1' })
  })

  test('equal stepsRemoved: lower sender, then lower receiving port, else error-2', ({ assert }) => {
    const a = ds({ gm: GM, stepsRemoved: 1, id: '02cccc.fffe.000001' })
    const b = ds({ gm: GM, stepsRemoved: 1, id: '02cccc.fffe.000002' })
    assert.deepEqual(compareDefault(a, b), { result: A_BETTER_TOPO, decidedBy: 'senderIdentity' })
    assert.deepEqual(compareDefault(b, a), { result: B_BETTER_TOPO, decidedBy: 'senderIdentity' })
    const p2 = { ...a, receiver: { ...RX, portNumber: 2 } }
    assert.deepEqual(compareDefault(a, p2), { result: A_BETTER_TOPO, decidedBy: 'receiverPortNumber' })
    assert.deepEqual(compareDefault(a, { ...a }), { result: SAME, decidedBy: 'error-2' })
  })
})

test.group('bmca / G.8275.x alternate comparison (linuxptp telecom.c)', () => {
  test('priority1 is not compared', ({ assert }) => {
    const a = ds({ priority1: 255, gm: '02aaaa.fffe.000001' })
    const b = ds({ priority1: 1, gm: '02aaaa.fffe.000002' })
    assert.deepEqual(compareTelecom(a, b), { result: A_BETTER, decidedBy: 'grandmasterIdentity' })
  })

  for (const [attr, better, worse] of ATTRIBUTE_CASES.filter(([a]) => a !== 'priority1')) {
    test(`${attr} decides`, ({ assert }) => {
      const a = ds({ ...better, gm: '02aaaa.fffe.000009' })
      const b = ds({ ...worse, gm: '02aaaa.fffe.000001' })
      assert.deepEqual(compareTelecom(a, b), { result: A_BETTER, decidedBy: attr })
    })
  }

  test('localPriority after priority2', ({ assert }) => {
    const a = ds({ localPriority: 10, gm: '02aaaa.fffe.000009' })
    const b = ds({ localPriority: 20, gm: '02aaaa.fffe.000001' })
    assert.deepEqual(compareTelecom(a, b), { result: A_BETTER, decidedBy: 'localPriority' })
    const c = ds({ localPriority: 10, priority2: 129, gm: '02aaaa.fffe.000009' })
    assert.deepEqual(compareTelecom(c, b), { result: B_BETTER, decidedBy: 'priority2' })
  })

  test('clockClass ≤ 127: topology before identity (several grandmasters, the nearer wins)', ({ assert }) => {
    const q = { clockClass: 6, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d }
    const near = ds({ clockQuality: q, gm: '02aaaa.fffe.000009', stepsRemoved: 0, id: '02aaaa.fffe.000009' })
    const far = ds({ clockQuality: q, gm: '02aaaa.fffe.000001', stepsRemoved: 3, id: '02cccc.fffe.000001' })
    assert.deepEqual(compareTelecom(near, far), { result: A_BETTER, decidedBy: 'stepsRemoved' })
    // The default BMCA would take the lower identity instead.
    assert.deepEqual(compareDefault(near, far), { result: B_BETTER, decidedBy: 'grandmasterIdentity' })
  })
})

test.group('bmca / 802.1AS comparison', () => {
  test('same attribute order as the default BMCA', ({ assert }) => {
    for (const [attr, better, worse] of ATTRIBUTE_CASES) {
      const a = ds({ ...better, gm: '02aaaa.fffe.000009' })
      const b = ds({ ...worse, gm: '02aaaa.fffe.000001' })
      assert.deepEqual(compare8021AS(a, b), { result: A_BETTER, decidedBy: attr })
    }
  })
})
