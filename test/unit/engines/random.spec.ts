/** The seeded stream's integer draws: inside their ranges, every value reached, the same for the same seed. */
import { test } from '@japa/runner'
import { SeededRandom } from '../../../harness/engines/random.ts'

test('below(n) is in [0, n), int(lo, hi) in [lo, hi], pick one of the items; each reaches every value', ({ assert }) => {
  const r = new SeededRandom(42)
  const below = new Set<number>()
  const ints = new Set<number>()
  const picks = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    below.add(r.below(7))
    ints.add(r.int(-3, 3))
    picks.add(r.pick(['a', 'b', 'c']))
  }
  assert.sameMembers([...below], [0, 1, 2, 3, 4, 5, 6])
  assert.sameMembers([...ints], [-3, -2, -1, 0, 1, 2, 3])
  assert.sameMembers([...picks], ['a', 'b', 'c'])
  assert.equal(r.below(0), 0)
})

test('the same seed draws the same integers', ({ assert }) => {
  const draw = (seed: number) => {
    const r = new SeededRandom(seed)
    return Array.from({ length: 20 }, () => r.int(0, 1000))
  }
  assert.deepEqual(draw(9), draw(9))
  assert.notDeepEqual(draw(9), draw(10))
})
