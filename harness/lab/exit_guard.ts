/**
 * Takes owned labs down when the process ends: normal exit, SIGINT, SIGTERM
 * or SIGHUP. (SIGKILL cannot be caught; the state file covers that case and
 * the next `lab up`/`lab down` recovers the lab.)
 *
 * The handlers are installed while at least one owned lab is up and removed
 * after the last one goes, so a process without labs keeps Node's defaults.
 * On a signal we tear down, then exit with 128+signo only if nobody else
 * listens for that signal (a command that wants to finish its report first
 * keeps control).
 */
import { constants } from 'node:os'

export interface Guarded {
  id: string
  teardownSync(): void
}

const live = new Map<string, Guarded>()
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let installed = false

function teardownAll(): void {
  for (const g of [...live.values()]) {
    try {
      g.teardownSync()
    } catch (e) {
      process.stderr.write(`ptp-conform: tearing down lab ${g.id} failed: ${(e as Error).message}\n`)
    }
    live.delete(g.id)
  }
}

function onExit(): void {
  teardownAll()
}

function onSignal(sig: NodeJS.Signals): void {
  teardownAll()
  uninstall()
  if (process.listenerCount(sig) === 0) process.exit(128 + (constants.signals[sig] ?? 0))
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', onExit)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall(): void {
  if (!installed) return
  installed = false
  process.off('exit', onExit)
  for (const s of SIGNALS) process.off(s, onSignal)
}

export function guard(g: Guarded): void {
  live.set(g.id, g)
  install()
}

export function unguard(id: string): void {
  live.delete(id)
  if (live.size === 0) uninstall()
}
