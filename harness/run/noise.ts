/**
 * The harness's own timestamp noise, measured at the start and again before each test so
 * that every verdict can be judged against it. In the lab: a burst of frames from the harness
 * port into the DUT's namespace, both ends software-timestamped by the kernel; the spread of
 * the one-way latency is how far any single timestamp may be from the frame's true passage,
 * VM stalls included. Probes the other way, from the DUT's port, set only the time-error
 * floor: a PTP stack's packet socket there delays the TX stamps of frames sent from it, which
 * the DUT's own stamps carry and the harness's do not (`measureLabNoise`). On a real device the same burst goes from a second harness
 * interface (`--noise-port`) to the test interface, so the receive path is measured too;
 * without one, only the TX path can be.
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
/**
 * The least ± a timestamping mode can claim, whatever the probes show. Software timestamps are
 * taken in the kernel's stack, not on the wire: never better than 1 µs. Hardware timestamps are
 * taken at the MAC: never better than 8 ns, one cycle of the 125 MHz clock of a 1 Gb/s MAC.
 */
export const TIMESTAMP_FLOOR_NS = { software: 1000n, hardware: 8n } as const
export type TimestampMode = keyof typeof TIMESTAMP_FLOOR_NS

/**
 * The harness noise from a series of latencies, robustly: the per-timestamp ± is 3 σ where σ
 * is estimated from the median absolute deviation, so a handful of probes delayed by a vCPU
 * stall (ms) cannot inflate it a hundredfold as a p99 would; those probes are counted as
 * stalls and reported. The time-error floor is the median latency plus that ±: where a
 * software timestamp may sit from the frame's true passage.
 */
export function noiseFromLatencies(
  latencies: readonly bigint[],
  describe: (p50: bigint, p99: bigint) => string,
  o: { floorNs?: bigint; latencyIsTimeError?: boolean } = {},
): HarnessNoise {
  const floorNs = o.floorNs ?? TIMESTAMP_FLOOR_NS.software
  const s = summarize(latencies)
  const deviations = latencies.map((l) => (l > s.p50 ? l - s.p50 : s.p50 - l))
  const mad = summarize(deviations).p50
  const sigma = BigInt(Math.ceil(Number(mad) * MAD_TO_SIGMA))
  const spread = BigInt(COVERAGE_SIGMAS) * sigma
  const ns = spread > floorNs ? spread : floorNs
  const stallAbove = s.p50 + BigInt(STALL_SCALES) * (sigma > floorNs / 3n ? sigma : floorNs / 3n)
  const stalls = latencies.filter((l) => l > stallAbove).length
  const tail = s.max - s.p50
  return {
    ns,
    // Two stamps from different clocks (two NICs' PHCs) differ by the clocks' offset too: their
    // median latency says nothing of where a stamp sits, so only the spread is a time error.
    timeErrorFloorNs: o.latencyIsTimeError === false ? ns : s.p50 + ns,
    tailNs: tail > ns ? tail : ns,
    ...(o.latencyIsTimeError === false ? {} : { latencyNs: s.p50 }),
    method: `${describe(s.p50, s.p99)}; ± = 3 × 1.4826 × MAD (MAD ${mad} ns); slowest probe ${tail} ns after the median (the ± of an extreme)${stalls ? `; ${stalls} of ${latencies.length} probes stalled (> ${stallAbove} ns) and were not counted as noise` : ''}`,
    stalls,
    probes: latencies.length,
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

export interface ProbeEnd {
  ifname: string
  netns?: string
}

/**
 * One-way latency of `count` probes from one harness interface to another, both stamped
 * (`timestamping` 'software' in the lab; 'auto' on real NICs, hardware where they have it):
 * the spread covers the sender's TX path and the receiver's RX path, which is where the DUT's
 * frames are stamped.
 */
export async function measurePathNoise(from: ProbeEnd, to: ProbeEnd, count: number, timestamping: 'software' | 'auto' | 'hardware'): Promise<HarnessNoise> {
  const tx = openPort({ interface: from.ifname, ...(from.netns ? { netns: from.netns } : {}), transport: 'l2', timestamping })
  let rx: Port
  try {
    rx = openPort({ interface: to.ifname, ...(to.netns ? { netns: to.netns } : {}), transport: 'l2', timestamping })
  } catch (err) {
    tx.close()
    throw err
  }
  const modes: TimestampMode[] = [tx.timestamping.mode, rx.timestamping.mode]
  const arrivals = new Map<number, bigint>()
  const off = rx.onReceive((f: ReceivedFrame) => {
    if (f.data.length >= 32 && f.data[0] === 0xf0 && f.data[4] === 0xff && f.rxTimestampNs !== null) {
      arrivals.set((f.data[30]! << 8) | f.data[31]!, f.rxTimestampNs)
    }
  })
  const sent = new Map<number, bigint>()
  try {
    for (let i = 0; i < count; i++) {
      const r = await tx.send(noiseProbe(i), { dest: 'primary', event: true })
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
  if (lat.length < count / 2) throw new Error(`noise self-check: only ${lat.length} of ${count} probe frames from ${from.ifname} arrived on ${to.ifname}`)
  // Both stamps come from the system clock only when both are software; two PHCs are two clocks.
  const oneClock = modes.every((m) => m === 'software')
  const floorNs = modes.includes('software') ? TIMESTAMP_FLOOR_NS.software : TIMESTAMP_FLOOR_NS.hardware
  return noiseFromLatencies(
    lat,
    (p50, p99) =>
      `one-way latency spread of ${lat.length} L2 probes from ${from.ifname} (${modes[0]} TX timestamps) to ${to.ifname} (${modes[1]} RX timestamps), TX and RX paths both; p50 ${p50} ns${oneClock ? '' : ' (two clocks: includes their offset)'}, p99 ${p99} ns; floor ${floorNs} ns (${modes.includes('software') ? 'software' : 'hardware'} timestamps)`,
    { floorNs, latencyIsTimeError: oneClock },
  )
}

/** A lab link, one direction, software stamps, plus the lab's measured asymmetry allowance. */
export async function measureLinkNoise(from: ProbeEnd, to: ProbeEnd, count = 200): Promise<HarnessNoise> {
  const noise = await measurePathNoise(from, to, count, 'software')
  // The probes go one way only; what the lab's software paths differ by direction is the measured allowance.
  return { ...noise, pathAsymmetryNs: LAB_PATH_ASYMMETRY_NS, method: `${noise.method}; path asymmetry allowance ±${LAB_PATH_ASYMMETRY_NS} ns (LAB_PATH_ASYMMETRY_NS)` }
}

/**
 * A lab link as each test's noise: probes from the harness port into the DUT's namespace give the
 * ± of the harness's own stamps (and their slowest); probes the other way, from the DUT's port
 * with the DUT running, show where the lab's software paths put a stamp taken at the DUT's end.
 * A time error is made of the DUT's own stamps too (its Sync's t1, its Delay_Req's t4), and in
 * the lab those are taken on the same kernel paths at that end. Probes from there can come late
 * (p50 15.3 µs from a port where ptp4l runs on L2, against 3.8 µs the other way), more than
 * ptp4l's own messages do, so this errs wide: the time-error floor is the larger of the two
 * directions', and `farEndNs` keeps that end's ±. A real device's stamps are its own, judged.
 */
export async function measureLabNoise(harness: ProbeEnd, dut: ProbeEnd, count = 100): Promise<HarnessNoise> {
  const h = await measureLinkNoise(harness, dut, count)
  const d = await measurePathNoise(dut, harness, count, 'software')
  const floor = d.timeErrorFloorNs > h.timeErrorFloorNs ? d.timeErrorFloorNs : h.timeErrorFloorNs
  return {
    ...h,
    timeErrorFloorNs: floor,
    farEndNs: d.ns,
    method: `${h.method}; the other way, from the DUT's port (where its own stamps are taken): p50 ${d.latencyNs ?? '?'} ns, ± ${d.ns} ns, so the time-error floor is ±${floor} ns, the larger of the two directions`,
  }
}

/**
 * Noise on a real interface with no second port of ours to send to: the spread of the delay
 * between handing a probe to the kernel and its TX timestamp. It bounds the harness's own TX
 * timestamping jitter only; the method says the receive path was not measured.
 */
export async function measureTxNoise(port: Port, count = 100): Promise<HarnessNoise> {
  const lat: bigint[] = []
  for (let i = 0; i < count; i++) {
    const r = await port.send(noiseProbe(i), { dest: 'primary', event: true })
    lat.push(r.txTimestampNs - r.sendNs)
    await new Promise((res) => setTimeout(res, 5))
  }
  const mode = port.timestamping.mode
  return noiseFromLatencies(
    lat,
    (p50, p99) =>
      `TX-path spread of ${count} probes on ${port.interface} (${mode} timestamps); p50 ${p50} ns, p99 ${p99} ns; the receive path is not measured (name a second harness interface on the DUT's network with --noise-port to measure it); floor ${TIMESTAMP_FLOOR_NS[mode]} ns`,
    { floorNs: TIMESTAMP_FLOOR_NS[mode] },
  )
}
