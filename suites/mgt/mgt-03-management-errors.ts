/**
 * MGT-03 — a management request the DUT cannot serve is refused, never met with silence
 * (IEEE 1588-2019 15.5.4): a GET of a managementId 1588 does not define is answered with
 * MANAGEMENT_ERROR_STATUS NO_SUCH_ID, and a GET of every managementId 1588 defines for an
 * ordinary clock gets an answer (its data, or an error status such as NOT_SUPPORTED).
 * Only GETs are sent: COMMAND ids (INITIALIZE, ENABLE_PORT, ...) are left out, because a
 * faulty DUT could act on them. Requests go to the wildcard target, as pmc sends them (ptpd
 * 2.3.1 ignores one addressed to its own clockIdentity); answers are judged by their source.
 * Evidence: every request with its time and every answer.
 */
import { ManagementId } from '../../harness/codec/constants.ts'
import { normalizeClockIdentity } from '../../harness/codec/clock_identity.ts'
import type { ManagementAnswer } from '../../harness/management/client.ts'
import { type Check, conformance } from '../kit.ts'

/** managementIds in ranges 1588-2019 Table 59 leaves reserved: no clock may recognise them. */
export const UNASSIGNED_IDS = [0x1fff, 0x3fff] as const

/** COMMAND-only ids (1588-2019 15.5.3): a GET of them is not sent, in case a DUT acts on it. */
const COMMAND_IDS: ReadonlySet<number> = new Set([
  ManagementId.SAVE_IN_NON_VOLATILE_STORAGE,
  ManagementId.RESET_NON_VOLATILE_STORAGE,
  ManagementId.INITIALIZE,
  ManagementId.FAULT_LOG_RESET,
  ManagementId.ENABLE_PORT,
  ManagementId.DISABLE_PORT,
])

/** The ids 1588 defines (below 0xC000, the implementation-specific range), COMMAND-only ones left out. */
export const DEFINED_GET_IDS: readonly { id: number; name: string }[] = Object.entries(ManagementId)
  .filter(([, id]) => id < 0xc000 && !COMMAND_IDS.has(id))
  .map(([name, id]) => ({ id, name }))

const TIMEOUT_MS = 500
const READY_TIMEOUT_MS = 10_000

export interface ProbeAnswer {
  sourceKey: string
  action: string
  managementId: number
  /** The dataField's name, for a RESPONSE with data. */
  data?: string
  error?: { managementErrorId: number; name: string }
  rxTimestampNs: bigint | null
}

export interface Probe {
  managementId: number
  name: string
  kind: 'unassigned' | 'defined'
  /** ms after the first request. */
  sentAtMs: number
  timeoutMs: number
  answers: ProbeAnswer[]
  /** Answers to this request that could not be read as one (malformed, or without a management TLV). */
  undecodable: string[]
  /** The request could not be sent (harness side). */
  sendError?: string
}

export interface ManagementErrorsEvidence {
  claimsWireManagement: boolean
  implementation: string
  /** The DUT's clockIdentity as its state source reported it: its answers are the ones judged. */
  dutClockIdentity?: string
  domainNumber: number
  /** The start-up wait: GET DEFAULT_DATA_SET attempts until the DUT first answered (afterMs absent: it never did). */
  ready?: { attempts: number; afterMs?: number }
  probes: Probe[]
}

export const probeAnswer = (a: ManagementAnswer): ProbeAnswer => ({
  sourceKey: a.sourceKey,
  action: a.action,
  managementId: a.managementId,
  ...(a.data ? { data: a.data.name } : {}),
  ...(a.error ? { error: { managementErrorId: a.error.managementErrorId, name: a.error.name } } : {}),
  rxTimestampNs: a.rxTimestampNs,
})

const hex = (id: number) => `0x${id.toString(16).toUpperCase().padStart(4, '0')}`
const said = (a: ProbeAnswer): string => (a.error ? `${a.action} MANAGEMENT_ERROR_STATUS ${a.error.name}` : `${a.action} ${a.data ?? 'MANAGEMENT'}`)

export default conformance<ManagementErrorsEvidence>({
  id: 'MGT-03',
  title: 'Unknown and unimplemented managementIds are refused with MANAGEMENT_ERROR_STATUS, never silence',
  area: 'MGT',
  clause: 'IEEE 1588-2019 15.5.4 (MANAGEMENT_ERROR_STATUS), 15.5.2.3 Table 59',
  mapsTo: ['facebook/time ptp/protocol doc.go MANAGEMENT_ERROR_STATUS', 'linuxptp port.c port_manage (NO_SUCH_ID, NOT_SUPPORTED)'],
  tags: ['management', 'fast'],
  severity: 'minor',
  fixture: 'dut-master',
  estimatedSeconds: 4,
  criteria: {
    pass: `a GET of an unassigned managementId (${UNASSIGNED_IDS.map(hex).join(', ')}) is answered with MANAGEMENT_ERROR_STATUS NO_SUCH_ID, and every GET of a defined managementId gets data or an error status`,
    fail: 'an unassigned managementId gets silence, data or another error than NO_SUCH_ID, or a defined managementId gets no answer',
  },
  appliesTo: (p) => (p.unusedMessages.some((u) => u.message === 'Management') ? `profile ${p.id} does not use PTP management messages` : true),
  async acquire(ctx) {
    await ctx.session.ensureDut('master', ctx.signal)
    const desc = await ctx.session.dutDescription()
    let dutClockIdentity: string | undefined
    try {
      const id = (await ctx.session.dut.readState()).clockIdentity
      // A DUT just started may report an all-zero identity (ptpd before its first status write).
      if (id && !/^[0.]+$/.test(id)) dutClockIdentity = id
    } catch {
      // No state source: every answer but the harness's own is taken as the DUT's.
    }
    const client = ctx.session.managementClient()
    const probes: Probe[] = []
    let ready: ManagementErrorsEvidence['ready']
    try {
      // A DUT just started may not serve management yet: wait (bounded) until it answers a GET
      // MGT-01 requires anyway, so silence below is not start-up.
      ctx.step(`waiting up to ${READY_TIMEOUT_MS / 1000} s for the DUT to answer GET DEFAULT_DATA_SET`)
      const r0 = Date.now()
      let attempts = 0
      while (Date.now() - r0 < READY_TIMEOUT_MS && !ctx.signal.aborted) {
        attempts++
        const r = await client.get('DEFAULT_DATA_SET', { timeoutMs: TIMEOUT_MS, ...(dutClockIdentity ? { expectFrom: dutClockIdentity } : { expect: 1 }) }).catch(() => undefined)
        const a = r?.answers.find((x) => (dutClockIdentity ? normalizeClockIdentity(x.source.clockIdentity) === normalizeClockIdentity(dutClockIdentity) : true))
        if (a) {
          dutClockIdentity ??= a.source.clockIdentity
          ready = { attempts, afterMs: Date.now() - r0 }
          break
        }
      }
      ready ??= { attempts }
      const plan = [...UNASSIGNED_IDS.map((id) => ({ id, name: `unassigned ${hex(id)}`, kind: 'unassigned' as const })), ...DEFINED_GET_IDS.map((d) => ({ ...d, kind: 'defined' as const }))]
      ctx.step(`GET of ${plan.length} managementIds, ${UNASSIGNED_IDS.length} of them unassigned${dutClockIdentity ? ` (answers judged from ${dutClockIdentity})` : ''}`)
      const t0 = Date.now()
      for (const p of plan) {
        const probe: Probe = { managementId: p.id, name: p.name, kind: p.kind, sentAtMs: Date.now() - t0, timeoutMs: TIMEOUT_MS, answers: [], undecodable: [] }
        try {
          const r = await client.get(p.id, { timeoutMs: TIMEOUT_MS, ...(dutClockIdentity ? { expectFrom: dutClockIdentity } : {}) })
          probe.answers = r.answers.map(probeAnswer)
          probe.undecodable = r.undecodable.map((u) => `${u.from ? `from ${u.from}: ` : ''}${u.error}`)
        } catch (e) {
          probe.sendError = (e as Error).message
        }
        probes.push(probe)
      }
    } finally {
      client.close()
    }
    return { claimsWireManagement: desc.capabilities.wireManagement, implementation: `${desc.implementation} ${desc.version}`, ...(dutClockIdentity ? { dutClockIdentity } : {}), domainNumber: ctx.session.domainNumber, ready, probes }
  },
  judge(ev) {
    const d = ev.data
    const dut = d.dutClockIdentity ? normalizeClockIdentity(d.dutClockIdentity) : undefined
    const harness = new Set(ev.session.harnessClockIdentities.map((c) => normalizeClockIdentity(c)))
    const clockOf = (key: string) => normalizeClockIdentity(key.split('-')[0]!)
    const fromDut = (a: ProbeAnswer) => (dut ? clockOf(a.sourceKey) === dut : !harness.has(clockOf(a.sourceKey)))
    const mine = (p: Probe) => p.answers.filter(fromDut)
    const sent = d.probes.filter((p) => !p.sendError)
    if (!sent.length) {
      const why = d.probes[0]?.sendError ?? 'no request planned'
      return { checks: [{ name: 'management requests sent', measured: 0, limit: `${d.probes.length}`, source: 'harness', verdict: 'inconclusive', detail: `the harness could not send its requests: ${why}` }] }
    }
    const who = dut ? `the DUT (${dut})` : 'the DUT'
    if (!sent.some((p) => mine(p).length)) {
      const others = sent.flatMap((p) => p.answers).map((a) => a.sourceKey)
      const what = `${sent.length} GETs in domain ${d.domainNumber} over ${sent.at(-1)!.sentAtMs + TIMEOUT_MS} ms, ${TIMEOUT_MS} ms each; no answer from ${who}${others.length ? `; answers from ${[...new Set(others)].join(', ')}` : ''}${d.ready && d.ready.afterMs === undefined ? `; before them ${d.ready.attempts} GET DEFAULT_DATA_SET over ${READY_TIMEOUT_MS / 1000} s went unanswered` : ''}`
      if (!d.claimsWireManagement) {
        return { checks: [{ name: 'the DUT answers PTP management on the wire', measured: 'no answer', limit: 'applies to DUTs that answer wire management', source: 'IEEE 1588-2019 15.1 (management is optional)', verdict: 'not-applicable', detail: `${d.implementation} does not claim wire management; ${what}` }], reason: `${d.implementation} does not answer PTP management on the wire` }
      }
      return { checks: [{ name: 'the DUT answers PTP management on the wire', measured: 0, limit: `≥ 1 answer to ${sent.length} GETs`, source: 'IEEE 1588-2019 15.3.3, 15.5.4', verdict: 'fail', detail: `${d.implementation} claims wire management; ${what}` }] }
    }
    const checks: Check[] = []
    for (const p of sent.filter((x) => x.kind === 'unassigned')) {
      const answers = mine(p)
      const ok = answers.length > 0 && answers.every((a) => a.action === 'RESPONSE' && a.error?.name === 'NO_SUCH_ID')
      checks.push({
        name: `GET of unassigned managementId ${hex(p.managementId)} refused with NO_SUCH_ID`,
        measured: answers.map(said).join(', ') || 'no answer',
        limit: 'RESPONSE MANAGEMENT_ERROR_STATUS NO_SUCH_ID',
        source: 'IEEE 1588-2019 15.5.4 (managementErrorId NO_SUCH_ID: the managementId is not recognised), 15.5.2.3 Table 59 (reserved range)',
        verdict: ok ? 'pass' : 'fail',
        detail: `sent at ${p.sentAtMs} ms, window ${p.timeoutMs} ms${p.undecodable.length ? `; unreadable answer(s): ${p.undecodable.join('; ')}` : ''}`,
      })
    }
    const defined = sent.filter((x) => x.kind === 'defined')
    if (defined.length) {
      const silent = defined.filter((p) => !mine(p).length)
      checks.push({
        name: 'every GET of a managementId 1588 defines is answered (data or MANAGEMENT_ERROR_STATUS)',
        measured: `${defined.length - silent.length} of ${defined.length}`,
        limit: `${defined.length} of ${defined.length}`,
        source: 'IEEE 1588-2019 15.3.3 (a GET is answered with a RESPONSE), 15.5.4 (NOT_SUPPORTED for an id a node does not implement)',
        verdict: silent.length ? 'fail' : 'pass',
        detail: silent.length
          ? `no answer within ${TIMEOUT_MS} ms to GET ${silent.map((p) => `${p.name} (${hex(p.managementId)}) at ${p.sentAtMs} ms${p.undecodable.length ? ` (unreadable answer: ${p.undecodable.join('; ')})` : ''}`).join(', ')}`
          : `${defined.filter((p) => mine(p).some((a) => a.error)).length} refused with an error status, the rest answered with data`,
      })
    }
    return {
      checks,
      measurements: { answers: sent.map((p) => ({ request: `${p.name} ${hex(p.managementId)}`, sentAtMs: p.sentAtMs, answers: mine(p).map(said) })) },
    }
  },
})
