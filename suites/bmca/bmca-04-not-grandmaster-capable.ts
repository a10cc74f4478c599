/**
 * BMCA-04 — a DUT configured as not grandmaster-capable never acts as grandmaster, even
 * alone on its link: slaveOnly (1588-2019 9.2.2: never MASTER), clockClass 255 (Table 4:
 * "slave-only"), and under 802.1AS priority1 255 ("not grandmaster-capable", 802.1AS-2020
 * 8.6.2.1; gmPresent FALSE, 10.3.12). As a control, the same DUT as an ordinary clock
 * alone must become grandmaster and send Sync: it proves the harness would see one.
 * Judged from the recording (Announce/Sync from the DUT) and the polled port states.
 */
import { systemTimeNs } from '../../harness/transport/index.ts'
import { type Check, conformance, logIntervalToNs, type Recorder, type RecordedFrame, logIntervalToMs } from '../kit.ts'
import { startMasters, type StateRead, watchState } from '../support/grandmasters.ts'

export type NotGmConfig = 'ordinary clock (control)' | 'slaveOnly' | 'clockClass 255' | 'priority1 255'

export interface NotGmCase {
  config: NotGmConfig
  /** How the configuration was put in force. */
  how: string
  /** Why the case did not run (the DUT cannot be put in this configuration on this run). */
  skipped?: string
  configuredAtNs: bigint
  endNs: bigint
  history: StateRead[]
  recorder?: Recorder
}

const GM_STATES = new Set(['MASTER', 'PRE_MASTER'])

/** What the DUT sent as a master after it was configured: Announce and Sync (any domain: a GM is a GM). */
function masterFrames(c: NotGmCase): RecordedFrame[] {
  return (c.recorder?.frames ?? []).filter((f) => f.direction === 'in' && (f.message?.type === 'Sync' || f.message?.type === 'Announce') && f.timestampNs !== null && f.timestampNs >= c.configuredAtNs)
}

export default conformance<{ cases: NotGmCase[] }>({
  id: 'BMCA-04',
  title: 'A DUT that is not grandmaster-capable never sends Sync as grandmaster',
  area: 'BMCA',
  clause: 'IEEE 1588-2019 9.2.2, 7.6.2.5 Table 4; IEEE 802.1AS-2020 8.6.2.1, 10.3.12',
  mapsTo: ['OpenAvnu PR #372', 'IEEE 802.1AS 10.3.12'],
  tags: ['active', 'bmca'],
  severity: 'critical',
  fixture: 'dut-slave',
  estimatedSeconds: 25,
  criteria: {
    pass: 'configured slaveOnly or clockClass 255, the DUT alone on its link sends no Sync or Announce and never enters MASTER; with (802.1AS) priority1 255 it sends no Sync; as an ordinary clock it does',
    fail: 'a slave-only DUT sends Sync or Announce or reports MASTER, an 802.1AS DUT with priority1 255 sends Sync, or the DUT as an ordinary clock alone never becomes grandmaster',
  },
  appliesTo: () => true,
  async acquire(ctx) {
    const s = ctx.session.dutSettings
    // Long enough for an ordinary clock alone to leave LISTENING (N + U(0,1] intervals) and announce twice.
    const observeMs = (s.announceReceiptTimeout.value + 4) * logIntervalToMs(s.intervals.announce.value)
    const cases: NotGmCase[] = []
    const observe = async (config: NotGmConfig, role: 'slave' | 'auto', how: string, configure?: () => Promise<void>) => {
      ctx.step(`${config}: the DUT alone on its link for ${observeMs} ms`)
      // No grandmaster, only the link peer a P2P DUT needs to become asCapable.
      const m = await startMasters(ctx, [], { freshDut: true, role })
      const c: NotGmCase = { config, how, configuredAtNs: systemTimeNs(), endNs: 0n, history: [], recorder: m.handle.recorder }
      try {
        if (configure) await configure()
        c.configuredAtNs = systemTimeNs()
        c.history = await watchState(ctx, observeMs, 250)
      } catch (err) {
        c.skipped = `could not configure: ${(err as Error).message}`
      } finally {
        c.endNs = systemTimeNs()
        await m.close()
      }
      cases.push(c)
    }
    await observe('ordinary clock (control)', 'auto', `role auto with the configured settings (priority1 ${s.priority1.value}, clockClass ${s.clockClass.value})`)
    if (s.clockClass.value === 255) await observe('clockClass 255', 'auto', `clockClass 255 (${s.clockClass.origin}), not slaveOnly`)
    else cases.push({ config: 'clockClass 255', how: 'not configured', skipped: `the DUT is configured with clockClass ${s.clockClass.value} (${s.clockClass.origin}); run with --dut-option clockClass=255 to test it`, configuredAtNs: 0n, endNs: 0n, history: [] })
    if (ctx.profile.bmca.variant === '802.1as') {
      await observe('priority1 255', 'auto', 'priority1 set to 255 through the DUT adapter right after start', async () => {
        await ctx.session.dut.set('priority1', 255)
      })
      // Put the configured priority1 back for the tests that follow.
      await ctx.session.restartDut('slave', ctx.signal)
    }
    // A device whose BMCA decides its role (DUT file roles: auto) cannot be made slave-only by the harness.
    const roles = (await ctx.session.dutDescription()).capabilities.roles
    if (ctx.session.mode === 'device' && !roles.includes('slave')) {
      cases.push({ config: 'slaveOnly', how: 'not configurable', skipped: `the DUT file lists roles ${roles.join(', ')}: the device's BMCA decides its role, so it cannot be made slave-only`, configuredAtNs: 0n, endNs: 0n, history: [] })
    } else await observe('slaveOnly', 'slave', 'role slave (slaveOnly 1)')
    return { cases }
  },
  judge(ev, profile) {
    const checks: Check[] = []
    const T = logIntervalToNs(ev.dut.intervals.announce.value)
    const needNs = BigInt(ev.dut.announceReceiptTimeout.value + 2) * T
    const control = ev.data.cases.find((c) => c.config === 'ordinary clock (control)')
    const controlSync = control ? masterFrames(control).filter((f) => f.message!.type === 'Sync') : []
    if (control && !control.skipped) {
      const first = controlSync[0]
      checks.push({
        name: 'control: the DUT as an ordinary clock alone becomes grandmaster and sends Sync',
        measured: first ? `${controlSync.length} Sync, first +${Number((first.timestampNs! - control.configuredAtNs) / 1_000_000n)} ms` : `no Sync in ${Number((control.endNs - control.configuredAtNs) / 1_000_000n)} ms; ${masterFrames(control).length} Announce`,
        limit: '≥ 1 Sync',
        source: 'IEEE 1588-2019 9.3.3 (D0 better than every Erbest → MASTER)',
        verdict: controlSync.length ? 'pass' : 'fail',
        detail: control.how,
      })
    }
    for (const c of ev.data.cases) {
      if (c.config === 'ordinary clock (control)') continue
      // 802.1AS: a system that is not grandmaster-capable may still hold master ports and announce
      // (its priority1 255 tells others no grandmaster is present); it must not source Sync.
      const syncOnly = c.config === 'priority1 255'
      const name = syncOnly ? `${c.config}: the DUT never sends Sync as grandmaster` : `${c.config}: the DUT never acts as grandmaster`
      const source = syncOnly ? 'IEEE 802.1AS-2020 8.6.2.1 (priority1 255: not grandmaster-capable), 10.3.12 (gmPresent); linuxptp port_sync_incapable' : c.config === 'clockClass 255' ? 'IEEE 1588-2019 7.6.2.5 Table 4 (clockClass 255: slave-only)' : 'IEEE 1588-2019 9.2.2 (slaveOnly: never MASTER)'
      const limit = syncOnly ? 'no Sync' : 'no Sync, no Announce, never MASTER/PRE_MASTER'
      if (c.skipped) {
        checks.push({ name, measured: 'not run', limit, source, verdict: 'not-applicable', detail: c.skipped })
        continue
      }
      const all = masterFrames(c)
      const sent = syncOnly ? all.filter((f) => f.message!.type === 'Sync') : all
      const gmReads = syncOnly ? [] : c.history.filter((r) => r.state?.ports.some((p) => GM_STATES.has(p.portState)))
      const since = (ns: bigint) => `+${Number((ns - c.configuredAtNs) / 1_000_000n)} ms`
      if (sent.length || gmReads.length) {
        const syncs = sent.filter((f) => f.message!.type === 'Sync').length
        checks.push({
          name,
          measured: `${syncs} Sync, ${sent.length - syncs} Announce${gmReads.length ? `, ${gmReads.length} reads in MASTER/PRE_MASTER` : ''}`,
          limit,
          source,
          verdict: 'fail',
          ...(syncOnly ? { unconfirmed: true } : {}),
          detail: [sent[0] ? `first ${sent[0].message!.type} at ${since(sent[0].timestampNs!)} in domain ${sent[0].message!.header.domainNumber}` : '', gmReads[0] ? `first MASTER read at ${since(gmReads[0].atNs)}` : '', c.how].filter(Boolean).join('; '),
        })
        continue
      }
      const watched = c.endNs - c.configuredAtNs
      const answered = c.history.filter((r) => r.state).length
      const blind = !controlSync.length ? 'the control saw no Sync from the DUT as an ordinary clock, so this silence proves nothing' : watched < needNs ? `watched ${Number(watched / 1_000_000n)} ms, less than the ${Number(needNs / 1_000_000n)} ms an ordinary clock needs to become grandmaster` : ''
      const measured = syncOnly ? `no Sync in ${Number(watched / 1_000_000n)} ms (${all.length} Announce)` : `silent for ${Number(watched / 1_000_000n)} ms (${answered} state reads, none MASTER)`
      checks.push({ name, measured, limit, source, unconfirmed: syncOnly, verdict: blind ? 'inconclusive' : 'pass', detail: [blind, c.how].filter(Boolean).join('; ') })
    }
    return { checks }
  },
})
