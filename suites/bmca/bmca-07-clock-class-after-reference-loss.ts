/**
 * BMCA-07 — the clockClass a clock advertises once it has lost its reference. The DUT (an
 * ordinary clock that may become master) follows a harness grandmaster of class 6 (locked
 * to a primary reference); the grandmaster's Announce and Sync stop, and the DUT, after its
 * announce receipt timeout, becomes grandmaster itself (1588-2019 9.3.3, state M1/M2: its
 * data sets are then its own). Every Announce it sends from then on must
 *  - name itself as grandmaster with stepsRemoved 0 (9.3.5 Table 30), not the lost one;
 *  - carry its configured clockClass, or a class on the profile's degradation path from
 *    that class (profile clockClass.holdover: 1588 6 → 7 → 52 / 187; G.8275.1 T-BC
 *    135 → 165 → 248) — never the lost grandmaster's class, which claims a reference the
 *    DUT no longer has;
 *  - never move back to a better class on that path while no reference is heard.
 * A holdover specification runs for minutes to hours; the harness watches `observeIntervals`
 * announce intervals (a profile's suites.overrides can lengthen it) and says so.
 */
import { isSlave } from '../support/grandmasters.ts'
import { acquireReceiptTimeout, neverFollowed, type ReceiptTimeoutData } from '../support/receipt_timeout.ts'
import { type Check, conformance, describeFrame, describeSetting, type Evidence, logIntervalToMs, type Profile, type RecordedFrame, testParams } from '../kit.ts'
import type { AnnounceMessage } from '../../harness/codec/types.ts'

/** Class 6: a grandmaster synchronized to a primary reference time source (1588-2019 Table 4). */
export const LOCKED_CLOCK_CLASS = 6
const SLAVE_ONLY_CLOCK_CLASS = 255
const DEFAULTS = { observeIntervals: 8 }
const TABLE_30 = 'IEEE 1588-2019 9.3.3 (M1/M2), 9.3.5 Table 30: a grandmaster announces its own data set, stepsRemoved 0'

/**
 * The degradation paths from the configured class. A clock configured with a class that has
 * none (a free-running 248 under 1588) has no reference to lose: it announces its own class.
 * A clock configured 6 never announces 6 again once its reference is gone.
 */
export function holdoverPaths(profile: Profile, configured: number): number[][] {
  const paths = (profile.clockClass.holdover?.value ?? []).filter((p) => p.from === configured).map((p) => p.path)
  return paths.length ? paths : [[configured]]
}

/** The first place where the classes, in the order sent, move back to a better step on every path; undefined when one path fits. */
function improvement(classes: number[], paths: number[][]): { from: number; to: number } | undefined {
  let found: { from: number; to: number } | undefined
  for (const path of paths) {
    let at = 0
    let broken: { from: number; to: number } | undefined
    for (let i = 0; i < classes.length && !broken; i++) {
      const k = path.indexOf(classes[i]!)
      if (k < 0) break // not on this path: the class check says so
      if (k < at) broken = { from: classes[i - 1]!, to: classes[i]! }
      at = Math.max(at, k)
    }
    if (!broken) return undefined
    found ??= broken
  }
  return found
}

export default conformance<ReceiptTimeoutData>({
  id: 'BMCA-07',
  title: 'clockClass after the DUT loses its reference',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 7.6.2.5 Table 4, 9.3.3, 9.3.5 Table 30; ITU-T G.8275.1 6.4 Table 3',
  mapsTo: ['openshift-docs ptp-clock-holdover-note', 'vse-sync-test clock-state'],
  tags: ['active', 'bmca'],
  severity: 'normal',
  fixture: 'dut-slave',
  params: DEFAULTS,
  estimatedSeconds: 25,
  appliesTo: () => true,
  criteria: {
    pass: 'after its grandmaster (class 6) falls silent the DUT announces itself as grandmaster with its configured clockClass or a class on the profile\'s degradation path from it, and never a better step again',
    fail: 'the DUT never follows the grandmaster, announces nothing of its own after losing it, keeps naming the lost grandmaster, advertises the lost class or any class off its path, or moves back to a better class without a reference',
  },
  acquire(ctx) {
    const s = ctx.session.dutSettings
    const tMs = logIntervalToMs(s.intervals.announce.value)
    const { observeIntervals } = testParams(ctx.profile, 'BMCA-07', DEFAULTS)
    return acquireReceiptTimeout(ctx, {
      stop: 'all',
      n: s.announceReceiptTimeout.value,
      intervalMs: tMs,
      settleMs: 2 * tMs,
      afterLeaveMs: observeIntervals * tMs + 200,
      dataset: { grandmasterClockQuality: { clockClass: LOCKED_CLOCK_CLASS, clockAccuracy: 0x21, offsetScaledLogVariance: 0x4e5d } },
    })
  },
  judge(ev: Evidence<ReceiptTimeoutData>, profile) {
    const d = ev.data
    const configured = ev.dut.clockClass
    if (configured.value === SLAVE_ONLY_CLOCK_CLASS) {
      return { checks: [{ name: 'the DUT can become grandmaster', measured: configured.value, limit: '≠ 255', source: 'IEEE 1588-2019 Table 4: 255 is slave-only', verdict: 'not-applicable', detail: `${describeSetting('clockClass', configured)}: a slave-only clock never announces` }] }
    }
    const never = neverFollowed(d)
    if (never) return { checks: [never] }
    const lost = d.recorder.last({ type: 'Announce', direction: 'out' })
    if (lost?.timestampNs == null) {
      return { checks: [{ name: 'the grandmaster\'s last Announce', measured: null, limit: 'recorded', source: TABLE_30, verdict: 'inconclusive', detail: 'the recording holds no Announce of the harness grandmaster, so the loss has no start' }] }
    }
    const tA = lost.timestampNs
    const lostMessage = lost.message as AnnounceMessage
    const lostClass = lostMessage.grandmasterClockQuality.clockClass
    const harness = new Set(ev.session.harnessClockIdentities)
    const own = d.recorder.byType('Announce', { direction: 'in', from: tA }).filter((f) => !harness.has(f.message!.header.sourcePortIdentity.clockIdentity))
    const end = d.recorder.frames.at(-1)?.timestampNs ?? tA
    const watchedS = Number(end - tA) / 1e9
    const paths = holdoverPaths(profile, configured.value)
    const holdover = profile.clockClass.holdover
    const pathText = paths.map((p) => p.join(' → ')).join(' or ')
    const setting = `${describeSetting('clockClass', configured)}; the lost grandmaster's class ${lostClass}`
    const msAfter = (f: RecordedFrame) => `+${(Number(f.timestampNs! - tA) / 1e6).toFixed(0)} ms`

    if (!own.length) {
      const lastRead = d.watch.filter((x) => x.state).at(-1)
      const state = lastRead?.state ? (isSlave(lastRead.state) ? 'still SLAVE' : `in ${lastRead.state.ports.map((p) => p.portState).join('/')}`) : 'its state unread'
      return {
        checks: [{
          name: 'the DUT announces itself after losing its grandmaster',
          measured: 0,
          limit: '≥ 1 Announce',
          source: TABLE_30,
          verdict: 'fail',
          detail: `no Announce of its own in ${watchedS.toFixed(1)} s after the grandmaster's last Announce (${state} at the last read); ${setting}`,
        }],
        measurements: { watchedSeconds: watchedS, lostClockClass: lostClass },
      }
    }

    const a = (f: RecordedFrame) => f.message as AnnounceMessage
    const notSelf = own.filter((f) => a(f).grandmasterIdentity !== f.message!.header.sourcePortIdentity.clockIdentity || a(f).stepsRemoved !== 0)
    const allowed = new Set(paths.flat())
    const offPath = own.filter((f) => !allowed.has(a(f).grandmasterClockQuality.clockClass))
    const sequence = own.map((f) => a(f).grandmasterClockQuality.clockClass).filter((c, i, all) => i === 0 || all[i - 1] !== c)
    const back = improvement(sequence, paths)
    const example = (f: RecordedFrame, what: string) => `${describeFrame(f)} at ${msAfter(f)} ${what}`
    const source = holdover ? `${holdover.source}; IEEE 1588-2019 7.6.2.5` : 'IEEE 1588-2019 7.6.2.5 Table 4: a clock without a degradation path advertises its own defaultDS.clockClass'
    const checks: Check[] = [
      {
        name: 'Announces after the loss name the DUT itself as grandmaster (stepsRemoved 0)',
        measured: notSelf.length,
        limit: `0 of ${own.length}`,
        source: TABLE_30,
        verdict: notSelf.length ? 'fail' : 'pass',
        ...(notSelf[0] ? { detail: example(notSelf[0], `names grandmaster ${a(notSelf[0]).grandmasterIdentity}, stepsRemoved ${a(notSelf[0]).stepsRemoved}`) } : {}),
      },
      {
        name: 'clockClass after the loss is the configured one or on its degradation path',
        measured: [...new Set(sequence)].join(', '),
        limit: `one of ${[...allowed].join(', ')} (${pathText})`,
        source,
        ...(holdover?.unconfirmed ? { unconfirmed: true } : {}),
        verdict: offPath.length ? 'fail' : 'pass',
        detail: [
          offPath[0] ? `${offPath.length} of ${own.length} off the path, e.g. ${example(offPath[0], `with clockClass ${a(offPath[0]).grandmasterClockQuality.clockClass}`)}${a(offPath[0]).grandmasterClockQuality.clockClass === lostClass ? ' (the lost grandmaster\'s class)' : ''}` : undefined,
          setting,
        ].filter(Boolean).join('; '),
      },
      {
        name: 'clockClass never moves back to a better step without a reference',
        measured: sequence.join(' → '),
        limit: `in the order of ${pathText}`,
        source,
        verdict: back ? 'fail' : 'pass',
        detail: `${back ? `moved from ${back.from} back to ${back.to}; ` : ''}watched ${watchedS.toFixed(1)} s after the loss (${own.length} Announces); a holdover specification runs for minutes to hours, so later steps are not seen here (suites.overrides BMCA-07 observeIntervals)`,
      },
    ]
    return {
      checks,
      measurements: {
        lostClockClass: lostClass,
        configuredClockClass: configured.value,
        classesInOrder: sequence,
        firstOwnAnnounceMs: Number(own[0]!.timestampNs! - tA) / 1e6,
        watchedSeconds: watchedS,
        announces: own.length,
      },
    }
  },
})
