/**
 * Talking to one ptp4l over its UNIX domain socket with pmc.
 *
 *   pmc -u -b 0 -s <uds> -d <domain> -t <transportSpecific> 'GET ...' ...
 *
 * -b 0: the request must not be forwarded to other ports. -d and -t must match
 * the DUT's configuration or ptp4l ignores the request (a gPTP config needs
 * -t 1). pmc exits 0 even when nobody answered, so "no reply" is detected
 * here, per command.
 *
 * UDS paths live in the filesystem, which all namespaces share: pmc runs in
 * the current namespace whatever namespace ptp4l is in.
 */
import { execFile } from 'node:child_process'
import { parsePmcOutput, type PmcReply, type PmcTranscript } from './pmc_text.ts'

export const PMC = '/usr/sbin/pmc'

export interface PmcTarget {
  uds: string
  domainNumber: number
  transportSpecific: number
}

export class PmcError extends Error {
  constructor(
    message: string,
    readonly transcript?: PmcTranscript,
  ) {
    super(message)
    this.name = 'PmcError'
  }
}

export function pmcArgs(t: PmcTarget, commands: string[]): string[] {
  return ['-u', '-b', '0', '-s', t.uds, '-d', String(t.domainNumber), '-t', t.transportSpecific.toString(16), ...commands]
}

/** Runs pmc once with several commands; returns the replies grouped per command (same order). */
export function pmcRun(t: PmcTarget, commands: string[], timeoutMs = 5000): Promise<{ perCommand: PmcReply[][]; transcript: PmcTranscript }> {
  return new Promise((resolve, reject) => {
    execFile(PMC, pmcArgs(t, commands), { encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
      const transcript = parsePmcOutput(stdout ?? '')
      if (err) return reject(new PmcError(`pmc failed (${err.message.trim()})${stderr ? `: ${stderr.trim()}` : ''}`, transcript))
      // pmc numbers its requests from 0 in the order sent; replies carry that seq.
      const perCommand = commands.map((_, i) => transcript.replies.filter((r) => r.seq === i))
      resolve({ perCommand, transcript })
    })
  })
}

/** GET one dataset; throws if nobody answered or the answer was an error. */
export async function pmcGet(t: PmcTarget, managementId: string): Promise<PmcReply[]> {
  const { perCommand } = await pmcRun(t, [`GET ${managementId}`])
  return checked(perCommand[0]!, `GET ${managementId}`, t)
}

export function checked(replies: PmcReply[], command: string, t: PmcTarget): PmcReply[] {
  if (replies.length === 0) throw new PmcError(`no reply to '${command}' from ${t.uds} (is ptp4l running? domain ${t.domainNumber}, transportSpecific ${t.transportSpecific})`)
  const err = replies.find((r) => r.error)
  if (err) throw new PmcError(`'${command}' answered MANAGEMENT_ERROR_STATUS by ${err.source}`)
  return replies
}

/** SET with the pmc syntax `SET <ID> <field> <value> ...`; returns the RESPONSE (ptp4l echoes the new value). */
export async function pmcSet(t: PmcTarget, managementId: string, args: string): Promise<PmcReply> {
  const cmd = `SET ${managementId} ${args}`.trim()
  const { perCommand } = await pmcRun(t, [cmd])
  return checked(perCommand[0]!, cmd, t)[0]!
}
