/**
 * Errors of the transport layer. `code` is stable and documented in
 * docs/native.md; callers branch on it, reports quote it.
 */
export type TransportErrorCode =
  | 'ENODEV_INTERFACE' // no such interface in the (given) network namespace
  | 'EIFDOWN' // interface administratively down or without carrier
  | 'EPERM_CAP_NET_RAW' // raw socket / device binding needs CAP_NET_RAW
  | 'EPERM_CAP_NET_ADMIN' // hardware timestamping set-up needs CAP_NET_ADMIN
  | 'EPERM_CAP_NET_BIND_SERVICE' // UDP ports 319/320 need CAP_NET_BIND_SERVICE
  | 'EPERM_CAP_SYS_ADMIN' // entering a network namespace needs CAP_SYS_ADMIN
  | 'EADDRINUSE' // UDP 319/320 already bound on that interface
  | 'ENOENT_NETNS' // named network namespace does not exist
  | 'ENODEV_PHC' // no such PTP hardware clock
  | 'ENOTSUP_HW_TIMESTAMPING' // hardware timestamping requested, interface has none
  | 'ETXTIMESTAMP_TIMEOUT' // the kernel did not return a TX timestamp in time
  | 'ECLOSED' // port closed
  | 'ENOBUFS' // the interface queue dropped the frame
  | 'ESEND' // another send failure (message says which)
  | 'EINVAL_DEST'
  | 'EINVAL_FRAME'
  | 'EINVAL_OPTION'
  | 'EINVAL_OFFSET'
  | 'EINVAL_PERIOD'
  | 'ENATIVE_MISSING' // the addon is not built
  | (string & {})

export class TransportError extends Error {
  readonly code: TransportErrorCode
  readonly errno?: number
  readonly syscall?: string

  constructor(code: TransportErrorCode, message: string, extra: { errno?: number; syscall?: string; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause })
    this.name = 'TransportError'
    this.code = code
    if (extra.errno !== undefined) this.errno = extra.errno
    if (extra.syscall !== undefined) this.syscall = extra.syscall
  }

  /** Wraps an error thrown by the addon (an Error with `code`) so that `instanceof TransportError` holds. */
  static from(err: unknown): TransportError {
    if (err instanceof TransportError) return err
    if (err instanceof Error) {
      const e = err as Error & { code?: string; errno?: number; syscall?: string }
      return new TransportError(e.code ?? 'ENATIVE', e.message, { errno: e.errno, syscall: e.syscall, cause: err })
    }
    return new TransportError('ENATIVE', String(err))
  }
}

/** Runs a native call and rethrows its failure as a TransportError. */
export function native<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw TransportError.from(err)
  }
}
