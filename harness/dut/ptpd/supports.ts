/**
 * Whether ptpd 2.3.1 can be the lab DUT for a profile (pure). The runner asks before
 * it builds anything, so a profile ptpd cannot run ends the run as a usage error with
 * the reason, instead of a harness error in every test.
 *
 * Each rule reads what the profile requires, not its name: ptpd 2.3.1 is a two-step
 * ordinary clock with the default 1588 BMCA, multicast over UDPv4 (224.0.1.129 /
 * 224.0.0.107) or Ethernet (01-1B-19-00-00-00 / 01-80-C2-00-00-0E), untagged, and it
 * sends no TLVs in Announce, Sync or Follow_Up (src/dep/constants_dep.h, src/bmc.c,
 * src/dep/msg.c of ptpd 2.3.1).
 */
import type { Profile, TransportName } from '../../profiles/types.ts'
import type { DutOptions } from '../types.ts'
import { ptpdOptionProblems, ptpdSettingProblems, ptpdSettings, PTPD_TRANSPORTS } from './config.ts'

/** ptpd 2.3.1 src/dep/constants_dep.h. */
const PTPD_ADDRESSES = {
  udp4Primary: '224.0.1.129',
  udp4Pdelay: '224.0.0.107',
  l2Primary: '01-1B-19-00-00-00',
  l2Pdelay: '01-80-C2-00-00-0E',
}

const sameMac = (a: string, b: string) => a.replace(/[:-]/g, '').toLowerCase() === b.replace(/[:-]/g, '').toLowerCase()

/** The reasons ptpd 2.3.1 cannot run this profile on this transport; empty when it can. */
export function ptpdProfileProblems(p: Profile, transport: TransportName): string[] {
  const out: string[] = []
  if (!PTPD_TRANSPORTS.includes(transport)) out.push(`ptpd 2.3.1 has no ${transport} transport (it speaks UDPv4 and Ethernet only)`)
  if (p.bmca.variant !== 'default-1588') out.push(`the profile uses the ${p.bmca.variant} BMCA (${p.bmca.source}); ptpd 2.3.1 implements only the default 1588 BMCA`)
  for (const [message, rules] of Object.entries(p.tlvs)) {
    for (const r of rules?.required ?? []) out.push(`the profile requires ${r.tlv} in ${message} (${r.source}); ptpd 2.3.1 sends none`)
  }
  const sdo = p.sdo.majorSdoId.value
  if (sdo !== 0 && !(sdo === 1 && transport === 'l2')) out.push(`majorSdoId ${sdo} (${p.sdo.majorSdoId.source}): ptpd 2.3.1 sends 0, or 1 with ptpengine:dot2as on Ethernet only`)
  if (p.transport.multicast === 'forbidden' || p.transport.unicastNegotiation === 'required') {
    out.push(`the profile requires unicast${p.transport.unicastNegotiation === 'required' ? ' negotiation' : ''} (${p.transport.source}); the lab runs ptpd in multicast`)
  }
  if (p.transport.vlan.rule === 'required') out.push(`the profile requires 802.1Q-tagged frames (${p.transport.vlan.source}); ptpd 2.3.1 sends untagged`)
  if (p.steps.twoStep === 'forbidden') out.push(`the profile forbids two-step (${p.steps.source}); ptpd 2.3.1 is two-step only`)
  const pdelay = p.delayMechanism.default === 'P2P'
  if (transport === 'l2' && p.transport.l2) {
    const l2 = p.transport.l2
    if (!sameMac(l2.primaryMac.value, PTPD_ADDRESSES.l2Primary)) out.push(`the profile sends to ${l2.primaryMac.value} (${l2.primaryMac.source}); ptpd 2.3.1 sends to ${PTPD_ADDRESSES.l2Primary} only`)
    const pd = l2.pdelayMac ?? l2.primaryMac
    if (pdelay && !sameMac(pd.value, PTPD_ADDRESSES.l2Pdelay)) out.push(`the profile sends peer delay to ${pd.value} (${pd.source}); ptpd 2.3.1 sends it to ${PTPD_ADDRESSES.l2Pdelay}`)
  }
  if (transport === 'udp4' && p.transport.udp4) {
    const u = p.transport.udp4
    if (u.primary && u.primary.value !== PTPD_ADDRESSES.udp4Primary) out.push(`the profile uses group ${u.primary.value} (${u.primary.source}); ptpd 2.3.1 uses ${PTPD_ADDRESSES.udp4Primary}`)
    if (pdelay && u.pdelay && u.pdelay.value !== PTPD_ADDRESSES.udp4Pdelay) out.push(`the profile sends peer delay to ${u.pdelay.value} (${u.pdelay.source}); ptpd 2.3.1 uses ${PTPD_ADDRESSES.udp4Pdelay}`)
  }
  return out
}

/**
 * true when ptpd 2.3.1 can be the DUT for this profile and transport, else the reason.
 * With `run`, the run's own settings (domain, `--dut-option`) are checked against ptpd's
 * ranges too, so a value ptpd would refuse is named before anything starts.
 */
export function ptpdSupports(profile: Profile, transport: TransportName, run?: { domainNumber?: number; options?: DutOptions }): true | string {
  const problems = ptpdProfileProblems(profile, transport)
  if (run && problems.length === 0) {
    const options = { ...(run.options ?? {}), ...(run.domainNumber !== undefined ? { domainNumber: run.domainNumber } : {}) }
    problems.push(...ptpdOptionProblems(options))
    if (problems.length === 0) problems.push(...ptpdSettingProblems(ptpdSettings(profile, transport, profile.delayMechanism.default, options)))
  }
  return problems.length === 0 ? true : `ptpd 2.3.1 cannot run profile ${profile.id} over ${transport}: ${problems.join('; ')}`
}
