import type { Finding } from '../types.ts'

export function error(field: string, offset: number, message: string, clause: string): Finding {
  return { field, offset, message, clause, severity: 'error' }
}

export function warning(field: string, offset: number, message: string, clause: string): Finding {
  return { field, offset, message, clause, severity: 'warning' }
}

export function hex(v: number, digits = 2): string {
  return '0x' + v.toString(16).padStart(digits, '0')
}
