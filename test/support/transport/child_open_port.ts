/**
 * Child process for the transport tests: opens one port, sends one frame,
 * closes, and prints a JSON line. Used (a) with capabilities dropped, to see
 * the privilege error, and (b) to prove that a process whose ports are closed
 * exits by itself.
 * argv: <netns> <interface> <transport>
 */
import { openPort } from '../../../harness/transport/index.ts'
import { ptpMessage } from './ptp_message.ts'

const [netns, ifname, transport] = process.argv.slice(2) as [string, string, 'l2' | 'udp4' | 'udp6']
try {
  const port = openPort({ interface: ifname, netns, transport })
  const tx = await port.send(ptpMessage(0, 1))
  port.close()
  console.log(JSON.stringify({ ok: true, txTimestampNs: tx.txTimestampNs.toString() }))
} catch (err) {
  const e = err as { code?: string; message?: string }
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }))
}
