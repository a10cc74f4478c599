/**
 * ROB-04 — messages of another PTP network are ignored: a better master in another domain
 * (IEEE 1588-2019 7.1), with another majorSdoId (13.3.2.1: another standards organisation's
 * profile) or another major PTP version (13.3.2.4) must not become the DUT's grandmaster.
 * Each case master sends Announce, Sync and Follow_Up with its one wrong header field; the
 * DUT must stay with its grandmaster and take the same data set once it comes right (control).
 */
import type { MutationRule } from '../kit.ts'
import { conformance, type Profile } from '../kit.ts'
import { acquireUnusable, judgeUnusable, type UnusableCase, type UnusableEvidence, watchIntervals } from '../support/unusable_masters.ts'

const everyMessage = (id: string, mutation: MutationRule['mutation']): MutationRule[] => [{ id, messageTypes: 'any', mutation }]

/** The cases for the run's domain and the profile's SDO: each one header field off. */
export function otherNetworkCases(profile: Profile, domainNumber: number): UnusableCase[] {
  const sdo = profile.sdo.majorSdoId.value
  const otherDomain = (domainNumber + 1) & 0xff
  const otherSdo = sdo ^ 1
  return [
    { key: 'other-domain', title: `Announce, Sync and Follow_Up in domain ${otherDomain}`, source: 'IEEE 1588-2019 7.1 (a PTP instance takes part in one domain; messages of another are not processed)', mutations: everyMessage('other-domain', { kind: 'domainNumber', value: otherDomain }) },
    { key: 'other-sdo', title: `Announce, Sync and Follow_Up with majorSdoId ${otherSdo}`, source: 'IEEE 1588-2019 13.3.2.1, 7.1 (majorSdoId names the PTP profile family; another one is another network)', mutations: everyMessage('other-sdo', { kind: 'majorSdoId', value: otherSdo }) },
    { key: 'other-version', title: 'Announce, Sync and Follow_Up with versionPTP 1', source: 'IEEE 1588-2019 13.3.2.4 (versionPTP 2; a message of another major version is not this protocol)', mutations: everyMessage('other-version', { kind: 'versionPTP', value: 1 }) },
  ]
}

export default conformance<UnusableEvidence>({
  id: 'ROB-04',
  title: 'A better master in another domain, SDO or PTP version is ignored',
  area: 'ROB',
  clause: 'IEEE 1588-2019 7.1, 13.3.2.1, 13.3.2.4',
  mapsTo: ['NetProbe error classes (domain, version, transportSpecific)', 'linuxptp port.c port_ignore, msg.c version check'],
  tags: ['active', 'robustness'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 14,
  criteria: {
    pass: 'while better masters in another domain, with another majorSdoId or versionPTP 1 send Announce and Sync for the qualification window + 2 intervals, the DUT stays with its grandmaster, and it takes the same data set sent correctly',
    fail: 'the DUT follows such a master, or leaves its grandmaster while only such masters announce',
  },
  appliesTo: () => true,
  acquire: (ctx) => acquireUnusable(ctx, otherNetworkCases(ctx.profile, ctx.session.domainNumber)),
  judge: (ev, profile) => ({ checks: judgeUnusable(ev, profile), measurements: { watchIntervals: watchIntervals(profile), cases: ev.data.cases.map((c) => `${c.key}: ${c.master.name} ${c.master.clockIdentity}`) } }),
})
