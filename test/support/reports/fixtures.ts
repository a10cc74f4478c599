/**
 * A realistic run for the report tests: one profile, six tests covering every
 * verdict (pass twice, fail, inconclusive, not-applicable) plus a harness error,
 * with a real pcapng (per-frame comments, written by harness/capture's writer),
 * an evidence plot and measurement series that the report turns into plots.
 */
import { encodePcapng, LinkType } from '../../../harness/capture/index.ts'
import type { RunEnvironment, TestResult } from '../../../harness/results/record.ts'
import { ResultsWriter } from '../../../harness/results/writer.ts'
import { intervalHistogramSvg } from '../../../reports/plots/histogram.ts'
import { ethernetFrame, ptpMessage } from './ptp_frames.ts'

export const FIXTURE_PROFILE = 'default-e2e'
const T0 = Date.UTC(2025, 0, 15, 9, 30, 0)
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString()

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export function fixtureEnvironment(): RunEnvironment {
  return {
    harnessVersion: '0.1.0',
    profile: FIXTURE_PROFILE,
    profileFile: 'profiles/default-e2e.yaml',
    unconfirmedValues: ['delayReqSpacing.spread (±30 %)'],
    interface: 'ptpc123-h0',
    transport: 'udp-ipv4',
    domainNumber: 0,
    timestamping: 'software',
    kernel: 'Linux 6.1.0-test',
    node: 'v20.0.0',
    dut: { implementation: 'ptp4l', version: '3.1.1', settings: { delay_mechanism: 'E2E', free_running: '1' }, mode: 'slave' },
    harnessNoiseNs: 900,
    startedAt: iso(0),
  }
}

const clockId = Uint8Array.of(0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01)
const srcMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]

/** Announce and Sync frames one second / 125 ms apart, each with a comment as the recorder writes them. */
export function fixturePcapng(frames = 12): Uint8Array {
  const base = BigInt(T0) * 1_000_000n
  const packets = []
  for (let i = 0; i < frames; i++) {
    const announce = i % 4 === 0
    const tNs = base + BigInt(i) * 125_000_000n
    const payload = ptpMessage({
      messageType: announce ? 0xb : 0x0,
      sequenceId: announce ? i / 4 : i,
      logMessageInterval: announce ? 1 : -3,
      clockIdentity: clockId,
      originSeconds: tNs / 1_000_000_000n,
      originNanoseconds: Number(tNs % 1_000_000_000n),
    })
    packets.push({
      interfaceId: 0,
      timestampNs: tNs,
      data: ethernetFrame(srcMac, payload),
      comment: `${announce ? 'Announce' : 'Sync'} seq ${announce ? i / 4 : i}: rx by test slave`,
    })
  }
  return encodePcapng([{ linkType: LinkType.ETHERNET, name: 'ptpc123-h0' }], packets, {
    comment: 'ptp-conform fixture capture',
  })
}

function identity(id: string, title: string, area: string, clause: string, extra: Partial<TestResult> = {}) {
  return {
    id,
    title,
    area,
    clause,
    mapsTo: [] as string[],
    tags: [area.toLowerCase()],
    severity: 'normal' as const,
    profile: FIXTURE_PROFILE,
    ...extra,
  }
}

/**
 * The six results. Evidence paths are the ones ResultsWriter.evidence returns
 * (`evidence/<name>`); `writeFixtureRun` creates those files.
 */
export function fixtureResults(): TestResult[] {
  const rnd = lcg(7)
  const announceIntervals = Array.from({ length: 120 }, () => 1_000_000_000n + BigInt(Math.round((rnd() - 0.5) * 400_000)))
  const delayReqIntervals = Array.from({ length: 150 }, () => BigInt(Math.round(rnd() * 2_000_000_000)))
  const offsetSeries = Array.from(
    { length: 400 },
    (_, i) => [BigInt(T0) * 1_000_000n + BigInt(i) * 250_000_000n, BigInt(Math.round((rnd() - 0.5) * 1800))] as [bigint, bigint],
  )
  return [
    {
      ...identity('MF-01', 'Header sanity', 'MF', 'IEEE 1588-2019 13.3', { severity: 'critical', tags: ['mf', 'smoke'] }),
      verdict: 'pass',
      reason: 'all 40 frames have valid headers',
      checks: [
        { name: 'versionPTP', verdict: 'pass', measured: 2, limit: '= 2', source: 'IEEE 1588-2019 13.3.2.4' },
        { name: 'correctionField of Announce', verdict: 'pass', measured: 0, limit: '= 0', unit: 'ns', source: 'IEEE 1588-2019 13.3.2.9' },
      ],
      measurements: { frames: 40, edition: '1588-2008 (minorVersionPTP 0)' },
      steps: [
        { atMs: 0, text: 'capture started' },
        { atMs: 5000, text: 'capture stopped, 40 frames' },
      ],
      startedAt: iso(1_000),
      durationMs: 5_200,
      evidence: { pcapng: 'evidence/default-e2e.MF-01.pcapng' },
    },
    {
      ...identity('INT-01', 'Announce, Sync and Delay_Req rates', 'INT', 'IEEE 1588-2019 9.5.8; IEEE 1588-2019 7.7.2.1', {
        mapsTo: ['UNH PWR.c.1.2'],
      }),
      verdict: 'pass',
      reason: 'mean and 90 % of Announce intervals within ±30 % of 2^1 s',
      checks: [
        { name: 'Announce mean interval', verdict: 'pass', measured: 1.0, limit: '≥ 0.7 s and ≤ 1.3 s', unit: 's', noise: 0.000001, source: 'profile default-e2e: logAnnounceInterval 0 (IEEE 1588-2019 J.3.2)' },
      ],
      measurements: {
        announceIntervalsNs: announceIntervals,
        announceIntervalsNsLimits: { loNs: 700_000_000n, hiNs: 1_300_000_000n, nominalNs: 1_000_000_000n },
      },
      steps: [{ atMs: 0, text: 'recording Announce for 120 s' }],
      startedAt: iso(7_000),
      durationMs: 120_500,
      evidence: { pcapng: 'evidence/default-e2e.INT-01.pcapng' },
    },
    {
      ...identity('INT-02', 'Delay_Req spacing', 'INT', 'IEEE 1588-2019 9.5.11.2', { severity: 'critical' }),
      verdict: 'fail',
      reason: '38 % of Delay_Req intervals outside 0.7–1.3 × 2^0 s',
      checks: [
        {
          name: 'Delay_Req intervals within ±30 %',
          verdict: 'fail',
          measured: 62,
          limit: '≥ 90 %',
          unit: '%',
          source: 'profile default-e2e: delayReqSpacing',
          unconfirmed: true,
          detail: 'ptp4l spreads Delay_Req uniformly over 0–2 × the interval',
        },
      ],
      measurements: {
        delayReqIntervalsNs: delayReqIntervals,
        delayReqIntervalsNsLimits: { loNs: 700_000_000n, hiNs: 1_300_000_000n, nominalNs: 1_000_000_000n },
      },
      steps: [
        { atMs: 0, text: 'test master up' },
        { atMs: 2_000, text: 'DUT in SLAVE; recording Delay_Req' },
      ],
      startedAt: iso(130_000),
      durationMs: 152_000,
      evidence: { pcapng: 'evidence/default-e2e.INT-02.pcapng' },
    },
    {
      ...identity('TE-02', 'Time error of a DUT master', 'TE', 'ITU-T G.8273.2 7.1'),
      verdict: 'inconclusive',
      reason: 'harness noise ±0.9 µs exceeds the margin to the 1 µs limit',
      checks: [
        { name: 'max |TE|', verdict: 'inconclusive', measured: 0.92, limit: '≤ 1 µs', unit: 'µs', noise: 0.9, source: 'profile default-e2e: timeError.max' },
      ],
      measurements: { timeErrorSeriesNs: offsetSeries, timeErrorSeriesNsLimits: { limitNs: 1000 } },
      steps: [{ atMs: 0, text: 'test slave locked' }],
      startedAt: iso(290_000),
      durationMs: 100_000,
      evidence: {
        pcapng: 'evidence/default-e2e.TE-02.pcapng',
        plots: [{ name: 'Time error histogram', file: 'evidence/default-e2e.TE-02.te-histogram.svg' }],
      },
    },
    {
      ...identity('TLV-GPTP-01', 'Follow_Up information TLV', 'TLV', 'IEEE 802.1AS-2020 11.4.4.3'),
      verdict: 'not-applicable',
      reason: 'profile default-e2e has no Follow_Up information TLV',
      checks: [],
      measurements: {},
      steps: [],
      startedAt: iso(391_000),
      durationMs: 1,
      evidence: {},
    },
    {
      ...identity('BMCA-03', 'Failover time after grandmaster loss', 'BMCA', 'IEEE 1588-2019 9.2.6.12'),
      verdict: 'inconclusive',
      reason: 'the harness failed before a verdict',
      checks: [],
      measurements: {},
      steps: [{ atMs: 0, text: 'starting two emulated grandmasters' }],
      startedAt: iso(392_000),
      durationMs: 3_000,
      evidence: {},
      harnessError: 'interface ptpc123-h0 vanished (ENODEV) <while sending Announce & "Sync">',
    },
  ]
}

/** Writes the run through ResultsWriter as `ptp-conform run` does, with its evidence files. */
export function writeFixtureRun(outDir: string): { env: RunEnvironment; results: TestResult[] } {
  const env = fixtureEnvironment()
  const w = new ResultsWriter(outDir)
  w.environment(env)
  const results = fixtureResults()
  const pcap = fixturePcapng()
  for (const r of results) {
    if (r.evidence.pcapng) w.evidence(r.evidence.pcapng.replace(/^evidence\//, ''), pcap)
    for (const p of r.evidence.plots ?? []) {
      const te = (r.measurements.timeErrorSeriesNs as [bigint, bigint][]).map(([, v]) => (v < 0n ? -v : v))
      w.evidence(p.file.replace(/^evidence\//, ''), intervalHistogramSvg(te, { title: p.name, quantity: '|TE|', hiNs: 1000 }))
    }
    w.result(r)
  }
  w.summary({
    environment: env,
    counts: { pass: 2, fail: 1, inconclusive: 2, 'not-applicable': 1, harnessErrors: 1 },
    tests: results.map((r) => ({ id: r.id, verdict: r.verdict, reason: r.reason, durationMs: r.durationMs })),
    finishedAt: new Date(T0 + 400_000).toISOString(),
    ending: 'completed',
  })
  return { env, results }
}
