/** The I/O edge that drives the sans-IO engines with native ports and records every frame. */
export * from './port_driver.ts'
export * from './open_driver.ts'
