/** linuxptp PORT_DATA_SET_NP dataField, 8 octets: neighborPropDelayThresh UInt32 ns, asCapable Int32. */
import type { PortDataSetNpData } from '../types.ts'
import { i32, u32, w32 } from '../bytes.ts'
import type { DataFieldCodec } from './codec.ts'

export const portDataSetNp: DataFieldCodec<PortDataSetNpData> = {
  size: 8,
  decode: (b, o) => ({ name: 'PORT_DATA_SET_NP', neighborPropDelayThresh: u32(b, o), asCapable: i32(b, o + 4) }),
  write: (d, b, o) => {
    w32(b, o, d.neighborPropDelayThresh)
    w32(b, o + 4, d.asCapable)
  },
  empty: () => ({ name: 'PORT_DATA_SET_NP', neighborPropDelayThresh: 0, asCapable: 0 }),
}
