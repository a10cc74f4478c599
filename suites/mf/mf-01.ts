/**
 * MF-01 — header sanity of everything the DUT sends: versionPTP, the edition it
 * speaks (minorVersionPTP, controlField convention) against what the profile accepts,
 * messageLength against the frame, reserved fields, and correctionField zero where
 * it carries nothing (Announce, Signaling, Management). Every structural finding the
 * codec raised is a failure with its field, offset and clause.
 */
import { conformance } from '../../harness/run/definition.ts'
import { type Check, exactCheck } from '../../harness/verdict/verdict.ts'
import { attachObservation, observeDutMaster } from '../support/observation.ts'

const LEGACY_CONTROL: Record<string, number> = { Sync: 0, Delay_Req: 1, Follow_Up: 2, Delay_Resp: 3, Management: 4 }

export default conformance({
  id: 'MF-01',
  title: 'Header sanity: version, lengths, reserved fields, correctionField',
  area: 'MF',
  clause: 'IEEE 1588-2019 13.3.2, 13.3.2.9 (correctionField), 13.3.2.13 (controlField)',
  mapsTo: ['Wireshark PTP expert info'],
  tags: ['passive', 'format', 'fast'],
  severity: 'critical',
  fixture: 'dut-master',
  estimatedSeconds: 25,
  appliesTo: () => true,
  async run(ctx) {
    const o = await observeDutMaster(ctx)
    attachObservation(ctx, o)
    const v = ctx.profile.version
    const frames = o.fromDut
    const decoded = frames.filter((f) => f.message)
    const checks: Check[] = []
    checks.push(exactCheck('undecodable frames from the DUT', frames.length - decoded.length, 0, 'IEEE 1588-2019 13.3', { detail: frames.find((f) => !f.message)?.decodeError }))
    if (decoded.length === 0) return { checks, reason: 'the DUT sent nothing decodable' }

    const badVersion = decoded.filter((f) => f.message!.header.versionPTP !== v.versionPTP.value)
    checks.push(exactCheck('messages with versionPTP ≠ 2', badVersion.length, 0, v.versionPTP.source))

    const minors = [...new Set(decoded.map((f) => f.message!.header.minorVersionPTP))]
    const minorOk = minors.every((m) => v.minorVersionsAccepted.includes(m))
    const edition = minors.map((m) => (m === 0 ? '1588-2008 (minorVersionPTP 0)' : m === 1 ? '1588-2019 (minorVersionPTP 1)' : `minorVersionPTP ${m}`)).join(', ')
    checks.push({ name: 'edition spoken (minorVersionPTP)', measured: edition, limit: `one of ${v.minorVersionsAccepted.join(', ')}`, source: v.source, verdict: minorOk ? 'pass' : 'fail' })

    const legacy = decoded.every((f) => f.message!.header.controlField === (LEGACY_CONTROL[f.message!.type] ?? 5))
    const zero = decoded.every((f) => f.message!.header.controlField === 0)
    const convention = legacy ? 'legacy' : zero ? 'zero' : 'mixed'
    checks.push({
      name: 'controlField convention',
      measured: convention,
      limit: `one of ${v.controlFieldAccepted.join(', ')}`,
      source: 'IEEE 1588-2019 13.3.2.13; 1588-2008 Table 23',
      verdict: convention !== 'mixed' && v.controlFieldAccepted.includes(convention) ? 'pass' : 'fail',
    })

    const mustBeZero = decoded.filter((f) => ['Announce', 'Signaling', 'Management'].includes(f.message!.type) && f.message!.header.correctionField !== 0n)
    checks.push(exactCheck('Announce/Signaling/Management with correctionField ≠ 0', mustBeZero.length, 0, 'IEEE 1588-2019 13.3.2.9'))

    const errors = decoded.flatMap((f) => f.findings.filter((x) => x.severity === 'error').map((x) => ({ frame: f.index, type: f.message!.type, ...x })))
    const lengthErrors = errors.filter((e) => /messageLength|length/i.test(e.field))
    const reservedErrors = errors.filter((e) => /reserved/i.test(e.field) || /reserved/i.test(e.message))
    const first = (l: typeof errors) => (l[0] ? `e.g. ${l[0].type} frame #${l[0].frame}: ${l[0].field} at octet ${l[0].offset}: ${l[0].message} (${l[0].clause})` : undefined)
    checks.push(exactCheck('length findings (messageLength, TLV lengths)', lengthErrors.length, 0, 'IEEE 1588-2019 13.3.2.4, 14.1', { detail: first(lengthErrors) }))
    checks.push(exactCheck('reserved fields not zero', reservedErrors.length, 0, 'IEEE 1588-2019 13.3', { detail: first(reservedErrors) }))
    const other = errors.filter((e) => !lengthErrors.includes(e) && !reservedErrors.includes(e))
    checks.push(exactCheck('other structural findings', other.length, 0, 'IEEE 1588-2019 13, 14', { detail: first(other) }))
    return {
      checks,
      measurements: {
        framesFromDut: frames.length,
        byType: Object.fromEntries([...new Set(decoded.map((f) => f.message!.type))].map((t) => [t, decoded.filter((f) => f.message!.type === t).length])),
        editionSeen: edition,
        controlFieldConvention: convention,
        findings: errors.slice(0, 50),
      },
    }
  },
})
