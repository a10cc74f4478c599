/** ddmin over made-up predicates: one culprit, a pair that fails only together, the trial budget. */
import { test } from '@japa/runner'
import { ddmin } from '../../../harness/fuzz/minimize.ts'

const items = Array.from({ length: 32 }, (_, i) => i)

test('one culprit among 32 is found alone, in a handful of trials', async ({ assert }) => {
  const r = await ddmin(items, async (s) => s.includes(21), { maxTrials: 50 })
  assert.deepEqual(r.minimal, [21])
  assert.isFalse(r.exhausted)
  assert.isAtMost(r.trials, 12)
})

test('two cases that fail only together are both kept, in their order', async ({ assert }) => {
  const r = await ddmin(items, async (s) => s.includes(3) && s.includes(29), { maxTrials: 100 })
  assert.deepEqual(r.minimal, [3, 29])
  assert.isFalse(r.exhausted)
})

test('when the budget runs out the smallest failing set so far is returned, marked exhausted', async ({ assert }) => {
  const r = await ddmin(items, async (s) => s.includes(21), { maxTrials: 3 })
  assert.isTrue(r.exhausted)
  assert.equal(r.trials, 3)
  assert.deepEqual(r.minimal, items.slice(16, 24))
})

test('a failure no subset repeats (it needed the whole batch) keeps the whole batch', async ({ assert }) => {
  const r = await ddmin(items.slice(0, 4), async (s) => s.length === 4, { maxTrials: 50 })
  assert.deepEqual(r.minimal, [0, 1, 2, 3])
  assert.isFalse(r.exhausted)
})
