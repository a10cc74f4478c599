import { test } from '@japa/runner'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { argvMatches, identityOf, isAlive, isOurs, readProc } from '../../../harness/lab/proc.ts'
import { claimForTeardown, listStates, liveness, writeState, type LabState } from '../../../harness/lab/state.ts'
import { planTopology } from '../../../harness/lab/topology.ts'

function state(id: string, owner: LabState['owner']): LabState {
  return {
    version: 1, id, topology: 'pair', createdAt: new Date().toISOString(), owner, phase: 'up',
    plan: planTopology(id, 'pair'), runDir: `/nonexistent/${id}`, namespaces: [], links: [], processes: [], duts: [],
  }
}

test.group('lab / process identity', () => {
  test('a tail of the launched argv matches (after ip netns exec and setpriv exec)', ({ assert }) => {
    const launched = ['ip', 'netns', 'exec', 'ns', 'setpriv', '--inh-caps=-sys_time', '/usr/sbin/ptp4l', '-f', 'x.cfg']
    assert.isTrue(argvMatches(launched, launched))
    assert.isTrue(argvMatches(launched, ['/usr/sbin/ptp4l', '-f', 'x.cfg']))
    assert.isFalse(argvMatches(launched, ['/usr/sbin/ptp4l', '-f', 'y.cfg']))
    assert.isFalse(argvMatches(launched, []))
    assert.isFalse(argvMatches(['a'], ['x', 'a']))
  })

  test('this process is alive and ours; a wrong start time or command line is not', ({ assert }) => {
    const me = identityOf(process.pid)!
    const argv = readProc(process.pid)!.argv
    assert.isTrue(isAlive(me))
    assert.isTrue(isOurs(me, argv))
    assert.isFalse(isOurs({ ...me, startTime: String(Number(me.startTime) + 1) }, argv))
    assert.isFalse(isOurs(me, ['/bin/something-else']))
    assert.isFalse(isAlive({ pid: 0x3fffff, startTime: '1' }))
  })
})

test.group('lab / state files', (group) => {
  let dir = ''
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcl-state-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('liveness: owned by a live process, persistent without owner, orphaned when the owner is dead', ({ assert }) => {
    const me = identityOf(process.pid)!
    writeState(dir, state('live1', { ...me, argv: [] }))
    writeState(dir, state('cli1', null))
    writeState(dir, state('dead1', { pid: 0x3fffff, startTime: '1', argv: [] }))
    const by = Object.fromEntries(listStates(dir).map((e) => [e.state.id, liveness(e)]))
    assert.deepEqual(by, { cli1: 'persistent', dead1: 'orphaned', live1: 'owned' })
  })

  test('a claim is a rename: exactly one of two claimants wins', ({ assert }) => {
    writeState(dir, state('gone1', { pid: 0x3fffff, startTime: '1', argv: [] }))
    const [e] = listStates(dir)
    const me = identityOf(process.pid)!
    const first = claimForTeardown(e!, me)
    const second = claimForTeardown(e!, { pid: 1, startTime: '1' })
    assert.isString(first)
    assert.isUndefined(second)
    assert.deepEqual(readdirSync(dir), [`gone1.reap-${me.pid}-${me.startTime}.json`])
    // The claim is still listed, with its reaper: a live reaper means 'claimed', a dead one 'orphaned'.
    const [c] = listStates(dir)
    assert.equal(liveness(c!), 'claimed')
  })

  test('a claim left by a dead reaper is orphaned again', ({ assert }) => {
    writeState(dir, state('gone2', { pid: 0x3fffff, startTime: '1', argv: [] }))
    claimForTeardown(listStates(dir)[0]!, { pid: 0x3ffffe, startTime: '7' })
    assert.equal(liveness(listStates(dir)[0]!), 'orphaned')
  })

  test('files that are not lab state are ignored', ({ assert }) => {
    writeState(dir, state('ok1', null))
    writeFileSync(join(dir, 'junk.json'), '{not json')
    writeFileSync(join(dir, 'other.txt'), 'x')
    assert.deepEqual(listStates(dir).map((e) => e.state.id), ['ok1'])
  })
})
