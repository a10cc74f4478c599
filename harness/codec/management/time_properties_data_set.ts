/** TIME_PROPERTIES_DATA_SET dataField, 4 octets (IEEE 1588-2019 15.5.3.6.1). */
import type { TimePropertiesDataSetData } from '../types.ts'
import { i16, w16 } from '../bytes.ts'
import type { DataFieldCodec } from './codec.ts'

export const timePropertiesDataSet: DataFieldCodec<TimePropertiesDataSetData> = {
  size: 4,
  decode: (b, o) => ({
    name: 'TIME_PROPERTIES_DATA_SET',
    currentUtcOffset: i16(b, o),
    flags: b[o + 2]!,
    timeSource: b[o + 3]!,
  }),
  write: (d, b, o) => {
    w16(b, o, d.currentUtcOffset)
    b[o + 2] = d.flags
    b[o + 3] = d.timeSource
  },
  empty: () => ({ name: 'TIME_PROPERTIES_DATA_SET', currentUtcOffset: 0, flags: 0, timeSource: 0 }),
}
