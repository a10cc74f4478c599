/**
 * Convenience: open a native port in a namespace and drive an engine on it.
 */
import { openPort, systemTimeNs, type Port, type PortOptions } from '../transport/index.ts'
import type { Engine } from '../engines/actions.ts'
import type { Recorder } from '../recorder/recorder.ts'
import { PortDriver, type PortDriverOptions } from './port_driver.ts'

export interface OpenDriverOptions extends Omit<PortDriverOptions, 'port' | 'clock'> {
  port: PortOptions
  engine: Engine
  recorder?: Recorder
}

export interface OpenedDriver {
  port: Port
  driver: PortDriver
  /** Stops the driver and closes the port. */
  close(): Promise<void>
}

export function openDriver(o: OpenDriverOptions): OpenedDriver {
  const port = openPort(o.port)
  const { port: _p, ...rest } = o
  const driver = new PortDriver({ ...rest, port, clock: systemTimeNs })
  return {
    port,
    driver,
    async close() {
      await driver.stop()
      port.close()
    },
  }
}
