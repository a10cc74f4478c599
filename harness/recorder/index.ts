/** Every frame in and out: queries, interval series, pairing, pcapng export with per-frame comments. */
export * from './frame.ts'
export * from './recorder.ts'
export * from './pairing.ts'
export * from './pcapng_export.ts'
