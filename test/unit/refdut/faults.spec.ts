import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { testMasterConfigFromProfile, testSlaveConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { timeBaseShowingSlaveOffset } from '../../../harness/engines/time_base.ts'
import { timestampToNs } from '../../../harness/time/timestamp.ts'
import type { MessageOf } from '../../../harness/codec/types.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { tlvName } from '../../../harness/codec/tlvs/index.ts'
import { FAULTS, applyFaults } from '../../../harness/refdut/faults.ts'
import { HARNESS_IDENTITY } from '../../support/evidence/simulate.ts'
import { refLab, SECOND, type RefLab } from '../../support/refdut/clock.ts'

const GM_A = HARNESS_IDENTITY(1)
const GM_B = HARNESS_IDENTITY(2)
const gm = (profileId: string, name: string, identity: string, dataset: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  new TestMaster(testMasterConfigFromProfile(loadProfile(profileId), { name, clockIdentity: identity, intervals: 'lab', dataset }, extra))
const observer = (profileId: string) => new TestSlave(testSlaveConfigFromProfile(loadProfile(profileId), { name: 'obs', clockIdentity: HARNESS_IDENTITY(9), intervals: 'lab' }, { seed: 5 }))

/** The DUT alone as master for 10 s, with and without the fault. */
function asMaster(profileId: string, faults: string[], withObserver = true): RefLab {
  const lab = refLab(profileId, { faults, peers: withObserver ? { obs: observer(profileId) } : {} })
  lab.link.advance(10n * SECOND)
  return lab
}

/**
 * IDs of the tests the reference DUT can be shown failing. Relay tests ('dut-relay') need a
 * boundary or transparent clock, which the reference DUT is not: they are proven live against a
 * plain Linux bridge standing in for one (test/lab/run/relay_clocks.spec.ts).
 */
function suiteIds(): string[] {
  const ids = new Set<string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(join(dir, e.name), 'utf8')
        if (text.includes("fixture: 'dut-relay'")) continue
        for (const m of text.matchAll(/^\s*id: '([A-Z0-9-]+)'/gm)) ids.add(m[1]!)
      }
    }
  }
  walk('suites')
  return [...ids].sort()
}

test.group('refdut / fault catalogue', () => {
  test('every test ID in suites/ is targeted by at least one fault; fault IDs are unique', ({ assert }) => {
    const targeted = new Set(FAULTS.flatMap((f) => f.targets))
    const ids = suiteIds()
    assert.isAbove(ids.length, 10)
    assert.deepEqual(ids.filter((id) => !targeted.has(id)), [])
    assert.equal(new Set(FAULTS.map((f) => f.id)).size, FAULTS.length)
    for (const f of FAULTS) for (const t of f.targets) assert.include(ids, t, `${f.id} targets unknown test ${t}`)
  })

  test('unknown fault IDs are refused, naming the known ones', ({ assert }) => {
    const p = loadProfile('default-e2e')
    assert.throws(() => applyFaults({ name: 'x', clockIdentity: HARNESS_IDENTITY(3), profile: p, settings: {} as never, role: 'auto', behaviour: {} }, ['nope']), /unknown fault 'nope'; known: .*sync-rate-double/)
  })

  test('appliesTo names why a fault cannot be shown under a profile', ({ assert }) => {
    const byId = Object.fromEntries(FAULTS.map((f) => [f.id, f]))
    assert.match(String(byId['atoi-tlv-missing']!.appliesTo!(loadProfile('default-e2e'))), /does not require/)
    assert.isTrue(byId['atoi-tlv-missing']!.appliesTo!(loadProfile('power-2011')))
    assert.match(String(byId['delay-resp-wrong-sequence']!.appliesTo!(loadProfile('gptp'))), /delay request-response/)
    assert.isTrue(byId['pdelay-turnaround-negative']!.appliesTo!(loadProfile('default-p2p')))
  })
})

test.group('refdut / each fault changes what the DUT sends', () => {
  test('fault: announce-correction-nonzero → Announce correctionField 1 ns', ({ assert }) => {
    assert.equal(asMaster('default-e2e', []).sentOf('Announce')[0]!.message.header.correctionField, 0n)
    assert.equal(asMaster('default-e2e', ['announce-correction-nonzero']).sentOf('Announce')[0]!.message.header.correctionField, 1n << 16n)
  })

  test('fault: announce-to-pdelay-address → Announce to the peer-delay address', ({ assert }) => {
    assert.isUndefined(asMaster('default-e2e', []).sentOf('Announce')[0]!.destination)
    assert.deepEqual(asMaster('default-e2e', ['announce-to-pdelay-address']).sentOf('Announce')[0]!.destination, { kind: 'pdelay' })
  })

  test('fault: announce-interval-unspecified → Announce logMessageInterval 0x7F', ({ assert }) => {
    assert.equal(asMaster('default-e2e', []).sentOf('Announce')[0]!.message.header.logMessageInterval, 0)
    assert.equal(asMaster('default-e2e', ['announce-interval-unspecified']).sentOf('Announce')[0]!.message.header.logMessageInterval, 0x7f)
  })

  test('fault: sync-rate-double → twice the Syncs, configured interval still advertised', ({ assert }) => {
    const ok = asMaster('default-e2e', []).sentOf('Sync')
    const bad = asMaster('default-e2e', ['sync-rate-double']).sentOf('Sync')
    assert.approximately(bad.length, 2 * ok.length, 2)
    assert.equal(bad[0]!.message.header.logMessageInterval, ok[0]!.message.header.logMessageInterval)
  })

  test('fault: delay-req-too-fast → four times the Delay_Req of the conformant slave', ({ assert }) => {
    const run = (faults: string[]) => {
      const lab = refLab('default-e2e', { faults, peers: { 'gm-a': gm('default-e2e', 'gm-a', GM_A, { grandmasterPriority1: 100 }) } })
      lab.link.advance(30n * SECOND)
      return lab.sentOf('Delay_Req').length
    }
    const ok = run([])
    const bad = run(['delay-req-too-fast'])
    assert.isAbove(bad, 3 * ok)
  })

  const leaveSlave = (faults: string[]) => {
    const a = gm('default-e2e', 'gm-a', GM_A, { grandmasterPriority1: 100 })
    const lab = refLab('default-e2e', { faults, peers: { 'gm-a': a } })
    lab.link.advance(6n * SECOND)
    const lastAnnounce = lab.link.sent.filter((s) => s.node === 'gm-a' && s.action.message.type === 'Announce').at(-1)!.txNs
    a.silence({ announce: true, sync: false, answers: false })
    lab.link.advance(10n * SECOND)
    const left = lab.dut.transitions.find((t) => t.atNs > lastAnnounce && t.state === 'MASTER')!
    return Number(left.atNs - lastAnnounce) / 1e9
  }

  test('fault: announce-timeout-early / failover-late → leaves SLAVE outside [N − 1, N + 1] intervals', ({ assert }) => {
    // announceReceiptTimeout 3, interval 1 s.
    assert.approximately(leaveSlave([]), 3.25, 0.01)
    assert.approximately(leaveSlave(['announce-timeout-early']), 1.25, 0.01)
    assert.approximately(leaveSlave(['failover-late']), 6.25, 0.01)
  })

  test('fault: bmca-clockclass-first → follows the lower clockClass over the lower priority1', ({ assert }) => {
    const run = (faults: string[]) => {
      const a = gm('default-e2e', 'gm-a', GM_A, { grandmasterPriority1: 100, grandmasterClockQuality: { clockClass: 248, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } })
      const b = gm('default-e2e', 'gm-b', GM_B, { grandmasterPriority1: 120, grandmasterClockQuality: { clockClass: 6, clockAccuracy: 0xfe, offsetScaledLogVariance: 0xffff } })
      const lab = refLab('default-e2e', { faults, peers: { 'gm-a': a, 'gm-b': b } })
      lab.link.advance(8n * SECOND)
      return lab.dut.parent?.port.clockIdentity
    }
    assert.equal(run([]), GM_A)
    assert.equal(run(['bmca-clockclass-first']), GM_B)
  })

  test('fault: qualify-on-first-announce → UNCALIBRATED after the first Announce', ({ assert }) => {
    const run = (faults: string[]) => {
      const a = gm('default-e2e', 'gm-a', GM_A, { grandmasterPriority1: 100 })
      const lab = refLab('default-e2e', { faults, peers: { 'gm-a': a } })
      lab.link.advance(8n * SECOND)
      const announces = lab.link.sent.filter((s) => s.node === 'gm-a' && s.action.message.type === 'Announce').map((s) => s.txNs)
      const followed = lab.dut.transitions.find((t) => t.state === 'UNCALIBRATED')!.atNs
      return announces.filter((t) => t <= followed).length
    }
    assert.equal(run([]), 3)
    assert.equal(run(['qualify-on-first-announce']), 1)
  })

  test('fault: slave-only-sends-sync → a slave-only DUT sends Sync', ({ assert }) => {
    const run = (faults: string[]) => {
      const lab = refLab('default-e2e', { role: 'slave', faults, peers: { 'gm-a': gm('default-e2e', 'gm-a', GM_A, {}) } })
      lab.link.advance(8n * SECOND)
      return lab.sentOf('Sync').length
    }
    assert.equal(run([]), 0)
    assert.isAbove(run(['slave-only-sends-sync']), 5)
  })

  test('fault: delay-resp-wrong-sequence / delay-req-unanswered → the observer completes no exchange', ({ assert }) => {
    for (const fault of ['delay-resp-wrong-sequence', 'delay-req-unanswered']) {
      const obs = observer('default-e2e')
      const lab = refLab('default-e2e', { faults: [fault], peers: { obs } })
      lab.link.advance(10n * SECOND)
      assert.equal(lab.dut.state, 'MASTER')
      assert.lengthOf(obs.delayExchanges, 0, fault)
    }
  })

  test('fault: pdelay-turnaround-negative → responseOriginTimestamp before requestReceiptTimestamp', ({ assert }) => {
    const turnaround = (faults: string[]) => {
      const lab = asMaster('default-p2p', faults)
      const resp = lab.sentOf('Pdelay_Resp')[0]!.message as MessageOf<'Pdelay_Resp'>
      const fu = lab.sentOf('Pdelay_Resp_Follow_Up').find((a) => a.message.header.sequenceId === resp.header.sequenceId)!.message as MessageOf<'Pdelay_Resp_Follow_Up'>
      return timestampToNs(fu.responseOriginTimestamp) - timestampToNs(resp.requestReceiptTimestamp)
    }
    assert.isTrue(turnaround([]) >= 0n)
    assert.isTrue(turnaround(['pdelay-turnaround-negative']) < 0n)
  })

  test('fault: followup-info-tlv-missing / path-trace-wrong → gPTP TLVs missing or foreign', ({ assert }) => {
    const fu = asMaster('gptp', ['followup-info-tlv-missing']).sentOf('Follow_Up')[0]!
    assert.notInclude(fu.message.tlvs.map(tlvName), 'IEEE_802_1AS_FOLLOW_UP_INFO')
    const lab = asMaster('gptp', ['path-trace-wrong'])
    const pt = lab.sentOf('Announce')[0]!.message.tlvs.find((t) => t.kind === 'PATH_TRACE') as { pathSequence: string[] }
    assert.notInclude(pt.pathSequence, lab.dut.portIdentity.clockIdentity)
  })

  test('fault: c37238-tlv-missing / atoi-tlv-missing → power Announce without that TLV', ({ assert }) => {
    const a = asMaster('power-2011', ['c37238-tlv-missing']).sentOf('Announce')[0]!.message.tlvs.map(tlvName)
    assert.notInclude(a, 'IEEE_C37_238_2011')
    assert.include(a, 'ALTERNATE_TIME_OFFSET_INDICATOR')
    const b = asMaster('power-2011', ['atoi-tlv-missing']).sentOf('Announce')[0]!.message.tlvs.map(tlvName)
    assert.include(b, 'IEEE_C37_238_2011')
    assert.notInclude(b, 'ALTERNATE_TIME_OFFSET_INDICATOR')
  })

  test('fault: offset-sign-inverted / offset-ignores-correction → reported offset differs from the injected one', ({ assert }) => {
    const run = (faults: string[]) => {
      const a = gm('default-e2e', 'gm-a', GM_A, { grandmasterPriority1: 100 }, { timeBase: timeBaseShowingSlaveOffset(250_000n), correctionShift: { ns: 40_000n } })
      const lab = refLab('default-e2e', { faults, peers: { 'gm-a': a } })
      lab.link.advance(8n * SECOND)
      return lab.dut.dutState(0).offsetFromMasterNs
    }
    assert.equal(run([]), 250_000n)
    assert.equal(run(['offset-sign-inverted']), -250_000n)
    assert.equal(run(['offset-ignores-correction']), 290_000n)
  })

  test('fault: time-error-50ms → a harness slave measures the DUT master 50 ms ahead', ({ assert }) => {
    const offset = (faults: string[]) => {
      const obs = observer('default-e2e')
      refLab('default-e2e', { faults, peers: { obs } }).link.advance(10n * SECOND)
      return obs.delayExchanges.at(-1)!.offsetFromMaster >> 16n
    }
    assert.equal(offset([]), 0n)
    assert.equal(offset(['time-error-50ms']), -50_000_000n)
  })

  test('fault: wrong-domain / wrong-major-sdo-id / silent → no Sync in the run’s domain and SDO', ({ assert }) => {
    const ok = asMaster('default-e2e', []).sentOf('Sync')[0]!.message.header
    assert.equal(asMaster('default-e2e', ['wrong-domain']).sentOf('Sync')[0]!.message.header.domainNumber, ok.domainNumber + 1)
    assert.equal(asMaster('default-e2e', ['wrong-major-sdo-id']).sentOf('Sync')[0]!.message.header.majorSdoId, ok.majorSdoId + 1)
    assert.lengthOf(asMaster('default-e2e', ['silent']).sent(), 0)
  })

  test('fault: management-disagrees → only changes management answers, not the wire', ({ assert }) => {
    const ok = asMaster('default-e2e', []).sentOf('Announce')[0]!.message
    const bad = asMaster('default-e2e', ['management-disagrees']).sentOf('Announce')[0]!.message
    assert.deepEqual({ ...bad, header: { ...bad.header, sequenceId: 0 }, originTimestamp: 0 }, { ...ok, header: { ...ok.header, sequenceId: 0 }, originTimestamp: 0 })
  })
})
