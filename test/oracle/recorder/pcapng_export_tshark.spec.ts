/**
 * A recorder export as Wireshark reads it: every frame (l2, UDPv4 and UDPv6, headers rebuilt
 * by the codec's framing encoder) dissects as PTP with the recorded message type and
 * sequenceId, UDP event/general ports are right, and the per-frame comments are there.
 */
import { test } from '@japa/runner'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestMaster } from '../../../harness/engines/test_master.ts'
import { TestSlave } from '../../../harness/engines/test_slave.ts'
import { mutate } from '../../../harness/engines/mutations.ts'
import { writeRecordingPcapng, type RecordedFrame } from '../../../harness/recorder/index.ts'
import { MESSAGE_TYPE_NAMES } from '../../../harness/codec/constants.ts'
import { tsharkAvailable, tsharkFields } from '../../support/oracle/tshark.ts'
import { SimulatedLink } from '../../support/engines/simulated_link.ts'

const noTshark = !tsharkAvailable()

function recording(): readonly RecordedFrame[] {
  const link = new SimulatedLink()
  link.add('gm', new TestMaster({
    name: 'gm', clockIdentity: '02aaaa.fffe.000001', logAnnounceInterval: -2, logSyncInterval: -3, logMinDelayReqInterval: -3,
    mutations: [mutate.followUpLate(200_000_000n, { kind: 'sequenceIds', ids: [2] })],
  }))
  link.add('slave', new TestSlave({ name: 'slave', clockIdentity: '02bbbb.fffe.000001', delayMechanism: 'E2E', logMinDelayReqInterval: -3 }))
  link.start()
  link.advance(1_500_000_000n)
  return link.recorder.frames
}

test.group('recorder / pcapng export read by tshark', (group) => {
  let dir = ''
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptp-conform-recorder-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  for (const transport of ['l2', 'udp4', 'udp6'] as const) {
    test(`${transport}: every frame dissects as the recorded PTP message, comments included`, ({ assert }) => {
      const frames = recording().map((f) => ({
        ...f,
        transport,
        ...(transport === 'udp4' ? { srcIp: f.direction === 'out' ? '192.0.2.1' : '192.0.2.2' } : {}),
        ...(transport === 'udp6' ? { srcIp: f.direction === 'out' ? '2001:db8::1' : '2001:db8::2' } : {}),
      }))
      const file = join(dir, `${transport}.pcapng`)
      writeRecordingPcapng(file, frames, { comment: `recorder export over ${transport}` })
      const rows = tsharkFields(file, ['ptp.v2.messagetype', 'ptp.v2.sequenceid', 'udp.dstport', 'frame.comment'])
      assert.lengthOf(rows, frames.length)
      const sorted = [...frames].sort((a, b) => (a.timestampNs! < b.timestampNs! ? -1 : a.timestampNs! > b.timestampNs! ? 1 : a.index - b.index))
      rows.forEach((row, i) => {
        const f = sorted[i]!
        const [type, seq, port] = row
        assert.equal(MESSAGE_TYPE_NAMES[Number(type![0])], f.message!.type, `frame ${i + 1}`)
        assert.equal(Number(seq![0]), f.message!.header.sequenceId, `frame ${i + 1}`)
        if (transport !== 'l2') {
          const event = ['Sync', 'Delay_Req', 'Pdelay_Req', 'Pdelay_Resp'].includes(f.message!.type)
          assert.equal(Number(port![0]), event ? 319 : 320, `frame ${i + 1} ${f.message!.type}`)
        }
      })
      const comments = rows.flatMap((r) => r[3] ?? [])
      assert.include(comments, 'injected: Follow_Up late +200 ms')
      assert.isTrue(comments.some((c) => c.startsWith('sent by slave: Delay_Req')))
    }).skip(noTshark, 'tshark is not installed')
  }
})
