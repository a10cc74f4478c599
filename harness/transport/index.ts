/** The transport layer: timestamped PTP ports and precisely scheduled sends (native addon). */
export { openPort, Port, type Load, type Train } from './port.ts'
export { TransportError, type TransportErrorCode } from './errors.ts'
export { systemTimeNs, monotonicTimeNs, phcTimeNs, phcSystemOffset, interfaceInfo, type PhcSystemOffset } from './clocks.ts'
export * from './addresses.ts'
export type * from './types.ts'
export { ADDON_PATH } from './addon.ts'
