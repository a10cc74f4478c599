/** Shape of one typed management dataField layout. */
import type { ManagementDataField } from '../types.ts'

export interface DataFieldCodec<T extends ManagementDataField = ManagementDataField> {
  /** dataField octets. */
  size: number
  decode(b: Uint8Array, o: number): T
  write(d: T, b: Uint8Array, o: number): void
  /** Zero-valued data (what pmc puts in a GET). */
  empty(): T
}
