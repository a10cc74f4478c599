/**
 * BMCA-09 — a boundary clock re-advertises its grandmaster downstream: once its upstream port
 * follows the harness's grandmaster, every Announce from its downstream port carries that
 * grandmaster's identity, priorities, clock quality and time properties, stepsRemoved one more
 * than the grandmaster's, and the boundary clock's own sourcePortIdentity (IEEE 1588-2019 9.5.7,
 * Table 34: parentDS and timePropertiesDS are copied from the Announce that won, 8.2.2.2
 * stepsRemoved + 1). The known fault: a clock advertising its own dataset (zephyr#66646).
 */
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import type { AnnounceMessage, PortIdentity } from '../../harness/codec/types.ts'
import { portIdentityKey, samePortIdentity } from '../../harness/engines/message_factory.ts'
import type { AnnounceDataset } from '../../harness/engines/test_master.ts'
import { type Check, conformance, describeArrivals, frameRef, Recorder, TestMaster } from '../kit.ts'
import { downstreamPeer, driveBoth, relayOf, upstreamGrandmasterConfig, waitForReadvertised } from '../support/relay.ts'

export interface BoundaryAnnounceData {
  grandmaster: PortIdentity
  /** What the harness's grandmaster announced. */
  dataset: AnnounceDataset
  /** The DUT's downstream port, as the session knows it. */
  dutDownstreamPort: PortIdentity
  /** ms after the grandmaster started until the DUT first named it downstream (absent: never). */
  readvertisedAfterMs?: number
  waitedMs: number
  upstream: Recorder
  downstream: Recorder
}

/** Octet-1 time properties a boundary clock copies (synchronizationUncertain is its own to set). */
const TIME_PROPERTIES = 0x003f
const SOURCE = 'IEEE 1588-2019 9.5.7 and Table 34 (a boundary clock announces parentDS and timePropertiesDS copied from its parent), 8.2.2.2 (stepsRemoved + 1)'

export function judgeBoundaryAnnounce(d: BoundaryAnnounceData): Check[] {
  const gmId = normalizeClockIdentity(d.dataset.grandmasterIdentity ?? d.grandmaster.clockIdentity)
  const fromDut = d.downstream.frames.filter(
    (f) => f.direction === 'in' && f.message?.type === 'Announce' && normalizeClockIdentity(f.message.header.sourcePortIdentity.clockIdentity) === normalizeClockIdentity(d.dutDownstreamPort.clockIdentity),
  )
  const first = fromDut.findIndex((f) => normalizeClockIdentity((f.message as AnnounceMessage).grandmasterIdentity) === gmId)
  const followed = first < 0 ? [] : fromDut.slice(first)
  const before = first < 0 ? fromDut : fromDut.slice(0, first)
  const named = followed.length
  const forwarded = d.downstream.frames.filter((f) => f.direction === 'in' && f.message?.type === 'Announce' && samePortIdentity(f.message.header.sourcePortIdentity, d.grandmaster))
  if (!named) {
    const last = fromDut.at(-1)?.message as AnnounceMessage | undefined
    const what = last
      ? `its last Announce (${frameRef(fromDut.at(-1)!)}) named grandmaster ${last.grandmasterIdentity}, class ${last.grandmasterClockQuality.clockClass}, stepsRemoved ${last.stepsRemoved}`
      : 'the DUT sent no Announce downstream of its own'
    return [
      {
        name: 'the boundary clock re-advertised the grandmaster downstream',
        verdict: 'fail',
        measured: `${fromDut.length} Announces from the DUT downstream, none naming ${gmId}`,
        limit: `Announces naming ${gmId} within ${Math.round(d.waitedMs / 1000)} s`,
        source: SOURCE,
        detail: `${what}${forwarded.length ? `; the grandmaster's own Announce arrived downstream unchanged ${forwarded.length} times (first ${frameRef(forwarded[0]!)}): forwarded, as a switch or transparent clock would` : ''}`,
      },
    ]
  }
  const field = (name: string, expected: string | number, got: (m: AnnounceMessage) => string | number): Check => {
    const wrong = followed.filter((f) => got(f.message as AnnounceMessage) !== expected)
    return {
      name: `downstream Announce ${name}`,
      verdict: wrong.length ? 'fail' : 'pass',
      measured: wrong.length ? `${got(wrong[0]!.message as AnnounceMessage)} in ${wrong.length} of ${named}` : expected,
      limit: `= ${expected}`,
      source: SOURCE,
      ...(wrong.length ? { detail: `first at ${frameRef(wrong[0]!)}; the grandmaster announced ${expected}` } : {}),
    }
  }
  const q = d.dataset.grandmasterClockQuality
  const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`
  return [
    {
      name: 'the boundary clock re-advertised the grandmaster downstream',
      verdict: 'pass',
      measured: `${named} Announces naming ${gmId}`,
      limit: 'at least one',
      source: SOURCE,
      detail: `after ${d.readvertisedAfterMs ?? '?'} ms; ${before.length} Announces before that named another grandmaster (itself, before it heard ours)`,
    },
    field('grandmasterIdentity stays the grandmaster\'s', gmId, (m) => normalizeClockIdentity(m.grandmasterIdentity)),
    field('stepsRemoved is the grandmaster\'s + 1', d.dataset.stepsRemoved + 1, (m) => m.stepsRemoved),
    field('grandmasterPriority1', d.dataset.grandmasterPriority1, (m) => m.grandmasterPriority1),
    field('grandmasterPriority2', d.dataset.grandmasterPriority2, (m) => m.grandmasterPriority2),
    field('grandmasterClockQuality', `${q.clockClass}/${hex(q.clockAccuracy, 2)}/${hex(q.offsetScaledLogVariance, 4)}`, (m) => `${m.grandmasterClockQuality.clockClass}/${hex(m.grandmasterClockQuality.clockAccuracy, 2)}/${hex(m.grandmasterClockQuality.offsetScaledLogVariance, 4)}`),
    field('timeSource and currentUtcOffset', `${hex(d.dataset.timeSource, 2)}/${d.dataset.currentUtcOffset}`, (m) => `${hex(m.timeSource, 2)}/${m.currentUtcOffset}`),
    field('time-property flags (leap61 … frequencyTraceable)', hex(d.dataset.flagField & TIME_PROPERTIES, 2), (m) => hex(m.header.flagField & TIME_PROPERTIES, 2)),
    // Announces forwarded from the grandmaster never count as the DUT's: a clock that re-advertises and also forwards fails here.
    field('sourcePortIdentity is the boundary clock\'s own downstream port', portIdentityKey(d.dutDownstreamPort), (m) => portIdentityKey(m.header.sourcePortIdentity)),
    {
      name: 'the grandmaster\'s own Announce is not forwarded downstream',
      verdict: forwarded.length ? 'fail' : 'pass',
      measured: forwarded.length,
      limit: '0 (a boundary clock terminates PTP: its ports announce its own parentDS)',
      source: SOURCE,
      ...(forwarded.length ? { detail: `${describeArrivals(forwarded)}; first ${frameRef(forwarded[0]!)}` } : {}),
    },
  ]
}

export default conformance<BoundaryAnnounceData>({
  id: 'BMCA-09',
  title: 'Boundary clock re-advertises the grandmaster downstream',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.5.7, Table 34, 8.2.2.2',
  mapsTo: ['zephyr#66646', 'UNH-IOL 1588 BC announce content'],
  tags: ['active', 'bmca', 'boundary-clock', 'relay'],
  severity: 'critical',
  fixture: 'dut-relay',
  relayClocks: ['boundary'],
  liveFaults: ['`--dut-impl bridge --dut-clock boundary` (a plain Linux bridge: the grandmaster\'s Announce forwarded as is)'],
  estimatedSeconds: 25,
  criteria: {
    pass: 'once the upstream port follows the harness grandmaster, every downstream Announce names it with its priorities, quality and time properties, stepsRemoved + 1, from the boundary clock\'s own port',
    fail: 'the grandmaster is never re-advertised, a field is the boundary clock\'s own or changed, stepsRemoved is not incremented, or the grandmaster\'s Announce is forwarded as is',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const relay = relayOf(ctx)
    ctx.step('starting the DUT as a boundary clock')
    await ctx.session.ensureDut('auto', ctx.signal)
    const cfg = upstreamGrandmasterConfig(ctx)
    const gm = new TestMaster(cfg)
    const dutDownstreamPort = relay.dutPortIdentities()[1]
    const ports = driveBoth(ctx, [gm], [downstreamPeer(ctx, relay)])
    let wait: Awaited<ReturnType<typeof waitForReadvertised>>
    try {
      ctx.step(`grandmaster ${cfg.clockIdentity} upstream; waiting for the DUT to name it downstream`)
      wait = await waitForReadvertised(ctx, ports.down.recorder, dutDownstreamPort, cfg.clockIdentity)
      if (wait.atMs !== undefined) {
        const ms = 8 * 2 ** ctx.session.dutSettings.intervals.announce.value * 1000
        ctx.step(`recording ${Math.round(ms / 1000)} s of downstream Announces`)
        await ctx.sleep(ms)
      }
    } finally {
      await ports.close()
    }
    return {
      grandmaster: { clockIdentity: cfg.clockIdentity, portNumber: cfg.portNumber ?? 1 },
      dataset: { ...gm.announceDataset },
      dutDownstreamPort,
      ...(wait.atMs !== undefined ? { readvertisedAfterMs: wait.atMs } : {}),
      waitedMs: wait.waitedMs,
      upstream: ports.up.recorder,
      downstream: ports.down.recorder,
    }
  },
  judge(ev) {
    return { checks: judgeBoundaryAnnounce(ev.data) }
  },
})
