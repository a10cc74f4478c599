export * from './timestamp.ts'
