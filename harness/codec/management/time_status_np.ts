/**
 * linuxptp TIME_STATUS_NP dataField, 50 octets (struct time_status_np): master_offset Int64 ns,
 * ingress_time Int64 ns, cumulativeScaledRateOffset Int32, scaledLastGmPhaseChange Int32,
 * gmTimeBaseIndicator UInt16, lastGmPhaseChange ScaledNs (12), gmPresent Int32, gmIdentity (8).
 */
import type { TimeStatusNpData } from '../types.ts'
import { i32, i64, i96, u16, w16, w32, w64, w96 } from '../bytes.ts'
import { readClockIdentity, writeClockIdentity, ZERO_CLOCK_IDENTITY } from '../clock_identity.ts'
import type { DataFieldCodec } from './codec.ts'

export const timeStatusNp: DataFieldCodec<TimeStatusNpData> = {
  size: 50,
  decode: (b, o) => ({
    name: 'TIME_STATUS_NP',
    master_offset: i64(b, o),
    ingress_time: i64(b, o + 8),
    cumulativeScaledRateOffset: i32(b, o + 16),
    scaledLastGmPhaseChange: i32(b, o + 20),
    gmTimeBaseIndicator: u16(b, o + 24),
    lastGmPhaseChange: i96(b, o + 26),
    gmPresent: i32(b, o + 38),
    gmIdentity: readClockIdentity(b, o + 42),
  }),
  write: (d, b, o) => {
    w64(b, o, d.master_offset)
    w64(b, o + 8, d.ingress_time)
    w32(b, o + 16, d.cumulativeScaledRateOffset)
    w32(b, o + 20, d.scaledLastGmPhaseChange)
    w16(b, o + 24, d.gmTimeBaseIndicator)
    w96(b, o + 26, d.lastGmPhaseChange)
    w32(b, o + 38, d.gmPresent)
    writeClockIdentity(b, o + 42, d.gmIdentity)
  },
  empty: () => ({
    name: 'TIME_STATUS_NP',
    master_offset: 0n,
    ingress_time: 0n,
    cumulativeScaledRateOffset: 0,
    scaledLastGmPhaseChange: 0,
    gmTimeBaseIndicator: 0,
    lastGmPhaseChange: 0n,
    gmPresent: 0,
    gmIdentity: ZERO_CLOCK_IDENTITY,
  }),
}
