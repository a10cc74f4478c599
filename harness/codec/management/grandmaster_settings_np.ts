/**
 * linuxptp GRANDMASTER_SETTINGS_NP dataField, 8 octets (struct grandmaster_settings_np):
 * clockQuality (4), utc_offset Int16, time_flags (octet 1 of flagField), time_source.
 */
import type { GrandmasterSettingsNpData } from '../types.ts'
import { i16, w16 } from '../bytes.ts'
import { readClockQuality, writeClockQuality } from '../fields.ts'
import type { DataFieldCodec } from './codec.ts'

export const grandmasterSettingsNp: DataFieldCodec<GrandmasterSettingsNpData> = {
  size: 8,
  decode: (b, o) => ({
    name: 'GRANDMASTER_SETTINGS_NP',
    clockQuality: readClockQuality(b, o),
    utc_offset: i16(b, o + 4),
    time_flags: b[o + 6]!,
    time_source: b[o + 7]!,
  }),
  write: (d, b, o) => {
    writeClockQuality(b, o, d.clockQuality)
    w16(b, o + 4, d.utc_offset)
    b[o + 6] = d.time_flags
    b[o + 7] = d.time_source
  },
  empty: () => ({
    name: 'GRANDMASTER_SETTINGS_NP',
    clockQuality: { clockClass: 0, clockAccuracy: 0, offsetScaledLogVariance: 0 },
    utc_offset: 0,
    time_flags: 0,
    time_source: 0,
  }),
}
