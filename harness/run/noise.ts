/**
 * The harness's own timestamp noise, measured before the first test so that every
 * verdict can be judged against it. In the lab: a burst of frames from the DUT's
 * namespace to the harness port, both ends software-timestamped by the kernel; the
 * spread of the one-way latency (p99 − p50) is how far any single RX timestamp may
 * be from the frame's true arrival, VM stalls included.
 */
import { summarize } from '../stats/percentiles.ts'
import { openPort, type Port, type ReceivedFrame } from '../transport/index.ts'
import type { HarnessNoise } from './session_types.ts'
import { MAD_TO_SIGMA } from '../stats/robust.ts'
import { LAB_PATH_ASYMMETRY_NS } from '../verdict/lab_allowances.ts'

/** The coverage used (±3σ ≈ 99.7 %). */
const COVERAGE_SIGMAS = 3
/** A probe whose latency exceeds the median by this many scales is a stall, not noise. */
const STALL_SCALES = 10
/** Software timestamps are taken in the kernel's stack, not on the wire: never claim better than 1 µs. */
const FLOOR_NS = 1000n

/**
 * The harness noise from a series of latencies, robustly: the per-timestamp ± is 3 σ where σ
 * is estimated from the median absolute deviation, so a handful of probes delayed by a vCPU
 * stall (ms) cannot inflate it a hundredfold as a p99 would; those probes are counted as
 * stalls and reported. The time-error floor is the median latency plus that ±: where a
 * software timestamp may sit from the frame's true passage.
 */
export function noiseFromLatencies(latencies: readonly bigint[], describe: (p50: bigint, p99: bigint) => string): HarnessNoise {
  const s = summarize(latencies)
  const deviations = latencies.map((l) => (l > s.p50 ? l - s.p50 : s.p50 - l))
  const mad = summarize(deviations).p50
  const sigma = BigInt(Math.ceil(Number(mad) * MAD_TO_SIGMA))
  const spread = BigInt(COVERAGE_SIGMAS) * sigma
  const ns = spread > FLOOR_NS ? spread : FLOOR_NS
  const stallAbove = s.p50 + BigInt(STALL_SCALES) * (sigma > FLOOR_NS / 3n ? sigma : FLOOR_NS / 3n)
  const stalls = latencies.filter((l) => l > stallAbove).length
  const tail = s.max - s.p50
  return {
    ns,
    timeErrorFloorNs: s.p50 + ns,
    tailNs: tail > ns ? tail : ns,
    method: `${describe(s.p50, s.p99)}; ± = 3 × 1.4826 × MAD (MAD ${mad} ns); slowest probe ${tail} ns after the median (the ± of an extreme)${stalls ? `; ${stalls} of ${latencies.length} probes stalled (> ${stallAbove} ns) and were not counted as noise` : ''}`,
    stalls,
  }
}

/**
 * A minimal PTP-shaped probe for noise self-checks: majorSdoId 15 and domain 255, so no PTP
 * stack takes it for its own; the sequence number lets arrivals be matched to sends.
 */
export function noiseProbe(seq: number): Uint8Array {
  const b = new Uint8Array(44)
  b[0] = 0xf0 // majorSdoId 15, messageType Sync
  b[1] = 0x02
  b[2] = 0
  b[3] = 44
  b[4] = 0xff // domain 255: no profile uses it
  b[30] = seq >> 8
  b[31] = seq & 0xff
  return b
}

export async function measureLinkNoise(
  from: { ifname: string; netns: string },
  to: { ifname: string; netns: string },
  count = 200,
): Promise<HarnessNoise> {
  const tx = openPort({ interface: from.ifname, netns: from.netns, transport: 'l2', timestamping: 'software' })
  const rx = openPort({ interface: to.ifname, netns: to.netns, transport: 'l2', timestamping: 'software' })
  const arrivals = new Map<number, bigint>()
  const off = rx.onReceive((f: ReceivedFrame) => {
    if (f.data.length >= 32 && f.data[0] === 0xf0 && f.data[4] === 0xff && f.rxTimestampNs !== null) {
      arrivals.set((f.data[30]! << 8) | f.data[31]!, f.rxTimestampNs)
    }
  })
  const sent = new Map<number, bigint>()
  try {
    for (let i = 0; i < count; i++) {
      const r = await tx.send(noiseProbe(i), { dest: 'primary' })
      sent.set(i, r.txTimestampNs)
      // Spread the burst over ~1 s so a vCPU stall shows up as it would in a test.
      await new Promise((res) => setTimeout(res, 5))
    }
    await new Promise((res) => setTimeout(res, 50))
  } finally {
    off()
    tx.close()
    rx.close()
  }
  const lat: bigint[] = []
  for (const [seq, t] of sent) {
    const a = arrivals.get(seq)
    if (a !== undefined) lat.push(a - t)
  }
  if (lat.length < count / 2) throw new Error(`noise self-check: only ${lat.length} of ${count} probe frames arrived`)
  const noise = noiseFromLatencies(
    lat,
    (p50, p99) => `one-way latency spread (p99 − p50) of ${lat.length} software-timestamped L2 frames across the lab link; p50 ${p50} ns, p99 ${p99} ns`,
  )
  // The probes go one way only; what the lab's software paths differ by direction is the measured allowance.
  return { ...noise, pathAsymmetryNs: LAB_PATH_ASYMMETRY_NS, method: `${noise.method}; path asymmetry allowance ±${LAB_PATH_ASYMMETRY_NS} ns (LAB_PATH_ASYMMETRY_NS)` }
}

/**
 * Noise on a real interface, where there is no second port of ours to send to: the spread of
 * the delay between handing a probe to the kernel and its TX timestamp. It bounds the harness's
 * own timestamping jitter, not the wire's.
 */
export async function measureTxNoise(port: Port, count = 100): Promise<HarnessNoise> {
  const lat: bigint[] = []
  for (let i = 0; i < count; i++) {
    const r = await port.send(noiseProbe(i), { dest: 'primary', event: true })
    lat.push(r.txTimestampNs - r.sendNs)
    await new Promise((res) => setTimeout(res, 5))
  }
  return noiseFromLatencies(
    lat,
    (p50, p99) => `TX-path spread (p99 − p50) of ${count} probes on ${port.interface} (${port.timestamping.mode} timestamps); p50 ${p50} ns, p99 ${p99} ns`,
  )
}
