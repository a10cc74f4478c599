/**
 * MF-04 — the DUT's clockIdentity. It is an EUI-64 (IEEE 1588-2019 7.5.2.2); all zeros and
 * all ones are not identities (all ones is the wildcard that addresses every clock). Building
 * it from an EUI-48 by inserting FF-FE, as linuxptp and ptpd do, is deprecated by 1588-2019
 * (7.5.2.2.2): reported, not failed. A grandmaster announces its own identity as
 * grandmasterIdentity (stepsRemoved 0; 9.3.5 Table 30, parentDS = defaultDS).
 */
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import { type Check, describeFrame, dutFrames, type RecordedFrame, passiveOnDutMaster } from '../kit.ts'

const RESERVED: Record<string, string> = { '000000.0000.000000': 'all zeros', 'ffffff.ffff.ffffff': 'all ones (the wildcard)' }
const what = describeFrame

export default passiveOnDutMaster({
  id: 'MF-04',
  title: 'clockIdentity form',
  area: 'MF',
  clause: 'IEEE 1588-2019 7.5.2.2, 9.3.5',
  mapsTo: ['OCP DC profile 6.5'],
  tags: ['passive', 'format', 'fast'],
  severity: 'normal',
  estimatedSeconds: 25,
  criteria: {
    pass: 'the DUT\'s clockIdentity is neither all zeros nor all ones, and its Announce (stepsRemoved 0) names it as grandmasterIdentity; an FF-FE identity from an EUI-48 is reported as deprecated',
    fail: 'a clockIdentity of all zeros or all ones, or a grandmaster announcing another grandmasterIdentity than its own',
  },
  judgeObserved(ev, profile) {
    const frames = dutFrames(ev.data.observation, ev.session.domainNumber).filter((f) => f.message)
    const ids = [...new Set(frames.map((f) => normalizeClockIdentity(f.message!.header.sourcePortIdentity.clockIdentity)))]
    const checks: Check[] = []
    const reserved = ids.filter((id) => RESERVED[id])
    checks.push({
      name: 'clockIdentity is not a reserved value',
      measured: ids.join(', '),
      limit: 'not all zeros, not all ones',
      source: 'IEEE 1588-2019 7.5.2.2 (clockIdentity, an EUI-64; all ones is the wildcard identity)',
      verdict: reserved.length ? 'fail' : 'pass',
      ...(reserved.length ? { detail: reserved.map((id) => `${id} is ${RESERVED[id]}`).join('; ') } : {}),
    })
    const ffFe = ids.filter((id) => !RESERVED[id] && id.slice(7, 11) === 'fffe')
    checks.push({
      name: 'clockIdentity built from an EUI-48 by inserting FF-FE (deprecated)',
      measured: ffFe.length ? 'yes' : 'no',
      limit: 'reported only',
      source: 'IEEE 1588-2019 7.5.2.2.2 (the EUI-48 mapping of 1588-2008 is deprecated)',
      verdict: 'pass',
      detail: ffFe.length ? `${ffFe.join(', ')}: octets 3–4 are FF FE; 1588-2019 asks for an EUI-64 assigned as one, which a 1588-2008 device is not required to have` : 'an EUI-64 not derived from an EUI-48',
    })
    const own = frames.filter((f) => f.message!.type === 'Announce' && f.message!.stepsRemoved === 0)
    const other = own.filter((f) => f.message!.type === 'Announce' && normalizeClockIdentity(f.message!.grandmasterIdentity) !== normalizeClockIdentity(f.message!.header.sourcePortIdentity.clockIdentity))
    if (own.length) {
      checks.push({
        name: 'grandmasterIdentity of its own Announce (stepsRemoved 0) is its clockIdentity',
        measured: other.length,
        limit: '= 0 Announce naming another',
        source: 'IEEE 1588-2019 9.3.5 (Table 30: a grandmaster\'s parentDS.grandmasterIdentity = defaultDS.clockIdentity), 13.5.2',
        verdict: other.length ? 'fail' : 'pass',
        detail: other.length
          ? `${other.length} of ${own.length}, e.g. ${what(other[0]!)} names ${other[0]!.message!.type === 'Announce' ? other[0]!.message!.grandmasterIdentity : ''}`
          : `${own.length} Announce`,
      })
    }
    return { checks }
  },
})
