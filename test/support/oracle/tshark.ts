/**
 * Running tshark as the independent decoder. One tshark process per capture
 * file; its PDML is parsed as it streams.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { PdmlParser, type PdmlPacket } from './pdml.ts'

let cachedVersion: string | null | undefined

/** 'TShark (Wireshark) 4.0.17 ...' first line, or null when tshark is not installed. */
export function tsharkVersion(): string | null {
  if (cachedVersion === undefined) {
    const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' })
    cachedVersion = r.status === 0 ? (r.stdout.split('\n')[0] ?? '') : null
  }
  return cachedVersion
}

export function tsharkAvailable(): boolean {
  return tsharkVersion() !== null
}

/**
 * Options that make the dissection independent of the user's Wireshark
 * profile: no name resolution, PTP analysis off (it adds derived fields that
 * depend on packet order, not on the octets).
 */
const COMMON = ['-n', '-o', 'ptp.analyze_ptp_messages:FALSE']

/**
 * Dissects a whole capture and returns every packet as PDML. With `onlyPtp`
 * tshark is given the display filter `ptp`, so non-PTP frames are left out
 * (frame numbers stay those of the file).
 */
export async function tsharkPdml(file: string, opts: { onlyPtp?: boolean } = {}): Promise<PdmlPacket[]> {
  const packets: PdmlPacket[] = []
  const args = ['-r', file, ...COMMON, '-T', 'pdml']
  if (opts.onlyPtp) args.push('-Y', 'ptp')
  const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (d: string) => (stderr += d))
  const parser = new PdmlParser((p) => packets.push(p))
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? -1))
  })
  for await (const line of lines) parser.line(line)
  const code = await exited
  if (code !== 0) throw new Error(`tshark -r ${file} exited with ${code}: ${stderr.trim()}`)
  return packets
}

/** `tshark -r file -T fields -e F1 -e F2 ...`: one row per packet, one array of occurrences per field. */
export function tsharkFields(file: string, fields: readonly string[], filter?: string): string[][][] {
  // Occurrences of a field are joined with U+001F, which no PTP or comment text uses.
  const args = ['-r', file, ...COMMON, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=\u001f']
  for (const f of fields) args.push('-e', f)
  if (filter) args.push('-Y', filter)
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`tshark fields exited with ${r.status}: ${r.stderr}`)
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t').map((cell) => (cell === '' ? [] : cell.split('\u001f'))))
}
