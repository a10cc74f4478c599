import { test } from '@japa/runner'
import {
  e2eExchangeOffset,
  e2eMeanPathDelay,
  e2eOffsetFromMaster,
  neighborRateRatio,
  nsToScaled,
  p2pMeanLinkDelay,
  rateRatioPpb,
  scaledToNs,
  UNITY_RATE_RATIO,
} from '../../../harness/engines/delay_arithmetic.ts'

// A link with a known truth: slave clock = master clock + OFFSET, one-way delay DELAY.
const OFFSET = 500n
const DELAY = 100n
function exchange(t1: bigint, t3: bigint) {
  const t2 = t1 + DELAY + OFFSET // master → slave: slave clock reads ahead by OFFSET
  const t4 = t3 + DELAY - OFFSET // slave → master: master clock reads behind by OFFSET
  return { t1, t2, t3, t4, cSync: 0n, cFollowUp: 0n, cDelayResp: 0n }
}

test.group('engines / delay arithmetic (IEEE 1588-2019 11.3, E2E)', () => {
  test('recovers a known offset and delay exactly', ({ assert }) => {
    const x = exchange(1_000_000n, 1_400_000n)
    const mpd = e2eMeanPathDelay(x)
    assert.equal(mpd, nsToScaled(DELAY))
    assert.equal(e2eOffsetFromMaster(x, mpd), nsToScaled(OFFSET))
    assert.equal(e2eExchangeOffset(x), nsToScaled(OFFSET))
  })

  test('correctionField of Sync, Follow_Up and Delay_Resp is subtracted, sub-nanosecond parts included', ({ assert }) => {
    // A transparent clock adds 30.5 ns of residence time to the Sync path: t2 is 30.5 ns later,
    // and cSync says so. On the way back 12.25 ns are added to Delay_Req and returned in cDelayResp.
    const base = exchange(1_000_000n, 1_400_000n)
    const cSync = nsToScaled(30n) + 0x8000n // 30.5 ns
    const cDelayResp = nsToScaled(12n) + 0x4000n // 12.25 ns
    const x = {
      ...base,
      // The receivers see the residence time in their timestamps (rounded to whole ns here).
      t2: base.t2 + 31n,
      t4: base.t4 + 12n,
      cSync,
      cFollowUp: 0n,
      cDelayResp,
    }
    const mpd = e2eMeanPathDelay(x)
    // 2·mpd = (t2 − t3) + (t4 − t1) − c = 2·DELAY + 31 + 12 − 30.5 − 12.25 = 2·DELAY + 0.25 ns
    assert.equal(mpd, nsToScaled(DELAY) + 0x2000n)
    // offset = t2 − t1 − cSync − mpd = OFFSET + DELAY + 31 − 30.5 − (DELAY + 0.125) = OFFSET + 0.375 ns
    assert.equal(e2eOffsetFromMaster(x, mpd), nsToScaled(OFFSET) + 0x6000n)
    assert.equal(e2eExchangeOffset(x), nsToScaled(OFFSET) + 0x6000n)
  })

  test('moving time from the timestamp into correctionField changes nothing', ({ assert }) => {
    const x = exchange(5_000_000n, 5_300_000n)
    for (const shift of [1n, 999n, 1_000_000n, -250_000n]) {
      // Sync path: preciseOriginTimestamp − shift, Follow_Up correction + shift.
      // Delay path: receiveTimestamp + shift, Delay_Resp correction + shift.
      const y = { ...x, t1: x.t1 - shift, cFollowUp: nsToScaled(shift), t4: x.t4 + shift, cDelayResp: nsToScaled(shift) }
      assert.equal(e2eMeanPathDelay(y), e2eMeanPathDelay(x), `shift ${shift}`)
      assert.equal(e2eExchangeOffset(y), e2eExchangeOffset(x), `shift ${shift}`)
      assert.equal(e2eOffsetFromMaster(y, e2eMeanPathDelay(y)), nsToScaled(OFFSET))
    }
  })

  test('an asymmetric path shows as half the asymmetry in the offset', ({ assert }) => {
    const t1 = 0n
    const t3 = 1_000n
    const x = { t1, t2: t1 + 140n, t3, t4: t3 + 60n, cSync: 0n, cFollowUp: 0n, cDelayResp: 0n }
    assert.equal(scaledToNs(e2eMeanPathDelay(x)), 100n)
    assert.equal(scaledToNs(e2eExchangeOffset(x)), 40n) // (140 − 60) / 2, true offset 0
  })

  test('scaledToNs rounds half away from zero', ({ assert }) => {
    assert.equal(scaledToNs(nsToScaled(7n) + 0x8000n), 8n)
    assert.equal(scaledToNs(-(nsToScaled(7n) + 0x8000n)), -8n)
    assert.equal(scaledToNs(nsToScaled(7n) + 0x7fffn), 7n)
  })
})

test.group('engines / delay arithmetic (IEEE 1588-2019 11.4, P2P)', () => {
  test('two-step peer delay with the turnaround in the timestamps', ({ assert }) => {
    const x = { t1: 1_000n, t2: 900_000n, t3: 950_000n, t4: 1_000n + 50_000n + 2n * 700n, cPdelayResp: 0n, cPdelayRespFollowUp: 0n }
    assert.equal(p2pMeanLinkDelay(x), nsToScaled(700n))
  })

  test('one-step peer delay with the turnaround in correctionField', ({ assert }) => {
    const x = { t1: 1_000n, t2: 0n, t3: 0n, t4: 1_000n + 50_000n + 2n * 700n, cPdelayResp: nsToScaled(50_000n), cPdelayRespFollowUp: 0n }
    assert.equal(p2pMeanLinkDelay(x), nsToScaled(700n))
  })

  test('neighborRateRatio from two exchanges, and the delay it corrects', ({ assert }) => {
    // Responder runs 100 ppm fast: 1 s of requester time is 1.0001 s of responder time.
    const D = 800n
    const mk = (t1: bigint) => {
      const t2r = (t1 + D) * 10001n / 10000n
      const t3r = t2r + 20_000n
      const t4 = t1 + D + 20_000n * 10000n / 10001n + D
      return { t1, t2: t2r, t3: t3r, t4, cPdelayResp: 0n, cPdelayRespFollowUp: 0n }
    }
    const a = mk(1_000_000_000n)
    const b = mk(2_000_000_000n)
    const r = neighborRateRatio(a, b)!
    assert.closeTo(rateRatioPpb(r), 100_000, 1)
    // Without the ratio the turnaround (in responder time) is over-subtracted by 100 ppm of 20 µs = 2 ns.
    assert.equal(scaledToNs(p2pMeanLinkDelay(b, UNITY_RATE_RATIO)), D - 1n)
    assert.closeTo(Number(scaledToNs(p2pMeanLinkDelay(b, r))), Number(D), 1)
  })

  test('neighborRateRatio is undefined for a non-advancing requester', ({ assert }) => {
    const a = { t1: 0n, t2: 0n, t3: 10n, t4: 5n, cPdelayResp: 0n, cPdelayRespFollowUp: 0n }
    assert.isUndefined(neighborRateRatio(a, a))
  })
})
