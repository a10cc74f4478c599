/**
 * Best master clock algorithms: data set comparison (default 1588, G.8275.x, 802.1AS),
 * foreign-master qualification, the state decision, and predictions of what a conformant DUT
 * must choose and how fast it must fail over. Pure functions over Announce contents and times.
 */
export * from './dataset.ts'
export * from './compare.ts'
export * from './foreign_master.ts'
export * from './announce_filter.ts'
export * from './state_decision.ts'
export * from './predictor.ts'
