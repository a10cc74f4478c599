/**
 * "Any field overridden": a deep partial of a message applied on top of it. Plain objects merge
 * recursively; everything else (numbers, bigints, strings, arrays, Uint8Arrays) replaces.
 *
 *   applyOverrides(sync, { header: { domainNumber: 7, flagField: 0x0208 } })
 */
import type { PtpMessage } from '../codec/types.ts'

export type DeepPartial<T> = T extends bigint | number | string | boolean | Uint8Array | readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T

/** Overrides for any message: header fields, body fields, tlvs. */
export type MessageOverrides = DeepPartial<PtpMessage> & Record<string, unknown>

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>, path: string): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue
    if (!(k in target)) throw new RangeError(`override names unknown field '${path}${k}'`)
    const cur = target[k]
    if (isPlainObject(v) && isPlainObject(cur)) merge(cur, v, `${path}${k}.`)
    else target[k] = structuredClone(v)
  }
}

/**
 * A copy of `message` with `overrides` applied. An override naming a field the message does not
 * have is an error (a typo would otherwise silently send an unmodified message).
 */
export function applyOverrides<M extends PtpMessage>(message: M, overrides: MessageOverrides): M {
  const copy = structuredClone(message) as unknown as Record<string, unknown>
  merge(copy, overrides as Record<string, unknown>, '')
  return copy as unknown as M
}

/** The dotted paths an override touches, for the recorder's "why" text. */
export function describeOverrides(overrides: MessageOverrides): string {
  const parts: string[] = []
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue
      if (isPlainObject(v)) walk(v, `${prefix}${k}.`)
      else parts.push(`${prefix}${k}=${show(v)}`)
    }
  }
  walk(overrides as Record<string, unknown>, '')
  return parts.join(', ')
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}`
  if (typeof v === 'number') return Number.isInteger(v) && v > 9 ? `${v} (0x${v.toString(16)})` : `${v}`
  if (v instanceof Uint8Array) return `[${v.length} octets]`
  if (Array.isArray(v)) return `[${v.length} items]`
  return JSON.stringify(v)
}
