/**
 * MF-02 — flags and the UTC offset, judged on the DUT's own frames. unicastFlag says how the
 * message was addressed (Table 37), so it must match the destination the capture recorded.
 * In Announce, leap61 and leap59 cannot both be set, and a grandmaster that declares its
 * currentUtcOffset valid must announce TAI − UTC at that moment (37 s since 2017-01-01); one
 * that does not declare it valid is not judged on the value. Which message types may carry
 * which flag is MF-01's; whether two-step Syncs are followed up is MF-03's.
 */
import { FLAG_CURRENT_UTC_OFFSET_VALID, FLAG_LEAP59, FLAG_LEAP61, FLAG_PTP_TIMESCALE, FLAG_UNICAST } from '../../harness/codec/constants.ts'
import { TAI_MINUS_UTC_SOURCE, taiMinusUtcAt } from '../../harness/time/utc_offset.ts'
import { type Check, describeFrame, dutFrames, type RecordedFrame, passiveOnDutMaster } from '../kit.ts'
import { sentToUnicast } from '../support/destination.ts'

const TABLE_37 = 'IEEE 1588-2019 13.3.2.8, Table 37'
const what = describeFrame
const some = (xs: string[], n = 3) => xs.slice(0, n).join('; ') + (xs.length > n ? `; … ${xs.length - n} more` : '')

export default passiveOnDutMaster({
  id: 'MF-02',
  title: 'Flags and the UTC offset',
  area: 'MF',
  clause: 'IEEE 1588-2019 13.3.2.8 (Table 37), 7.2.3, 8.2.4',
  mapsTo: ['OCP DC profile 6.14 (unicastFlag)', 'Avnu 12.05a–c (ptpTimescale, currentUtcOffsetValid)'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  estimatedSeconds: 25,
  criteria: {
    pass: 'unicastFlag set exactly on the messages sent to a unicast address; no Announce with both leap61 and leap59; while currentUtcOffsetValid is set, currentUtcOffset equals TAI − UTC at that time',
    fail: 'unicastFlag on a multicast message or missing on a unicast one; leap61 and leap59 both set; a valid-declared currentUtcOffset other than TAI − UTC (e.g. 36 s in 2026)',
  },
  judgeObserved(ev, profile) {
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber).filter((f) => f.message)
    const checks: Check[] = []

    // unicastFlag against the destination each frame was recorded with.
    const wrongFlag: string[] = []
    let judged = 0
    for (const f of frames) {
      const unicast = sentToUnicast(f)
      if (unicast === undefined) continue
      judged++
      const flag = (f.message!.header.flagField & FLAG_UNICAST) !== 0
      if (flag !== unicast) wrongFlag.push(`${what(f)} to ${f.dstIp ?? f.dstMac} with unicastFlag ${flag ? 'set' : 'clear'}`)
    }
    checks.push({
      name: 'unicastFlag matches the destination address',
      measured: wrongFlag.length,
      limit: '= 0',
      source: `${TABLE_37} (unicastFlag: TRUE if the message was sent to a unicast address)`,
      verdict: judged === 0 ? 'not-applicable' : wrongFlag.length ? 'fail' : 'pass',
      detail: judged === 0 ? 'no frame kept its destination address' : wrongFlag.length ? `${wrongFlag.length} of ${judged}: ${some(wrongFlag)}` : `${judged} frames`,
    })

    const announces = frames.filter((f) => f.message!.type === 'Announce')
    if (announces.length) {
      const both = announces.filter((f) => (f.message!.header.flagField & (FLAG_LEAP59 | FLAG_LEAP61)) === (FLAG_LEAP59 | FLAG_LEAP61))
      checks.push({
        name: 'Announce with leap61 and leap59 both set',
        measured: both.length,
        limit: '= 0',
        source: `${TABLE_37} (leap61: the last minute of the UTC day has 61 s; leap59: 59 s)`,
        verdict: both.length ? 'fail' : 'pass',
        ...(both.length ? { detail: some(both.map(what)) } : {}),
      })

      // currentUtcOffset, where the DUT declares it valid and the frame's UTC time is known.
      const valid = announces.filter((f) => (f.message!.header.flagField & FLAG_CURRENT_UTC_OFFSET_VALID) !== 0)
      const wrong: string[] = []
      const values = new Set<number>()
      let dated = 0
      for (const f of valid) {
        const m = f.message!
        if (m.type !== 'Announce' || f.timestampNs === null) continue
        const expected = taiMinusUtcAt(f.timestampNs)
        if (expected === undefined) continue
        dated++
        values.add(m.currentUtcOffset)
        // Announced leap seconds change the offset at the end of the UTC day: either side is right that day.
        const leap = m.header.flagField & FLAG_LEAP61 ? 1 : m.header.flagField & FLAG_LEAP59 ? -1 : 0
        if (m.currentUtcOffset !== expected && m.currentUtcOffset !== expected + leap) wrong.push(`${what(f)} says ${m.currentUtcOffset} s, TAI − UTC is ${expected} s`)
      }
      const ptpTimescale = valid.some((f) => (f.message!.header.flagField & FLAG_PTP_TIMESCALE) !== 0)
      checks.push({
        name: 'currentUtcOffset equals TAI − UTC while declared valid',
        measured: valid.length === 0 ? 'not declared valid' : [...values].join(', ') || 'undated',
        unit: valid.length && values.size ? 's' : undefined,
        limit: '= TAI − UTC at the frame\'s time (37 s since 2017-01-01)',
        source: TAI_MINUS_UTC_SOURCE,
        verdict: valid.length === 0 || dated === 0 ? 'not-applicable' : wrong.length ? 'fail' : 'pass',
        detail:
          valid.length === 0
            ? `none of ${announces.length} Announce sets currentUtcOffsetValid, so the value is not a claim${announces.some((f) => (f.message!.header.flagField & FLAG_PTP_TIMESCALE) === 0) ? ' (ARB timescale announced)' : ''}`
            : dated === 0
              ? 'no frame time the TAI − UTC table covers'
              : wrong.length
                ? `${wrong.length} of ${dated}: ${some(wrong)}`
                : `${dated} Announce${ptpTimescale ? ' on the PTP timescale' : ''}`,
      })
    }
    return { checks }
  },
})
