/**
 * The fault catalogue of the reference DUT: what real devices get wrong, each as a change
 * of the ReferenceClock's behaviour. `targets` are the tests that must FAIL with the fault
 * (selftest proves it); every test ID in suites/ has at least one fault.
 */
import { FLAG_CURRENT_UTC_OFFSET_VALID, FLAG_PTP_TIMESCALE, FLAG_UNICAST } from '../codec/constants.ts'
import type { Profile } from '../profiles/types.ts'
import { asCapableRule } from '../profiles/as_capable.ts'
import { CURRENT_TAI_MINUS_UTC } from '../time/utc_offset.ts'
import type { ReferenceBehaviour, ReferenceClockConfig } from './clock.ts'
import { negotiationRequired } from '../engines/unicast/services.ts'

export interface Fault {
  id: string
  title: string
  /** Test IDs this fault must make fail. */
  targets: string[]
  /** The targets that hold under this profile (default: all), when a profile's rules mask the fault for some. */
  targetsFor?(profile: Profile): string[]
  /** true, or why the fault cannot be shown under this profile. */
  appliesTo?(profile: Profile): true | string
  apply(cfg: ReferenceClockConfig): ReferenceClockConfig
}

const with_ = (change: (cfg: ReferenceClockConfig) => ReferenceBehaviour) => (cfg: ReferenceClockConfig): ReferenceClockConfig => ({
  ...cfg,
  behaviour: { ...cfg.behaviour, ...change(cfg) },
})
const add = (b: ReferenceBehaviour, key: 'masterMutations' | 'peerMutations' | 'requestMutations', rules: NonNullable<ReferenceBehaviour['masterMutations']>) => ({ [key]: [...(b[key] ?? []), ...rules] })

const requiresTlv = (message: 'Announce' | 'Follow_Up', tlv: string) => (p: Profile): true | string =>
  (p.tlvs[message]?.required ?? []).some((r) => r.tlv === tlv) ? true : `profile ${p.id} does not require ${tlv} in ${message}`
const e2e = (p: Profile): true | string => (p.delayMechanism.allowed.includes('E2E') && p.delayMechanism.default === 'E2E' ? true : `profile ${p.id} does not run the delay request-response mechanism`)
const p2p = (p: Profile): true | string => (p.delayMechanism.default === 'P2P' ? true : `profile ${p.id} does not run the peer-delay mechanism`)
const syncTimeout = (p: Profile): true | string => (p.timeouts.syncReceiptTimeout ? true : `profile ${p.id} has no syncReceiptTimeout`)
const unicast = (p: Profile): true | string => (negotiationRequired(p) ? true : `profile ${p.id} does not negotiate unicast service`)
const management = (p: Profile): true | string => (p.unusedMessages.some((u) => u.message === 'Management') ? `profile ${p.id} does not use PTP management` : true)

/**
 * Under 802.1AS a failover is driven by syncReceiptTimeout (3 Sync intervals) long before the
 * announce receipt timeout, so a miscounted announce timeout cannot show in BMCA-03 there;
 * INT-03 (Sync continues, Announce stops) still shows it.
 */
const announceTimeoutTargets = (targets: string[]) => (p: Profile): string[] => (p.bmca.variant === '802.1as' ? targets.filter((t) => t !== 'BMCA-03') : targets)

/** The observation-based tests of a DUT master: each fails when the DUT's Sync is missing or in the wrong domain/SDO. */
const OBSERVED_MASTER = ['INT-01', 'MF-01', 'MF-02', 'MF-03', 'MF-04', 'MF-05', 'MF-06', 'MF-07']

export const FAULTS: Fault[] = [
  {
    id: 'announce-correction-nonzero',
    title: 'Announce carries a non-zero correctionField (1 ns)',
    targets: ['MF-01'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'announce-correction', messageTypes: ['Announce'], mutation: { kind: 'correctionField', deltaScaled: 1n << 16n } }])),
  },
  {
    id: 'announce-to-pdelay-address',
    title: 'Announce sent to the peer-delay multicast address instead of the primary one',
    targets: ['MF-05'],
    // Under 802.1AS every message goes to 01-80-C2-00-00-0E: there the peer-delay address is the primary one.
    appliesTo: (p) => {
      const t = p.transport
      const l2 = t.default === 'l2' ? t.l2 : undefined
      return l2 && (l2.pdelayMac?.value ?? l2.primaryMac.value).toLowerCase() === l2.primaryMac.value.toLowerCase()
        ? `profile ${p.id} sends every message to ${l2.primaryMac.value}: the peer-delay address is its primary one`
        : true
    },
    apply: with_(() => ({ destinations: { Announce: { kind: 'pdelay' } } })),
  },
  {
    id: 'vlan-untagged',
    title: 'frames sent untagged where the profile requires an 802.1Q tag',
    targets: ['MF-06'],
    appliesTo: (p) => (p.transport.vlan.rule === 'required' ? true : `profile ${p.id} does not require an 802.1Q tag`),
    apply: with_(() => ({ sentVlan: 'none' })),
  },
  {
    id: 'vlan-priority-zero',
    title: 'frames tagged with priority 0 instead of the profile\'s',
    targets: ['MF-06'],
    appliesTo: (p) => (p.transport.vlan.rule === 'required' && p.transport.vlan.priority && p.transport.vlan.priority.value !== 0 ? true : `profile ${p.id} requires no 802.1Q priority other than 0`),
    apply: with_((c) => ({ sentVlan: { pcp: 0, vid: c.profile.transport.vlan.vid?.value ?? 0 } })),
  },
  {
    id: 'vlan-tagged-where-forbidden',
    title: 'frames tagged (VID 0, priority 4) where the profile forbids a tag',
    targets: ['MF-06'],
    appliesTo: (p) => (p.transport.vlan.rule === 'forbidden' ? true : `profile ${p.id} does not forbid an 802.1Q tag`),
    apply: with_(() => ({ sentVlan: { pcp: 4, vid: 0 } })),
  },
  {
    id: 'dscp-event-not-configured',
    title: 'event messages sent with DSCP 46 (EF) whatever DSCP the DUT is configured with',
    targets: ['MF-06'],
    appliesTo: (p) => (p.transport.default === 'l2' ? `profile ${p.id} runs over IEEE 802.3: no DSCP` : true),
    // The lab configures no DSCP (0 on every stack): EF stands for a marking the configuration did not ask for.
    apply: with_((c) => ({ sentDscp: { event: c.settings.dscp?.event?.value === 46 ? 0 : 46 } })),
  },
  {
    id: 'unicast-cancel-not-acknowledged',
    title: 'a CANCEL_UNICAST_TRANSMISSION is honoured but never acknowledged, as grantor and as grantee (ptp4l 3.1.1 does so as grantor)',
    targets: ['INT-07'],
    appliesTo: unicast,
    apply: with_((c) => ({ grantor: { ...c.behaviour.grantor, acknowledgeCancel: false }, requester: { ...c.behaviour.requester, acknowledgeCancel: false } })),
  },
  {
    id: 'unicast-grant-forbidden-rate',
    title: 'grants Sync at 2^3 s whatever period was asked for (outside every profile\'s Sync range)',
    targets: ['INT-07'],
    appliesTo: unicast,
    apply: with_((c) => ({ grantor: { ...c.behaviour.grantor, decisions: { ...c.behaviour.grantor?.decisions, Sync: { kind: 'grant-interval', logInterMessagePeriod: 3 } } } })),
  },
  {
    id: 'unicast-keeps-serving-after-cancel',
    title: 'acknowledges a CANCEL but goes on sending the cancelled messages',
    targets: ['INT-07'],
    appliesTo: unicast,
    apply: with_((c) => ({ grantor: { ...c.behaviour.grantor, honourCancel: false } })),
  },
  {
    id: 'unicast-grants-any-duration',
    title: 'grants whatever duration is asked for, also outside the profile\'s grant duration range (ptp4l 3.1.1 does)',
    targets: ['INT-07'],
    appliesTo: (p) => (unicast(p) === true && p.transport.grantDuration ? true : `profile ${p.id} states no grant duration range`),
    apply: with_((c) => ({ grantor: { ...c.behaviour.grantor, durationRange: [1, 0xffffffff] } })),
  },
  {
    id: 'unicast-requests-after-cancel',
    title: 'as a unicast slave goes on sending Delay_Req after its Delay_Resp service was cancelled',
    targets: ['INT-07'],
    appliesTo: unicast,
    apply: with_((c) => ({ requester: { ...c.behaviour.requester, stopOnCancel: false } })),
  },
  {
    id: 'unicast-lets-grants-expire',
    title: 'as a unicast slave never renews a grant: service lapses at each expiry and is asked for anew',
    targets: ['INT-07'],
    appliesTo: unicast,
    apply: with_((c) => ({ requester: { ...c.behaviour.requester, renew: false } })),
  },
  {
    id: 'unicast-grant-without-renewal-invited',
    title: 'grants without the renewalInvited flag',
    targets: ['TLV-TEL-01'],
    appliesTo: unicast,
    apply: with_((c) => ({ grantor: { ...c.behaviour.grantor, renewalInvited: false } })),
  },
  {
    id: 'unicast-tlv-length-wrong',
    title: 'the first TLV of every Signaling it sends has a lengthField 2 octets too long',
    targets: ['TLV-TEL-01', 'INT-07'],
    appliesTo: unicast,
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'signaling-tlv-length', messageTypes: ['Signaling'], mutation: { kind: 'tlvLength', delta: 2 } }])),
  },
  {
    id: 'holdover-keeps-lost-class',
    title: 'after losing its grandmaster it advertises the lost grandmaster\'s clockClass as its own',
    targets: ['BMCA-07'],
    apply: with_(() => ({ clockClassAfterLoss: 'lost-parent' })),
  },
  {
    id: 'holdover-claims-primary-holdover',
    title: 'after losing its grandmaster it advertises clockClass 7 (a former primary reference in holdover) though configured with another class',
    targets: ['BMCA-07'],
    appliesTo: (p) => (p.clockClass.default.value === 7 ? `profile ${p.id} configures clockClass 7 itself` : true),
    apply: with_(() => ({ clockClassAfterLoss: 7 })),
  },
  {
    id: 'announce-interval-unspecified',
    title: 'Announce advertises logMessageInterval 0x7F instead of its interval',
    targets: ['MF-07', 'INT-01'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'announce-interval', messageTypes: ['Announce'], mutation: { kind: 'logMessageInterval', value: 0x7f } }])),
  },
  {
    id: 'utc-offset-wrong',
    title: `Announce declares a valid UTC offset on the PTP timescale and says ${CURRENT_TAI_MINUS_UTC - 1} s (TAI − UTC is ${CURRENT_TAI_MINUS_UTC} s)`,
    targets: ['MF-02'],
    apply: with_((c) =>
      add(c.behaviour, 'masterMutations', [
        { id: 'utc-valid', messageTypes: ['Announce'], mutation: { kind: 'flags', set: FLAG_CURRENT_UTC_OFFSET_VALID | FLAG_PTP_TIMESCALE } },
        { id: 'utc-one-short', messageTypes: ['Announce'], mutation: { kind: 'fields', overrides: { currentUtcOffset: CURRENT_TAI_MINUS_UTC - 1 } } },
      ]),
    ),
  },
  {
    id: 'unicast-flag-on-multicast',
    title: 'Sync sent to the multicast address with unicastFlag set',
    targets: ['MF-02'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'sync-unicast-flag', messageTypes: ['Sync'], mutation: { kind: 'flags', set: FLAG_UNICAST } }])),
  },
  {
    id: 'gm-identity-not-own',
    title: 'Announce (stepsRemoved 0) names another clock as grandmasterIdentity',
    targets: ['MF-04'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'gm-identity', messageTypes: ['Announce'], mutation: { kind: 'fields', overrides: { grandmasterIdentity: '020000.fffe.0000ee' } } }])),
  },
  {
    id: 'followup-sequence-mismatch',
    title: 'Follow_Up carries its Sync\'s sequenceId + 1',
    targets: ['MF-03'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'followup-seq', messageTypes: ['Follow_Up'], mutation: { kind: 'sequenceId', delta: 1 } }])),
  },
  {
    id: 'announce-sequence-stuck',
    title: 'Announce sequenceId never advances (always 7)',
    targets: ['MF-03'],
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'announce-seq', messageTypes: ['Announce'], mutation: { kind: 'sequenceId', value: 7 } }])),
  },
  {
    id: 'sync-rate-double',
    title: 'Sync sent at twice the configured rate (the configured interval still advertised)',
    targets: ['INT-01'],
    apply: with_(() => ({ syncRateLogDelta: -1 })),
  },
  {
    id: 'delay-req-too-fast',
    title: 'Delay_Req sent four times faster than logMinDelayReqInterval allows',
    targets: ['INT-02'],
    appliesTo: e2e,
    apply: with_(() => ({ delayReqRateLogDelta: -2 })),
  },
  {
    // The test window is N ± 1 interval (UNH PWR.c.1.3): an off-by-one alone lies inside it,
    // so the fault counts two intervals short.
    id: 'announce-timeout-early',
    title: 'announceReceiptTimeout counted two intervals short (leaves SLAVE early)',
    targets: ['INT-03', 'BMCA-03'],
    targetsFor: announceTimeoutTargets(['INT-03', 'BMCA-03']),
    apply: with_(() => ({ receiptTimeoutDeltaIntervals: -2 })),
  },
  {
    id: 'failover-late',
    title: 'announce receipt timeout runs N + 3 intervals long (fails over late)',
    targets: ['BMCA-03', 'INT-03'],
    targetsFor: announceTimeoutTargets(['BMCA-03', 'INT-03']),
    apply: with_(() => ({ receiptTimeoutDeltaIntervals: 3 })),
  },
  {
    id: 'sync-timeout-ignored',
    title: 'syncReceiptTimeout never fires: the master is kept while it announces without Sync',
    targets: ['INT-04'],
    appliesTo: syncTimeout,
    apply: with_(() => ({ ignoreSyncReceiptTimeout: true })),
  },
  {
    id: 'sync-timeout-early',
    title: 'syncReceiptTimeout counted two intervals short',
    targets: ['INT-04'],
    appliesTo: syncTimeout,
    apply: with_(() => ({ syncReceiptTimeoutDeltaIntervals: -2 })),
  },
  {
    id: 'follow-up-deadline-20ms',
    title: 'a Follow_Up more than 20 ms after its Sync is dropped (the Sync goes unused)',
    targets: ['INT-05'],
    appliesTo: (p) => (p.steps.twoStep === 'forbidden' ? `profile ${p.id} has no Follow_Up` : true),
    apply: with_(() => ({ followUpDeadlineNs: 20_000_000n })),
  },
  {
    id: 'path-delay-frozen',
    title: 'the path delay measured first is kept for good (reported, and subtracted from every offset)',
    targets: ['E2E-02', 'P2P-02'],
    targetsFor: (p) => (p.delayMechanism.default === 'P2P' ? ['P2P-02'] : ['E2E-02']),
    appliesTo: (p) => (p.peerDelay?.asCapableRequired ? `under ${p.id} P2P-02 stays below half of neighborPropDelayThresh, which the lab's software timestamps do not resolve` : true),
    apply: with_(() => ({ pathDelayFrozen: true })),
  },
  {
    id: 'neighbor-delay-thresh-ignored',
    title: 'asCapable stays TRUE whatever the mean link delay (neighborPropDelayThresh never applied)',
    targets: ['P2P-04'],
    appliesTo: (p) => (p.peerDelay?.asCapableRequired ? true : `profile ${p.id} has no asCapable rule`),
    apply: with_(() => ({ ignoresNeighborPropDelayThresh: true })),
  },
  {
    id: 'lost-responses-early',
    title: 'asCapable is dropped after allowedLostResponses − 8 lost Pdelay responses (1 of 9 under 802.1AS-2020)',
    targets: ['P2P-05'],
    appliesTo: asCapableRule,
    apply: with_(() => ({ allowedLostResponsesDelta: -8 })),
  },
  {
    id: 'invalid-pdelay-responses-accepted',
    title: 'a Pdelay_Resp with a wrong requestingPortIdentity or sequenceId is taken as the answer to the latest Pdelay_Req',
    targets: ['P2P-03'],
    appliesTo: asCapableRule,
    apply: with_(() => ({ acceptsInvalidPdelayResponses: true })),
  },
  {
    id: 'late-pdelay-responses-accepted',
    title: 'a Pdelay_Resp arriving after the next Pdelay_Req still completes the abandoned exchange',
    targets: ['P2P-03'],
    appliesTo: asCapableRule,
    apply: with_(() => ({ acceptsLatePdelayResponses: true })),
  },
  {
    id: 'multiple-pdelay-responses-ignored',
    title: 'a Pdelay_Req answered by two responders counts as answered (asCapable stays TRUE)',
    targets: ['P2P-03'],
    appliesTo: asCapableRule,
    apply: with_(() => ({ ignoresMultiplePdelayResponses: true })),
  },
  {
    id: 'ascapable-before-rate-ratio',
    title: 'asCapable (and Sync) after one Pdelay exchange, before neighborRateRatio can be measured',
    targets: ['P2P-06'],
    appliesTo: asCapableRule,
    apply: with_(() => ({ asCapableBeforeRateRatio: true })),
  },
  {
    id: 'interval-request-ignored',
    title: 'an 802.1AS message interval request is ignored (Sync and Announce keep their configured intervals)',
    targets: ['INT-06'],
    appliesTo: (p) => (p.bmca.variant === '802.1as' ? true : `INT-06 runs under 802.1AS only, not ${p.id}`),
    apply: with_(() => ({ ignoresIntervalRequest: true })),
  },
  {
    id: 'bmca-clockclass-first',
    title: 'BMCA compares clockClass before priority1',
    targets: ['BMCA-01'],
    appliesTo: (p) => (p.bmca.variant === 'g8275x' ? `the ${p.id} BMCA does not compare priority1` : true),
    apply: with_(() => ({ comparison: 'clockClass-first' })),
  },
  {
    id: 'telecom-bmca-as-1588',
    title: "runs IEEE 1588's data set comparison under a G.8275.x profile (priority1 compared, identity before topology)",
    targets: ['BMCA-06'],
    appliesTo: (p) => (p.bmca.variant === 'g8275x' ? true : `profile ${p.id} runs the ${p.bmca.variant} BMCA`),
    apply: with_(() => ({ comparison: 'default-1588' })),
  },
  {
    id: 'master-only-follows',
    title: 'a port configured masterOnly follows a better master (becomes SLAVE)',
    targets: ['BMCA-06'],
    appliesTo: (p) => (p.bmca.variant === 'g8275x' ? true : `BMCA-06 runs under the G.8275.x profiles only, not ${p.id}`),
    apply: with_(() => ({ masterOnlyIgnored: true })),
  },
  {
    id: 'qualify-on-first-announce',
    title: 'a foreign master is qualified on its first Announce',
    targets: ['BMCA-02'],
    apply: with_(() => ({ qualification: { threshold: 1, windowIntervals: 4, countFirstMessage: true } })),
  },
  {
    id: 'accepts-steps-removed-255',
    title: 'an Announce with stepsRemoved 255 is qualified',
    targets: ['BMCA-05'],
    apply: with_(() => ({ acceptStepsRemoved255: true })),
  },
  {
    id: 'accepts-own-identity',
    title: "messages sent under the clock's own clockIdentity are used as a foreign master's",
    targets: ['BMCA-05', 'P2P-06'],
    apply: with_(() => ({ acceptOwnIdentity: true })),
  },
  {
    id: 'accepts-announce-without-power-tlvs',
    title: "an Announce without the profile's mandatory TLVs is used by the BMCA",
    targets: ['BMCA-10'],
    appliesTo: (p) => (p.bmca.ignoreAnnounceWithoutRequiredTlvs ? true : `profile ${p.id} does not make the BMCA ignore such an Announce`),
    apply: with_(() => ({ acceptAnnounceWithoutRequiredTlvs: true })),
  },
  {
    id: 'accepts-other-domain',
    title: 'messages of another domain are used',
    targets: ['ROB-04'],
    apply: with_(() => ({ acceptForeign: ['domain'] })),
  },
  {
    id: 'accepts-other-sdo',
    title: 'messages with another majorSdoId are used',
    targets: ['ROB-04'],
    apply: with_(() => ({ acceptForeign: ['sdo'] })),
  },
  {
    id: 'accepts-other-version',
    title: 'messages with versionPTP 1 are used',
    targets: ['ROB-04'],
    apply: with_(() => ({ acceptForeign: ['version'] })),
  },
  {
    id: 'slave-only-sends-sync',
    title: 'a slave-only clock sends Sync',
    targets: ['BMCA-04'],
    apply: with_(() => ({ slaveSendsSync: true })),
  },
  {
    id: 'delay-resp-wrong-sequence',
    title: 'Delay_Resp answers with sequenceId + 1',
    targets: ['E2E-01', 'ROB-07'],
    targetsFor: (p) => (negotiationRequired(p) ? ['E2E-01'] : ['E2E-01', 'ROB-07']),
    appliesTo: e2e,
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'delay-resp-seq', messageTypes: ['Delay_Resp'], mutation: { kind: 'sequenceId', delta: 1 } }])),
  },
  {
    id: 'delay-req-unanswered',
    title: 'Delay_Req never answered',
    targets: ['E2E-01'],
    appliesTo: e2e,
    apply: with_((c) => add(c.behaviour, 'masterMutations', [{ id: 'no-delay-resp', messageTypes: ['Delay_Resp'], mutation: { kind: 'skip' } }])),
  },
  {
    id: 'pdelay-turnaround-negative',
    title: 'Pdelay_Resp_Follow_Up responseOriginTimestamp 1 ms before the request arrived (negative turnaround)',
    targets: ['P2P-01'],
    appliesTo: p2p,
    apply: with_((c) => add(c.behaviour, 'peerMutations', [{ id: 'turnaround', messageTypes: ['Pdelay_Resp_Follow_Up'], mutation: { kind: 'timestampJump', ns: -1_000_000n } }])),
  },
  {
    id: 'followup-info-tlv-missing',
    title: 'Follow_Up without the 802.1AS Follow_Up information TLV',
    targets: ['TLV-GPTP-01'],
    appliesTo: requiresTlv('Follow_Up', 'IEEE_802_1AS_FOLLOW_UP_INFO'),
    apply: with_(() => ({ followUpInformationTlv: false })),
  },
  {
    id: 'path-trace-wrong',
    title: "Announce PATH_TRACE holds another clock's identity instead of the grandmaster's",
    targets: ['TLV-GPTP-02'],
    appliesTo: requiresTlv('Announce', 'PATH_TRACE'),
    apply: with_(() => ({ pathTrace: 'foreign' })),
  },
  {
    id: 'c37238-tlv-missing',
    title: 'Announce without the C37.238 TLV',
    targets: ['TLV-PWR-01'],
    appliesTo: (p) => (requiresTlv('Announce', 'IEEE_C37_238_2011')(p) === true || requiresTlv('Announce', 'IEEE_C37_238_2017')(p) === true ? true : `profile ${p.id} requires no C37.238 TLV`),
    apply: with_((c) => ({ omitAnnounceTlvs: [...(c.behaviour.omitAnnounceTlvs ?? []), 'IEEE_C37_238_2011', 'IEEE_C37_238_2017'] })),
  },
  {
    id: 'atoi-tlv-missing',
    title: 'Announce without the ALTERNATE_TIME_OFFSET_INDICATOR TLV',
    targets: ['TLV-PWR-02'],
    appliesTo: requiresTlv('Announce', 'ALTERNATE_TIME_OFFSET_INDICATOR'),
    apply: with_((c) => ({ omitAnnounceTlvs: [...(c.behaviour.omitAnnounceTlvs ?? []), 'ALTERNATE_TIME_OFFSET_INDICATOR'] })),
  },
  {
    id: 'drops-unknown-tlv',
    title: 'a message carrying an unknown TLV (or an organization extension of an unknown organization) is dropped whole',
    targets: ['TLV-GEN-01'],
    apply: with_(() => ({ dropsUnknownTlv: true })),
  },
  {
    id: 'management-disagrees',
    title: 'management answers (DEFAULT, PARENT, TIME_PROPERTIES data sets) disagree with the Announce on the wire',
    targets: ['MGT-01'],
    appliesTo: management,
    apply: with_(() => ({ managementDisagrees: true })),
  },
  {
    id: 'management-set-not-applied',
    title: 'a SET PRIORITY2 is answered with the new value, but the Announces keep the old one',
    targets: ['MGT-02'],
    appliesTo: management,
    apply: with_(() => ({ managementSet: 'set-not-applied' })),
  },
  {
    id: 'management-set-unanswered',
    title: 'a SET PRIORITY2 gets no answer (neither RESPONSE nor MANAGEMENT_ERROR_STATUS)',
    targets: ['MGT-02'],
    appliesTo: management,
    apply: with_(() => ({ managementSet: 'set-unanswered' })),
  },
  {
    id: 'management-unknown-id-silent',
    title: 'a GET of a managementId 1588 does not define gets no answer (instead of NO_SUCH_ID)',
    targets: ['MGT-03'],
    appliesTo: management,
    apply: with_(() => ({ managementErrors: 'unknown-id-silent' })),
  },
  {
    id: 'management-unknown-id-not-supported',
    title: 'a GET of a managementId 1588 does not define is refused with NOT_SUPPORTED instead of NO_SUCH_ID',
    targets: ['MGT-03'],
    appliesTo: management,
    apply: with_(() => ({ managementErrors: 'unknown-id-not-supported' })),
  },
  {
    id: 'management-unimplemented-silent',
    title: 'a GET of a defined managementId the clock does not implement gets no answer (instead of NOT_SUPPORTED)',
    targets: ['MGT-03'],
    appliesTo: management,
    apply: with_(() => ({ managementErrors: 'unimplemented-silent' })),
  },
  {
    id: 'accepts-malformed-messages',
    title: 'uses messages whose messageLength or TLV lengthField does not describe their octets',
    targets: ['ROB-02'],
    apply: with_(() => ({ acceptsMalformed: true })),
  },
  {
    id: 'crashes-on-tlv-overrun',
    title: 'crashes on a TLV whose lengthField runs past the end of the message (a fragile parser)',
    targets: ['ROB-02', 'ROB-08'],
    apply: with_(() => ({ crashesOnTlvOverrun: true })),
  },
  {
    id: 'adopts-delay-resp-interval-0x7f',
    title: 'takes its Delay_Req interval from Delay_Resp without an upper bound: after a Delay_Resp with 0x7F it stops requesting',
    targets: ['ROB-01'],
    appliesTo: (p) => (e2e(p) === true && unicast(p) !== true ? true : `profile ${p.id} has no multicast Delay_Resp to take an interval from`),
    apply: with_(() => ({ adoptsLongDelayRespInterval: true })),
  },
  {
    id: 'pairs-follow-up-with-latest-sync',
    title: 'pairs each Follow_Up with the latest Sync, whatever its sequenceId',
    targets: ['ROB-03'],
    appliesTo: (p) => (p.steps.twoStep === 'forbidden' ? `profile ${p.id} forbids two-step clocks: there is no Follow_Up` : true),
    apply: with_(() => ({ pairsFollowUpWithLatestSync: true })),
  },
  {
    id: 'ignores-time-steps',
    title: 'drops every Sync whose offset jumps by more than 100 ms from the last (an outlier filter that never gives in)',
    targets: ['ROB-05'],
    apply: with_(() => ({ rejectsOffsetJumpsNs: 100_000_000n })),
  },
  {
    id: 'foreign-table-evicts-parent',
    title: "keeps 5 foreign-master records, overwrites the oldest when full and qualifies a master on its first Announce (as ptpd 2.3.1): a flood of worse masters evicts its grandmaster's record and one of them is taken",
    targets: ['ROB-06'],
    apply: with_(() => ({ foreignTableCapacity: 5, qualification: { threshold: 1, windowIntervals: 4, countFirstMessage: true } })),
  },
  {
    id: 'offset-sign-inverted',
    title: 'offsetFromMaster reported with the wrong sign (master − slave)',
    targets: ['TE-08'],
    apply: with_(() => ({ reportedOffset: 'inverted-sign' })),
  },
  {
    id: 'offset-ignores-correction',
    title: 'offsetFromMaster computed without the Sync and Follow_Up correctionField',
    targets: ['TE-08'],
    apply: with_(() => ({ reportedOffset: 'ignores-correction' })),
  },
  {
    id: 'time-error-50ms',
    title: "the clock's time runs 50 ms ahead of the reference (a time error as master)",
    targets: ['TE-02'],
    apply: with_(() => ({ timeBaseOffsetNs: 50_000_000n })),
  },
  {
    id: 'wrong-domain',
    title: 'runs in domain (configured + 1)',
    targets: OBSERVED_MASTER,
    apply: with_((c) => ({ header: { ...c.behaviour.header, domainNumber: (c.settings.domainNumber.value + 1) & 0xff } })),
  },
  {
    id: 'wrong-major-sdo-id',
    title: "sends majorSdoId (profile's + 1)",
    targets: OBSERVED_MASTER,
    apply: with_((c) => ({ header: { ...c.behaviour.header, majorSdoId: (c.profile.sdo.majorSdoId.value + 1) & 0xf } })),
  },
  {
    id: 'silent',
    title: 'sends nothing at all',
    targets: OBSERVED_MASTER,
    apply: with_(() => ({ silent: true })),
  },
]

export function faultById(id: string): Fault | undefined {
  return FAULTS.find((f) => f.id === id)
}

/** The configuration with every named fault applied, in order; unknown ids throw, naming the known ones. */
export function applyFaults(cfg: ReferenceClockConfig, ids: readonly string[]): ReferenceClockConfig {
  let out = cfg
  for (const id of ids) {
    const f = faultById(id)
    if (!f) throw new RangeError(`unknown fault '${id}'; known: ${FAULTS.map((x) => x.id).join(', ')}`)
    out = f.apply(out)
  }
  return out
}
