/**
 * The reference DUT on a simulated link, for its unit tests: a ReferenceClock configured
 * from a profile's lab settings (as a lab run configures it), optional faults, and any
 * harness engines next to it.
 */
import type { Engine, SendAction } from '../../../harness/engines/actions.ts'
import type { Profile } from '../../../harness/profiles/types.ts'
import type { DutOptions } from '../../../harness/dut/types.ts'
import { loadProfile } from '../../../harness/profiles/index.ts'
import { ReferenceClock, type ReferenceRole } from '../../../harness/refdut/clock.ts'
import { applyFaults } from '../../../harness/refdut/faults.ts'
import { dutSettingsFor, DUT_IDENTITY, HARNESS_IDENTITY } from '../evidence/simulate.ts'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { testMasterConfigFromProfile } from '../../../harness/engines/from_profile.ts'
import { SimulatedLink } from '../engines/simulated_link.ts'

export const SECOND = 1_000_000_000n

export interface RefLab {
  profile: Profile
  link: SimulatedLink
  dut: ReferenceClock
  /** What the DUT sent, in order. */
  sent(): SendAction[]
  sentOf(type: string): SendAction[]
}

/**
 * `linkPeer` (default: where the profile requires asCapable) adds a harness Pdelay responder, as
 * every lab session has: an 802.1AS port sends nothing until it has measured its link. Pass false
 * when one of `peers` answers Pdelay_Req itself.
 */
export function refLab(profileId: string, o: { role?: ReferenceRole; faults?: string[]; dutOptions?: DutOptions; peers?: Record<string, Engine>; delayNs?: bigint; linkPeer?: boolean } = {}): RefLab {
  const profile = loadProfile(profileId)
  const settings = dutSettingsFor(profile, { dutOptions: o.dutOptions ?? {} })
  const cfg = applyFaults({ name: 'refdut', clockIdentity: DUT_IDENTITY, profile, settings, role: o.role ?? 'auto', behaviour: {}, seed: 7 }, o.faults ?? [])
  const dut = new ReferenceClock(cfg)
  const link = new SimulatedLink({ delay: () => o.delayNs ?? 2_000n })
  link.add('dut', dut)
  for (const [name, e] of Object.entries(o.peers ?? {})) link.add(name, e)
  if (o.linkPeer ?? profile.peerDelay?.asCapableRequired === true) {
    link.add('link-peer', new TestMaster(testMasterConfigFromProfile(profile, { name: 'link-peer', clockIdentity: HARNESS_IDENTITY(0), intervals: 'lab' }, { sendAnnounce: false, sendSync: false, delayMechanism: 'P2P' })))
  }
  link.start()
  const sent = () => link.sent.filter((s) => s.node === 'dut').map((s) => s.action)
  return { profile, link, dut, sent, sentOf: (type) => sent().filter((a) => a.message.type === type) }
}
