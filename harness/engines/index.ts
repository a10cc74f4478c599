/**
 * Emulated clocks as sans-IO engines: messages and timestamps in, actions out.
 * harness/runtime drives them with native ports; unit tests drive them with plain calls.
 */
export * from './actions.ts'
export * from './random.ts'
export * from './time_base.ts'
export * from './message_factory.ts'
export * from './delay_arithmetic.ts'
export * from './request_spacing.ts'
export * from './overrides.ts'
export * from './mutations.ts'
export * from './frame_edit.ts'
export * from './emitter.ts'
export * from './test_master.ts'
export * from './test_slave.ts'
export * from './scenario.ts'
export * from './engine_group.ts'
export * from './clock_identities.ts'
export * from './slave_fleet.ts'
export * from './from_profile.ts'
export * from './management_poller.ts'
