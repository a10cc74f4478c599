/**
 * Unicast negotiation around the emulated clocks, for profiles whose messages flow only after
 * it (G.8275.2: multicast forbidden, REQUEST/GRANT_UNICAST_TRANSMISSION required). The DUT as
 * a slave asks the harness (its unicast master table names the harness's address) and an
 * emulated grandmaster grants; the DUT as a master is asked by the emulated slave, at the rates
 * and grant duration the DUT is configured with (a conformant peer of the profile).
 */
import type { TestContext } from '../../harness/run/context.ts'
import type { TestMaster } from '../../harness/engines/test_master.ts'
import type { TestSlave } from '../../harness/engines/test_slave.ts'
import { type GrantorConfig, NegotiatingMaster } from '../../harness/engines/unicast/grantor.ts'
import { profileGrantor } from '../../harness/engines/unicast/grant_table.ts'
import { requestDurationS, serviceRequests } from '../../harness/engines/unicast/services.ts'
import { configuredIntervals } from '../../harness/dut/settings.ts'
import { NegotiatingSlave, type RequesterConfig } from '../../harness/engines/unicast/requester.ts'

export { negotiationRequired } from '../../harness/engines/unicast/services.ts'


/**
 * An emulated grandmaster that serves only what the DUT negotiated (grants as asked unless told
 * otherwise), from emulated clock `identity`'s own address: the DUT's unicast master table lists
 * one address per emulated clock, so two grandmasters are two masters to it.
 */
export function negotiatingMaster(ctx: TestContext, master: TestMaster, identity: number, cfg: GrantorConfig = {}): NegotiatingMaster {
  const address = ctx.session.clockAddress(identity)
  if (!address) throw new Error(`profile ${ctx.profile.id} is unicast-only: emulated grandmaster ${identity} needs an address of its own, and the harness port has none for it (a device session has one address: one grandmaster)`)
  return new NegotiatingMaster(master, { ...profileGrantor(ctx.profile), ...cfg }, address)
}

/**
 * The emulated slave asking the DUT master for Announce, Sync and the delay service at the DUT's
 * configured rates. Throws where the DUT's address is unknown (a DUT file without ipv4/ipv6):
 * nothing could be asked for, and that is the harness's configuration, not the DUT's fault.
 */
export function negotiatingObserver(ctx: TestContext, slave: TestSlave, extra: Partial<RequesterConfig> = {}): NegotiatingSlave {
  const address = ctx.session.dutAddress()
  if (!address) throw new Error(`profile ${ctx.profile.id} needs unicast negotiation with the DUT, whose ${ctx.session.transport} address is unknown: give ipv4/ipv6 in the DUT file`)
  const s = ctx.session.dutSettings
  return new NegotiatingSlave(slave, {
    masterAddress: address,
    services: serviceRequests(configuredIntervals(s), ctx.session.delayMechanism),
    durationS: requestDurationS(s, ctx.profile),
    ...extra,
  })
}
