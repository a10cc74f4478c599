/** What the virtual lab's software timestamping adds beyond the measured noise, measured once and named. */

/**
 * How far the lab's software timestamping paths have been measured to differ by direction,
 * systematically, beyond what the probes' spread shows. A lab check whose quantity such an
 * asymmetry moves (an offset, a one-way delay difference) is inconclusive, not failed, within
 * this much beyond its window.
 *
 * Measured 2026-12-07 after the harness's SCHED_FIFO sender skew was fixed (it had put software
 * TX timestamps 17–22 µs early and was most of the 30 µs allowed before): ptp4l's reported offset
 * sat 0.2–5.3 µs from the injected one in 20 samples over 10 consecutive default-e2e runs (TE-08,
 * two labs at once); P2P-01's one-way delays agree within 0.4–5.2 µs (reference DUT, ptp4l);
 * E2E-02's offset moved 0.2–6.0 µs between phases against 0 expected. About twice the largest.
 */
export const LAB_PATH_ASYMMETRY_NS = 10_000n
