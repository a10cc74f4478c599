/**
 * `--dut-option key=value` (repeatable) → DutOptions. Numbers stay numbers
 * (hex too: ptp4l writes `0x1`), everything else is passed as the text given:
 * the DUT implementation is the judge of its own settings.
 */
import type { DutOptions } from './types.ts'

export function parseDutOptions(specs: readonly string[]): DutOptions {
  const out: DutOptions = {}
  for (const spec of specs) {
    const i = spec.indexOf('=')
    if (i <= 0) throw new Error(`--dut-option '${spec}': expected key=value`)
    const key = spec.slice(0, i).trim()
    const raw = spec.slice(i + 1).trim()
    if (!key || /\s/.test(key)) throw new Error(`--dut-option '${spec}': the key must be one word`)
    out[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw
  }
  return out
}
