/**
 * Many emulated slaves on one port, to load a DUT master's Delay_Req handling. Each slave is a
 * full TestSlave with its own clockIdentity, seed and randomised Delay_Req schedule; the fleet is
 * an EngineGroup so the driver treats it as one engine.
 */
import { emulatedClockIdentity } from './clock_identities.ts'
import { EngineGroup } from './engine_group.ts'
import { TestSlave, type TestSlaveConfig } from './test_slave.ts'

export interface SlaveFleetConfig {
  name: string
  count: number
  /** Family of the slaves' identities (see emulatedClockIdentity). */
  identityFamily?: number
  /** Settings shared by all slaves; name, clockIdentity and seed are per slave. */
  slave: Omit<TestSlaveConfig, 'name' | 'clockIdentity' | 'seed'>
  seed?: number
}

export function createSlaveFleet(cfg: SlaveFleetConfig): EngineGroup {
  const slaves: TestSlave[] = []
  for (let i = 0; i < cfg.count; i++) {
    slaves.push(
      new TestSlave({
        ...cfg.slave,
        name: `${cfg.name}-${i}`,
        clockIdentity: emulatedClockIdentity(i + 1, cfg.identityFamily ?? 0x02_5e_00),
        seed: (cfg.seed ?? 1) * 100_003 + i,
        // Keep the default memory use of a large fleet small.
        maxSamples: cfg.slave.maxSamples ?? 1000,
      }),
    )
  }
  return new EngineGroup(cfg.name, slaves)
}

/** The TestSlaves of a fleet. */
export function fleetSlaves(fleet: EngineGroup): TestSlave[] {
  return fleet.engines.filter((e): e is TestSlave => e instanceof TestSlave)
}
