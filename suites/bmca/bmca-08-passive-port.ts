/**
 * BMCA-08 — two paths to one grandmaster: a boundary clock hears the harness's grandmaster
 * directly on its upstream port (stepsRemoved 0) and the same grandmaster through another clock
 * on its downstream port (stepsRemoved 1). Its state decision must make the downstream port
 * PASSIVE (IEEE 1588-2019 9.3.3, Figure 33: Ebest better by topology than that port's Erbest →
 * P1/P2), the upstream port its slave, and a PASSIVE port sends no Announce or Sync (9.2.5).
 * linuxptp-testsuite 22-passiveport.
 */
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import type { PortIdentity } from '../../harness/codec/types.ts'
import { samePortIdentity } from '../../harness/engines/message_factory.ts'
import { type Check, conformance, describeArrivals, frameRef, type Recorder, TestMaster } from '../kit.ts'
import { lockTimeoutMs, type StateRead, waitForState, watchState } from '../support/grandmasters.ts'
import { driveBoth, relayOf, upstreamGrandmasterConfig } from '../support/relay.ts'

export interface PassivePortData {
  grandmaster: PortIdentity
  /** The other clock on the downstream link, announcing the same grandmaster one step further. */
  otherPath: PortIdentity
  dutPorts: [PortIdentity, PortIdentity]
  /** The announce interval in force (ns): a port changing state may still send for one. */
  announceIntervalNs: bigint
  /** Every state read while waiting and watching, in order. */
  reads: StateRead[]
  upstream: Recorder
  downstream: Recorder
}

const SOURCE = 'IEEE 1588-2019 9.3.3 and Figure 33 (Ebest better by topology than the port\'s Erbest: PASSIVE), Figure 35 (stepsRemoved differing by one: receiver vs sender identity)'

const portState = (r: StateRead, n: number) => r.state?.ports.find((p) => p.portNumber === n)?.portState

/** Announce, Sync and Follow_Up the DUT's port sent into the harness from `fromNs` on. */
function sentBy(downstream: Recorder, port: PortIdentity, fromNs: bigint) {
  return downstream.frames.filter((f) => f.direction === 'in' && f.timestampNs !== null && f.timestampNs >= fromNs && f.message && ['Announce', 'Sync', 'Follow_Up'].includes(f.message.type) && samePortIdentity(f.message.header.sourcePortIdentity, port))
}

export function judgePassivePort(d: PassivePortData): Check[] {
  const answered = d.reads.filter((r) => r.state?.ports.length)
  const [up, down] = d.dutPorts
  const states = (n: number) => [...new Set(answered.map((r) => portState(r, n)).filter(Boolean))].join(' → ')
  // States that cannot be read, or answers that hold none for the other port (a device answering on the wire only for the port
  // asked through), cannot show it PASSIVE; the wire still can show it is not: a port announcing through the second half of the watch.
  if (!answered.some((r) => portState(r, down.portNumber))) {
    const span = d.reads.length ? { from: d.reads[0]!.atNs, to: d.reads.at(-1)!.atNs } : undefined
    const late = span ? sentBy(d.downstream, down, span.from + (span.to - span.from) / 2n) : []
    const errors = [...new Set(d.reads.map((r) => r.error).filter(Boolean))].slice(0, 3).join('; ')
    if (!answered.length && !late.length) {
      return [{ name: 'one port PASSIVE on two paths to one grandmaster', verdict: 'inconclusive', measured: null, limit: `port ${down.portNumber} PASSIVE`, source: SOURCE, detail: `the DUT's port states could not be read (${d.reads.length} reads${errors ? `: ${errors}` : ''})` }]
    }
    return [
      {
        name: 'one port PASSIVE on two paths to one grandmaster',
        verdict: late.length ? 'fail' : 'inconclusive',
        measured: `port ${up.portNumber}: ${states(up.portNumber) || '?'}; port ${down.portNumber}: never in the answers (${answered.length} reads); ${late.length} Announce/Sync from it in the second half of the watch`,
        limit: `port ${down.portNumber} PASSIVE`,
        source: SOURCE,
        detail: late.length
          ? `port ${down.portNumber}'s state was never in the answers, but it still sent ${describeArrivals(late)} (first ${frameRef(late[0]!)}): a PASSIVE port sends neither`
          : `none of the ${answered.length} answers held port ${down.portNumber}'s state (a device may answer for a port only on that port's own link), and it sent no Announce or Sync in the second half of the watch: silent, as PASSIVE would be, but unconfirmed`,
      },
    ]
  }
  const first = answered.findIndex((r) => portState(r, down.portNumber) === 'PASSIVE')
  const seen = `port ${up.portNumber}: ${states(up.portNumber) || '?'}; port ${down.portNumber}: ${states(down.portNumber) || '?'} (${answered.length} reads)`
  if (first < 0) {
    return [{ name: 'one port PASSIVE on two paths to one grandmaster', verdict: 'fail', measured: seen, limit: `port ${down.portNumber} PASSIVE`, source: SOURCE, detail: `the grandmaster ${d.grandmaster.clockIdentity} is heard on port ${up.portNumber} directly and on port ${down.portNumber} through ${d.otherPath.clockIdentity} one step further; port ${down.portNumber} never went PASSIVE` }]
  }
  const after = answered.slice(first)
  // A read that holds no state for a port says nothing about it (partial answers happen).
  const leftPassive = after.filter((r) => portState(r, down.portNumber) !== undefined && portState(r, down.portNumber) !== 'PASSIVE')
  const upWrong = after.filter((r) => portState(r, up.portNumber) !== undefined && !['SLAVE', 'UNCALIBRATED'].includes(portState(r, up.portNumber)!))
  const gmWrong = after.filter((r) => r.state?.grandmasterIdentity && normalizeClockIdentity(r.state.grandmasterIdentity) !== normalizeClockIdentity(d.grandmaster.clockIdentity))
  const checks: Check[] = [
    {
      name: 'one port PASSIVE on two paths to one grandmaster',
      verdict: leftPassive.length ? 'fail' : 'pass',
      measured: seen,
      limit: `port ${down.portNumber} PASSIVE from then on`,
      source: SOURCE,
      ...(leftPassive.length ? { detail: `port ${down.portNumber} left PASSIVE (${portState(leftPassive[0]!, down.portNumber)}) in ${leftPassive.length} of ${after.length} later reads` } : {}),
    },
    {
      name: 'the other port follows the grandmaster',
      verdict: upWrong.length || gmWrong.length ? 'fail' : 'pass',
      measured: `port ${up.portNumber}: ${states(up.portNumber)}`,
      limit: `SLAVE (or UNCALIBRATED) of ${d.grandmaster.clockIdentity}`,
      source: 'IEEE 1588-2019 9.3.3 (the port of Ebest: S1)',
      ...(upWrong.length || gmWrong.length ? { detail: `${upWrong.length} reads with port ${up.portNumber} in another state, ${gmWrong.length} naming another grandmaster` } : {}),
    },
  ]
  // A port still sends what it queued for up to an announce interval after it changed state.
  const quietFrom = after[0]!.atNs + d.announceIntervalNs
  const sent = sentBy(d.downstream, down, quietFrom)
  checks.push({
    name: 'a PASSIVE port sends no Announce or Sync',
    verdict: sent.length ? 'fail' : 'pass',
    measured: sent.length,
    limit: '0 after one announce interval in PASSIVE',
    source: 'IEEE 1588-2019 9.2.5 (PASSIVE: no messages but peer delay, signaling and management)',
    ...(sent.length ? { detail: `${describeArrivals(sent)}; first ${frameRef(sent[0]!)}` } : {}),
  })
  return checks
}

export default conformance<PassivePortData>({
  id: 'BMCA-08',
  title: 'Passive port: two paths to one grandmaster',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.3.3, Figure 33, Figure 35, 9.2.5',
  mapsTo: ['linuxptp-testsuite 22-passiveport'],
  tags: ['active', 'bmca', 'boundary-clock', 'relay'],
  severity: 'normal',
  fixture: 'dut-relay',
  relayClocks: ['boundary'],
  estimatedSeconds: 25,
  criteria: {
    pass: 'the downstream port, which hears the grandmaster one step further through another clock, goes PASSIVE and stays so, sending no Announce or Sync; the upstream port follows the grandmaster',
    fail: 'no port goes PASSIVE (both MASTER or a second SLAVE), it leaves PASSIVE, or a PASSIVE port keeps sending Announce or Sync',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const relay = relayOf(ctx)
    const s = ctx.session
    ctx.step('starting the DUT as a boundary clock')
    await s.ensureDut('auto', ctx.signal)
    const cfg = upstreamGrandmasterConfig(ctx)
    const gm = new TestMaster(cfg)
    const otherId = relay.downstreamClockIdentity(1)
    const other = new TestMaster(
      upstreamGrandmasterConfig(ctx, {
        name: 'other-path',
        clockIdentity: otherId,
        dataset: { ...gm.announceDataset, grandmasterIdentity: cfg.clockIdentity, stepsRemoved: 1 },
        sendSync: false,
        delayMechanism: s.delayMechanism === 'P2P' ? 'P2P' : 'none',
      }),
    )
    const ports = driveBoth(ctx, [gm], [other])
    const dutPorts = relay.dutPortIdentities()
    const announceMs = 2 ** s.dutSettings.intervals.announce.value * 1000
    let reads: StateRead[]
    try {
      ctx.step(`grandmaster ${cfg.clockIdentity} upstream; the same grandmaster via ${otherId} downstream; waiting for a PASSIVE port`)
      const limit = lockTimeoutMs(s.dutSettings.intervals.announce.value, s.dutSettings.announceReceiptTimeout.value, s.dutSettings) + 10_000
      const w = await waitForState(ctx, (st) => st.ports.some((p) => p.portState === 'PASSIVE'), limit, 200)
      ctx.step(`watching the port states for ${Math.round((8 * announceMs) / 1000)} s`)
      reads = [...w.history, ...(await watchState(ctx, 8 * announceMs, 200))]
    } finally {
      await ports.close()
    }
    return {
      grandmaster: { clockIdentity: cfg.clockIdentity, portNumber: cfg.portNumber ?? 1 },
      otherPath: { clockIdentity: otherId, portNumber: 1 },
      dutPorts,
      announceIntervalNs: BigInt(Math.round(announceMs * 1e6)),
      reads,
      upstream: ports.up.recorder,
      downstream: ports.down.recorder,
    }
  },
  judge(ev) {
    return { checks: judgePassivePort(ev.data) }
  },
})
