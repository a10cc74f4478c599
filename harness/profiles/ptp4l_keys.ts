/**
 * ptp4l 3.1.1 configuration keys (Debian bookworm `man ptp4l` and
 * /usr/share/doc/linuxptp/configs/default.cfg), so a typo in a profile's
 * `lab.ptp4l` is caught when the profile is validated, not when ptp4l refuses
 * to start in the lab.
 */

export const PTP4L_311_KEYS: ReadonlySet<string> = new Set([
  'BMCA', 'G.8275.defaultDS.localPriority', 'G.8275.portDS.localPriority', 'announceReceiptTimeout', 'asCapable',
  'assume_two_step', 'boundary_clock_jbod', 'check_fup_sync', 'clockAccuracy', 'clockClass', 'clockIdentity',
  'clock_servo', 'clock_type', 'dataset_comparison', 'delayAsymmetry', 'delay_filter', 'delay_filter_length',
  'delay_mechanism', 'domainNumber', 'dscp_event', 'dscp_general', 'egressLatency', 'fault_badpeernet_interval',
  'fault_reset_interval', 'first_step_threshold', 'follow_up_info', 'free_running', 'freq_est_interval', 'gmCapable',
  'hwts_filter', 'hybrid_e2e', 'ignore_source_id', 'ignore_transport_specific', 'inhibit_announce', 'inhibit_delay_req',
  'inhibit_multicast_service', 'ingressLatency', 'initial_delay', 'kernel_leap', 'logAnnounceInterval',
  'logMinDelayReqInterval', 'logMinPdelayReqInterval', 'logQueryInterval', 'logSyncInterval', 'logging_level',
  'manufacturerIdentity', 'masterOnly', 'maxStepsRemoved', 'max_frequency', 'message_tag', 'min_neighbor_prop_delay',
  'msg_interval_request', 'neighborPropDelayThresh', 'net_sync_monitor', 'network_transport', 'ntpshm_segment',
  'offsetScaledLogVariance', 'operLogPdelayReqInterval', 'operLogSyncInterval', 'p2p_dst_mac', 'path_trace_enabled',
  'peer_address', 'pi_integral_const', 'pi_integral_exponent', 'pi_integral_norm_max', 'pi_integral_scale',
  'pi_proportional_const', 'pi_proportional_exponent', 'pi_proportional_norm_max', 'pi_proportional_scale', 'priority1',
  'priority2', 'productDescription', 'ptp_dst_mac', 'revisionData', 'sanity_freq_limit', 'servo_num_offset_values',
  'servo_offset_threshold', 'slaveOnly', 'slave_event_monitor', 'socket_priority', 'step_threshold', 'summary_interval',
  'syncReceiptTimeout', 'table_id', 'tc_spanning_tree', 'timeSource', 'time_stamping', 'transportSpecific',
  'tsproc_mode', 'twoStepFlag', 'tx_timestamp_timeout', 'udp6_scope', 'udp_ttl', 'uds_address', 'unicast_listen',
  'unicast_master_table', 'unicast_req_duration', 'use_syslog', 'userDescription', 'utc_offset', 'verbose',
  'write_phase_mode',
])

/** Keys the lab sets itself for every DUT; a profile must not set them. */
export const LAB_OWNED_KEYS: ReadonlySet<string> = new Set(['free_running', 'uds_address', 'time_stamping'])

/** ptp4l keys whose value is a profile ValueSpec, with that spec's path. */
export const PTP4L_VALUE_KEYS: Record<string, string[]> = {
  logAnnounceInterval: ['intervals', 'announce'],
  logSyncInterval: ['intervals', 'sync'],
  logMinDelayReqInterval: ['intervals', 'delayReq'],
  logMinPdelayReqInterval: ['intervals', 'pdelayReq'],
  announceReceiptTimeout: ['timeouts', 'announceReceiptTimeout'],
  syncReceiptTimeout: ['timeouts', 'syncReceiptTimeout'],
  domainNumber: ['domain'],
  priority1: ['priorities', 'priority1'],
  priority2: ['priorities', 'priority2'],
  'G.8275.defaultDS.localPriority': ['priorities', 'localPriority'],
  'G.8275.portDS.localPriority': ['priorities', 'localPriority'],
}

/** ptp4l's names for the transports. */
export const PTP4L_TRANSPORT: Record<string, 'l2' | 'udp4' | 'udp6'> = { L2: 'l2', UDPv4: 'udp4', UDPv6: 'udp6' }

/** ptp4l config numbers may be written in hex ('0xFE'). */
export function ptp4lNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return v
  const t = v.trim()
  if (/^-?0x[0-9a-f]+$/i.test(t)) return t.startsWith('-') ? -parseInt(t.slice(1), 16) : parseInt(t, 16)
  if (/^-?\d+$/.test(t)) return Number(t)
  return undefined
}

/** ptp4l writes MACs with colons, profiles with dashes. */
export function normaliseMac(v: string): string {
  return v.trim().toUpperCase().replace(/:/g, '-')
}
