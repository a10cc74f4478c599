import { test } from '@japa/runner'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PtpdDut } from '../../../harness/dut/ptpd/adapter.ts'
import { generatePtpdConfig, type PtpdConfigInput } from '../../../harness/dut/ptpd/config.ts'
import { ptpdSupports } from '../../../harness/dut/ptpd/supports.ts'
import { resolveDutSettings } from '../../../harness/dut/settings.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import { lastStatistics, parsePtpdPortId, parsePtpdStatisticsLine, parsePtpdStatus, ptpdStatusToState, secondsToNs, withStatistics } from '../../../harness/dut/ptpd/status.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'

// A ptpd 2.3.1 status file from a lab slave.
const SLAVE = `Host info          :  vm, PID 15429
Local time         :  Sat Nov 21 15:40:09 UTC 2026
Interface          :  pcl-00bu10-d1-1
Preset             :  slaveonly
Transport          :  ipv4, multicast
Delay mechanism    :  E2E
Sync mode          :  TWO_STEP
PTP domain         :  0
Port state         :  PTP_SLAVE
Local port ID      :  025043fffe001101(unknown)/1
Best master ID     :  025043fffe000101(unknown)/1
Best master IP     :  192.0.2.1
GM priority        :  Priority1 128, Priority2 128, clockClass 248
Offset from Master : -0.000000282 s, mean  0.000000136 s, dev  0.000000710 s
Mean Path Delay    :  0.000002885 s, mean  0.000002414 s, dev  0.000000210 s
Clock status       :  in control, read-only
`

const MASTER = `PTP domain         :  0
Port state         :  PTP_MASTER
Local port ID      :  025043fffe001101(unknown)/1
Best master ID     :  025043fffe001101(unknown)/1 (self)
Priority1          :  128
Priority2          :  127
ClockClass         :  13
`

test.group('dut / ptpd status file', () => {
  test('a slave: state, identities, offset and delay (exact ns from the decimal text)', ({ assert }) => {
    const st = parsePtpdStatus(SLAVE)
    assert.equal(st.portState, 'SLAVE')
    assert.deepEqual(st.localPort, { clockIdentity: '025043.fffe.001101', portNumber: 1 })
    assert.deepEqual(st.bestMaster, { clockIdentity: '025043.fffe.000101', portNumber: 1 })
    assert.isFalse(st.bestMasterIsSelf)
    assert.equal(st.offsetFromMasterNs, -282n)
    assert.equal(st.meanPathDelayNs, 2885n)
    assert.equal(st.gmClockClass, 248)
    const s = ptpdStatusToState(st, 1, 'eth1')
    assert.equal(s.source, 'status-file')
    assert.equal(s.ports[0]!.portState, 'SLAVE')
    assert.equal(s.ports[0]!.ifname, 'eth1')
    assert.deepEqual(s.parentPortIdentity, { clockIdentity: '025043.fffe.000101', portNumber: 1 })
    // The status file names the parent, not the grandmaster: not guessed.
    assert.isUndefined(s.grandmasterIdentity)
  })

  test('a master is its own best master: grandmaster = itself, stepsRemoved 0', ({ assert }) => {
    const s = ptpdStatusToState(parsePtpdStatus(MASTER), 1)
    assert.equal(s.ports[0]!.portState, 'MASTER')
    assert.equal(s.grandmasterIdentity, '025043.fffe.001101')
    assert.equal(s.stepsRemoved, 0)
    assert.equal(s.priority2, 127)
  })

  test('a P2P slave: the peer mean path delay line and the delay mechanism', ({ assert }) => {
    const text = SLAVE.replace('Delay mechanism    :  E2E', 'Delay mechanism    :  P2P').replace(/Mean Path Delay .*\n/, 'Mean Path (p)Delay :  0.000001500 s\n')
    const s = ptpdStatusToState(parsePtpdStatus(text), 1)
    assert.equal(s.ports[0]!.delayMechanism, 'P2P')
    assert.equal(s.ports[0]!.peerMeanPathDelayNs, 1500n)
    assert.isUndefined(s.meanPathDelayNs)
  })

  test('the statistics log names the grandmaster: the parent itself, or the identity written after it', ({ assert }) => {
    const direct = parsePtpdStatisticsLine('1764770000.000000005, slv,025043fffe000101(unknown)/1, 0.000002885, -0.000000282, 0, 0, 0, S')!
    // ptpd prints seconds "." nanoseconds as an integer ("%d.%06d").
    assert.equal(direct.atNs, 1764770000_000000005n)
    assert.equal(parsePtpdStatisticsLine('1764770000.000005, slv,025043fffe000101(unknown)/1, 0')!.atNs, 1764770000_000000005n)
    assert.deepEqual(direct.parent, { clockIdentity: '025043.fffe.000101', portNumber: 1 })
    assert.equal(direct.grandmasterIdentity, '025043.fffe.000101')
    const behindBc = parsePtpdStatisticsLine('1764770000.1, slv,025043fffe000101(unknown)/1025043fffe000143, 0.0, 0.0')!
    assert.equal(behindBc.grandmasterIdentity, '025043.fffe.000143')
    assert.isUndefined(parsePtpdStatisticsLine('# Timestamp, State, Clock ID, One Way Delay'))
    // The last complete line counts; a half-written one does not.
    const tail = '1.1, slv,025043fffe000101(unknown)/1, 0\n1.2, slv,025043fffe000102(unknown)/1, 0\n1.3, slv,0250'
    assert.equal(lastStatistics(tail)!.grandmasterIdentity, '025043.fffe.000102')
    assert.equal(lastStatistics('1.1, slv,025043fffe000101(unknown)/1, 0\n1.2, lstn_reset, \n')!.state, 'lstn_reset')
  })

  test('statistics older than the status file: the grandmaster only, and only for the same parent', ({ assert }) => {
    const state = ptpdStatusToState(parsePtpdStatus(SLAVE), 1)
    const later = 10n ** 18n
    const same = lastStatistics('1.1, slv,025043fffe000101(unknown)/1025043fffe000143, 0\n')
    assert.equal(withStatistics(state, same, later).grandmasterIdentity, '025043.fffe.000143')
    const other = lastStatistics('1.1, slv,025043fffe000199(unknown)/1, 0\n')
    assert.isUndefined(withStatistics(state, other, later).grandmasterIdentity)
    assert.deepEqual(withStatistics(state, other, later).parentPortIdentity, state.parentPortIdentity)
    const listening = lastStatistics('1.1, lstn_reset, \n')
    assert.deepEqual(withStatistics(state, listening, 0n), state)
    const master = ptpdStatusToState(parsePtpdStatus(MASTER), 1)
    assert.equal(withStatistics(master, same, later).grandmasterIdentity, '025043.fffe.001101')
  })

  test('statistics newer than the status file: SLAVE of the new master at once, stale attributes dropped', ({ assert }) => {
    const state = ptpdStatusToState(parsePtpdStatus(SLAVE), 1)
    const newer = lastStatistics('1764770001.5, slv,025043fffe000199(unknown)/1, 0\n')!
    const s = withStatistics(state, newer, 1764770001_000000000n)
    assert.equal(s.ports[0]!.portState, 'SLAVE')
    assert.deepEqual(s.parentPortIdentity, { clockIdentity: '025043.fffe.000199', portNumber: 1 })
    assert.equal(s.grandmasterIdentity, '025043.fffe.000199')
    assert.isUndefined(s.grandmasterPriority1)
    const listening = ptpdStatusToState(parsePtpdStatus(SLAVE.replace('PTP_SLAVE', 'PTP_LISTENING')), 1)
    assert.equal(withStatistics(listening, newer, 1764770001_000000000n).ports[0]!.portState, 'SLAVE')
    assert.equal(withStatistics(listening, newer, 1764770002_000000000n).ports[0]!.portState, 'LISTENING')
  })

  test('an empty or half-written file gives no state, not a crash', ({ assert }) => {
    assert.isUndefined(parsePtpdStatus('').portState)
    assert.isUndefined(parsePtpdStatus('Port state   :  PTP_SL').portState)
    assert.lengthOf(ptpdStatusToState(parsePtpdStatus(''), 1).ports, 0)
  })

  test('helpers', ({ assert }) => {
    assert.equal(secondsToNs('1.5 s'), 1_500_000_000n)
    assert.equal(secondsToNs('-0.000000001 s'), -1n)
    assert.isUndefined(secondsToNs('n/a'))
    assert.isUndefined(parsePtpdPortId('garbage'))
  })
})

const e2e = () => loadProfile('default-e2e')
/** What the session hands the adapter: `{ domainNumber, ...dutOptions }`. */
const gen = (o: Partial<PtpdConfigInput> = {}) =>
  generatePtpdConfig({ profile: e2e(), role: 'slave', transport: 'udp4', delayMechanism: 'E2E', ifname: 'eth1', ...o, options: { domainNumber: 0, ...(o.options ?? {}) } })
const value = (c: ReturnType<typeof gen>, key: string) => c.entries.find((e) => e.key === key)?.value

test.group('dut / ptpd configuration from the DUT settings', () => {
  test('the session\'s options under 1588 names become ptpd keys (domainNumber no longer refused)', ({ assert }) => {
    const c = gen({ role: 'auto', options: { domainNumber: 7, logSyncInterval: -3, logAnnounceInterval: -2, logMinDelayReqInterval: -1, logMinPdelayReqInterval: 2, announceReceiptTimeout: 4, priority1: 100, priority2: 99, clockClass: 200 } })
    const want: Record<string, string> = {
      'ptpengine:domain': '7',
      'ptpengine:log_sync_interval': '-3',
      'ptpengine:log_announce_interval': '-2',
      'ptpengine:log_delayreq_interval': '-1',
      'ptpengine:log_delayreq_interval_initial': '-1',
      'ptpengine:log_peer_delayreq_interval': '2',
      'ptpengine:announce_receipt_timeout': '4',
      'ptpengine:priority1': '100',
      'ptpengine:priority2': '99',
      'ptpengine:clock_class': '200',
      'ptpengine:transport': 'ipv4',
      'ptpengine:delay_mechanism': 'E2E',
    }
    for (const [k, v] of Object.entries(want)) assert.include(c.text, `${k} = ${v}\n`, k)
    assert.notMatch(c.text, /^domainNumber/m)
  })

  test('what ptpd runs is what the judges get as ev.dut: the same resolveDutSettings (lab mode)', ({ assert }) => {
    const p = e2e()
    const dutOptions = { logSyncInterval: -2 }
    const c = gen({ options: dutOptions })
    const session = resolveDutSettings({ profile: p, mode: 'lab', transport: 'udp4', delayMechanism: 'E2E', domainNumber: 0, options: dutOptions, implementation: new PtpdDut().implementationSettings(dutOptions) })
    assert.deepEqual(c.settings, session)
    assert.equal(value(c, 'ptpengine:log_sync_interval'), String(session.intervals.sync.value))
    assert.equal(value(c, 'ptpengine:log_announce_interval'), String(p.lab.ptp4l.logAnnounceInterval))
    assert.equal(value(c, 'ptpengine:announce_receipt_timeout'), String(p.lab.ptp4l.announceReceiptTimeout))
  })

  test('transport and delay mechanism: Ethernet and P2P', ({ assert }) => {
    const c = gen({ profile: loadProfile('default-p2p'), transport: 'l2', delayMechanism: 'P2P' })
    assert.equal(value(c, 'ptpengine:transport'), 'ethernet')
    assert.equal(value(c, 'ptpengine:delay_mechanism'), 'P2P')
    assert.equal(value(c, 'ptpengine:log_peer_delayreq_interval'), '0')
  })

  test('role → preset: slave is slaveonly (no clock_class, ptpd forces 255); master keeps the configured clockClass', ({ assert }) => {
    const slave = gen({ role: 'slave' })
    assert.equal(value(slave, 'ptpengine:preset'), 'slaveonly')
    assert.isUndefined(value(slave, 'ptpengine:clock_class'))
    const master = gen({ role: 'master' })
    assert.equal(value(master, 'ptpengine:preset'), 'masterslave')
    assert.equal(value(master, 'ptpengine:clock_class'), '248')
    const classSix = gen({ role: 'master', options: { clockClass: 6 } })
    assert.equal(value(classSix, 'ptpengine:preset'), 'masteronly')
    assert.equal(value(classSix, 'ptpengine:clock_class'), '6')
    assert.throws(() => gen({ role: 'master', options: { clockClass: 255 } }), /slave-only.*cannot run as master/)
  })

  test('values ptpd 2.3.1 refuses are refused before start with its range, never clamped', ({ assert }) => {
    const cases: [Record<string, number>, RegExp][] = [
      [{ logSyncInterval: -8 }, /logSyncInterval -8 is outside ptpd 2.3.1's range -7..7/],
      [{ logAnnounceInterval: -5 }, /logAnnounceInterval -5 is outside .* -4..7/],
      [{ domainNumber: 128 }, /domainNumber 128 is outside .* 0..127/],
      [{ priority1: 255 }, /priority1 255 is outside .* 0..248/],
      [{ announceReceiptTimeout: 1 }, /announceReceiptTimeout 1 is outside .* 2..255/],
      [{ logMinDelayReqInterval: 7 }, /logMinDelayReqInterval 7: ptpd 2.3.1 requires it below ptpengine:log_delayreq_interval_max/],
    ]
    for (const [options, why] of cases) assert.throws(() => gen({ options }), why)
  })

  test('an interval of 5 or 6 raises ptpd\'s _max so ptpd accepts it', ({ assert }) => {
    const c = gen({ options: { logMinDelayReqInterval: 5 } })
    assert.equal(value(c, 'ptpengine:log_delayreq_interval'), '5')
    assert.equal(value(c, 'ptpengine:log_delayreq_interval_max'), '7')
    assert.isUndefined(value(gen(), 'ptpengine:log_delayreq_interval_max'))
  })

  test('the lab\'s delay filter: stiffness 1 (the error halves with each exchange), which a --dut-option overrides', ({ assert }) => {
    const c = gen()
    const e = c.entries.find((x) => x.key === 'servo:delayfilter_stiffness')
    assert.equal(e?.value, '1')
    assert.equal(e?.layer, 'lab')
    assert.equal(value(gen({ options: { 'servo:delayfilter_stiffness': 6 } }), 'servo:delayfilter_stiffness'), '6')
  })

  test('options: ptpd section:key passes through; safety, run-setting and unknown keys are refused', ({ assert }) => {
    assert.equal(value(gen({ options: { 'ptpengine:ip_mode': 'hybrid' } }), 'ptpengine:ip_mode'), 'hybrid')
    for (const key of ['clock:no_adjust', 'clock:no_reset', 'global:lock_file', 'global:status_file']) {
      assert.throws(() => gen({ options: { [key]: 'n' } }), /cannot be overridden/, key)
    }
    assert.throws(() => gen({ options: { 'ptpengine:domain': 3 } }), /run setting: give domainNumber/)
    assert.throws(() => gen({ options: { 'ptpengine:preset': 'masteronly' } }), /run setting/)
    assert.throws(() => gen({ options: { masterOnly: 1 } }), /ptpd has no setting 'masterOnly'/)
  })

  test('DSCP: ptpd has one for all messages (ptpengine:ip_dscp, 0 by default); dscp_event sets it, a different dscp_general is refused', ({ assert }) => {
    assert.equal(value(gen(), 'ptpengine:ip_dscp'), '0')
    const c = gen({ options: { dscp_event: 46 } })
    assert.equal(value(c, 'ptpengine:ip_dscp'), '46')
    assert.deepEqual(c.settings.dscp, { event: { value: 46, origin: 'dut option' }, general: { value: 46, origin: 'dut option' } })
    assert.throws(() => gen({ options: { dscp_event: 46, dscp_general: 0 } }), /one DSCP for all its messages/)
    assert.throws(() => gen({ options: { 'ptpengine:ip_dscp': 46 } }), /run setting: give dscp_event/)
    assert.isUndefined(gen({ transport: 'l2' }).settings.dscp)
  })

  test('what ptpd 2.3.1 cannot do is refused with the reason: IPv6, BC, TC', ({ assert }) => {
    assert.throws(() => gen({ transport: 'udp6' }), /no udp6 transport/)
    assert.throws(() => gen({ role: 'boundary' }), /ordinary clock only/)
    assert.throws(() => gen({ role: 'e2e-tc' }), /ordinary clock only/)
  })
})

test.group('dut / ptpdSupports (checked before a run starts)', () => {
  test('the default profiles over UDPv4 and Ethernet are supported', ({ assert }) => {
    for (const id of ['default-e2e', 'default-p2p']) for (const t of ['udp4', 'l2'] as const) assert.isTrue(ptpdSupports(loadProfile(id), t, { domainNumber: 0, options: {} }), `${id} ${t}`)
  })

  test('each profile ptpd cannot run gets its reason', ({ assert }) => {
    const no = (id: string, t: 'udp4' | 'l2' | 'udp6', why: RegExp) => {
      const r = ptpdSupports(loadProfile(id), t)
      assert.isString(r, `${id} ${t}`)
      assert.match(r as string, why, `${id} ${t}`)
    }
    no('default-e2e', 'udp6', /no udp6 transport/)
    no('gptp', 'l2', /802\.1as BMCA.*PATH_TRACE in Announce.*IEEE_802_1AS_FOLLOW_UP_INFO/)
    no('g8275-1', 'l2', /g8275x BMCA.*01-80-C2-00-00-0E/)
    no('g8275-2', 'udp4', /g8275x BMCA.*unicast negotiation/)
    no('power-2011', 'l2', /IEEE_C37_238_2011 in Announce.*802\.1Q/)
    no('power-2017', 'l2', /IEEE_C37_238_2017 in Announce/)
  })

  test('the rules read the profile, not its name', ({ assert }) => {
    const p = e2e()
    const withTlv: Profile = { ...p, tlvs: { ...p.tlvs, Announce: { required: [{ tlv: 'PATH_TRACE', source: 'test' }], allowed: [], forbidden: [] } } }
    assert.match(ptpdSupports(withTlv, 'udp4') as string, /requires PATH_TRACE in Announce \(test\)/)
    const otherMac: Profile = { ...p, transport: { ...p.transport, l2: { ...p.transport.l2!, primaryMac: { value: '01-80-C2-00-00-0E', source: 'test' } } } }
    assert.isTrue(ptpdSupports(otherMac, 'udp4'))
    assert.match(ptpdSupports(otherMac, 'l2') as string, /sends to 01-80-C2-00-00-0E \(test\)/)
    const oneStep: Profile = { ...p, steps: { ...p.steps, twoStep: 'forbidden' } }
    assert.match(ptpdSupports(oneStep, 'udp4') as string, /two-step only/)
  })

  test('the run\'s own settings and options are checked too', ({ assert }) => {
    const p = e2e()
    assert.match(ptpdSupports(p, 'udp4', { domainNumber: 0, options: { logSyncInterval: -8 } }) as string, /logSyncInterval -8 is outside ptpd 2.3.1's range -7..7/)
    assert.match(ptpdSupports(p, 'udp4', { domainNumber: 0, options: { masterOnly: 1 } }) as string, /no setting 'masterOnly'/)
    assert.match(ptpdSupports(p, 'udp4', { domainNumber: 0, options: { 'clock:no_adjust': 'n' } }) as string, /cannot be overridden/)
  })
})

test.group('dut / ptpd readState on files being rewritten', () => {
  test('a status file caught between ftruncate and write is not a state: read again, then refuse', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpd-unit-'))
    try {
      const dut = new PtpdDut({ runDir: dir, label: 'u' })
      writeFileSync(dut.statusPath, '')
      setTimeout(() => writeFileSync(dut.statusPath, SLAVE), 10)
      const s = await dut.readState()
      assert.equal(s.ports[0]!.portState, 'SLAVE')
      writeFileSync(dut.statusPath, 'Port state         :  PTP_SLAVE\n')
      await assert.rejects(() => dut.readState(), /stayed incomplete/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a slave line newer than the status file names the new master at once', async ({ assert }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ptpd-unit-'))
    try {
      const dut = new PtpdDut({ runDir: dir, label: 'u' })
      writeFileSync(dut.statusPath, SLAVE)
      const now = BigInt(Date.now() + 5000) * 1_000_000n
      writeFileSync(dut.statisticsPath, `# header\n${now / 1_000_000_000n}.${now % 1_000_000_000n}, slv,025043fffe000143(unknown)/1, 0\n`)
      const s = await dut.readState()
      assert.equal(s.grandmasterIdentity, '025043.fffe.000143')
      assert.deepEqual(s.parentPortIdentity, { clockIdentity: '025043.fffe.000143', portNumber: 1 })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
