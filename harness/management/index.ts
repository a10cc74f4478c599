/** PTP management on the wire (GET/SET over L2, UDPv4, UDPv6), built on the codec and native ports. */
export {
  ManagementClient,
  ManagementError,
  dataBySource,
  byClock,
  portKey,
  type ManagementClientOptions,
  type ManagementAnswer,
  type ManagementResult,
  type ManagementErrorInfo,
} from './client.ts'
