/**
 * `fuzz` and `replay` refuse what they must before anything is built or sent: options that are
 * not theirs, lengths that are not lengths, a file that is no reproducer, frames of another
 * domain, a Management SET without --allow-set.
 */
import { test } from '@japa/runner'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeMessage } from '../../../harness/codec/message.ts'
import { buildManagement } from '../../../harness/codec/messages/management.ts'
import { run as fuzz } from '../../../harness/cli/commands/fuzz.ts'
import { run as replay } from '../../../harness/cli/commands/replay.ts'
import { reproducerPcapng } from '../../../harness/fuzz/reproducer.ts'
import { Recorder } from '../../../harness/recorder/recorder.ts'

const dir = mkdtempSync(join(tmpdir(), 'ptpc-fuzz-cli-'))
const meta = { seed: 3, profile: 'default-e2e', transport: 'l2' as const, domainNumber: 0, grandmaster: { clockIdentity: '020000.fffe.000041', portNumber: 1 }, stranger: { clockIdentity: '020000.fffe.000043', portNumber: 1 }, cases: [{ id: '2.5', description: 'field: Management from the stranger' }], problems: [] }

function reproducerWith(octets: Uint8Array, name: string): string {
  const r = new Recorder()
  r.record({ direction: 'out', port: 'h', transport: 'l2', timestampNs: 1_000n, bytes: octets, reason: { source: 'fuzz', step: 'case 2.5 from the stranger', mutations: [] }, srcMac: '02:00:00:00:00:01', dstMac: '01:1b:19:00:00:00' })
  const file = join(dir, name)
  writeFileSync(file, reproducerPcapng(r.frames, meta, () => 'stranger', () => '2.5'))
  return file
}
const management = (action: 'GET' | 'SET') => encodeMessage(buildManagement({ actionField: action, managementId: 0x2005, header: { domainNumber: 0, sourcePortIdentity: meta.stranger, sequenceId: 1 } }))

test('fuzz takes only ROB-08 and positive lengths', async ({ assert }) => {
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--tests', 'INT-01']), /fuzz runs ROB-08 only: --tests/)
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--minutes', '0']), /--minutes must be a positive number/)
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--seed', '1.5']), /--seed must be a positive integer/)
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--minutes']), /--minutes needs a value/)
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--max-failures=0']), /--max-failures must be a positive integer/)
  await assert.rejects(() => fuzz(['--profile', 'default', '--lab', '--dut-impl', 'ptp4l,ptpd']), /one --dut-impl/)
})

test('replay needs a reproducer first, and refuses a capture that is none', async ({ assert }) => {
  assert.equal(await replay([]), 2)
  await assert.rejects(() => replay(['--lab']), /reproducer FILE comes first/)
  const junk = join(dir, 'junk.pcapng')
  writeFileSync(junk, 'not a capture')
  await assert.rejects(() => replay([junk, '--lab']), /not a capture file/)
  await assert.rejects(() => replay([join(dir, 'missing.pcapng'), '--lab']), /ENOENT/)
})

test('replay refuses frames outside the run\'s domain and a Management SET without --allow-set, before building anything', async ({ assert }) => {
  const get = reproducerWith(management('GET'), 'get.pcapng')
  await assert.rejects(() => replay([get, '--lab', '--domain', '5']), /refusing to replay .*frame 1 \(case 2\.5\): domainNumber 0, the run's is 5/)
  const set = reproducerWith(management('SET'), 'set.pcapng')
  await assert.rejects(() => replay([set, '--lab']), /refusing to replay .*a Management SET \(pass --allow-set/)
})
