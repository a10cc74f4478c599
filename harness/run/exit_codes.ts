/** Exit codes of every ptp-conform command; CI systems key on these. */
export const ExitCode = {
  /** Every selected test passed (inconclusive and not-applicable are listed, not failures). */
  ok: 0,
  /** At least one conformance failure. */
  fail: 1,
  /** Usage error or a broken profile / DUT file. */
  usage: 2,
  /** The harness itself failed: interface vanished, missing privilege, lab could not be built. */
  harness: 3,
  /** Ctrl-C (SIGINT): what had finished is recorded and reported, the lab torn down (128 + SIGINT). */
  interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** An error that should end the command with a given exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.usage,
  ) {
    super(message)
    this.name = 'CliError'
  }
}
