/** CURRENT_DATA_SET dataField, 18 octets (IEEE 1588-2019 15.5.3.4.1). */
import type { CurrentDataSetData } from '../types.ts'
import { i64, u16, w16, w64 } from '../bytes.ts'
import type { DataFieldCodec } from './codec.ts'

export const currentDataSet: DataFieldCodec<CurrentDataSetData> = {
  size: 18,
  decode: (b, o) => ({
    name: 'CURRENT_DATA_SET',
    stepsRemoved: u16(b, o),
    offsetFromMaster: i64(b, o + 2),
    meanPathDelay: i64(b, o + 10),
  }),
  write: (d, b, o) => {
    w16(b, o, d.stepsRemoved)
    w64(b, o + 2, d.offsetFromMaster)
    w64(b, o + 10, d.meanPathDelay)
  },
  empty: () => ({ name: 'CURRENT_DATA_SET', stepsRemoved: 0, offsetFromMaster: 0n, meanPathDelay: 0n }),
}
