import { test } from '@japa/runner'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Lab, spawnDut, type TrackedProcess } from '../../../harness/lab/index.ts'
import { isOurs } from '../../../harness/lab/proc.ts'
import { isRoot, leftovers, NEEDS_ROOT, rootLinks, removeStateDir, testStateDir } from '../../support/lab/env.ts'

const STATE = testStateDir('lifecycle')
const HOLDER = fileURLToPath(new URL('../../support/lab/holder.ts', import.meta.url))
const CLI = fileURLToPath(new URL('../../../bin/ptp-conform.js', import.meta.url))

function ipJson(args: string[]): any[] {
  return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }))
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** Starts the holder and resolves with what it printed once its lab and DUT are up. */
function startHolder(mode: 'wait' | 'exit'): Promise<{ child: ChildProcess; id: string; processes: TrackedProcess[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, STATE, mode], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? -1 : null))))
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve({ child, ...(JSON.parse(out.slice(0, nl)) as { id: string; processes: TrackedProcess[] }), exited })
    })
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before its lab was up:\n${err}`)))
  })
}

function cli(args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, PTP_CONFORM_STATE_DIR: STATE }, stdio: ['ignore', 'pipe', 'pipe'] })
    return { code: 0, out }
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string }
    return { code: x.status, out: `${x.stdout}${x.stderr}` }
  }
}

test.group('lab / lifecycle', (group) => {
  group.teardown(() => {
    // Whatever a failed test left: this run's labs only.
    Lab.downById([], { stateDir: STATE, all: true })
    removeStateDir(STATE)
  })

  test('pair, dual and lan come up as planned: carrier, addresses without DAD, MACs, bridge options', async ({ assert }) => {
    const t0 = performance.now()
    const labs = await Promise.all((['pair', 'dual', 'lan'] as const).map((topology) => Lab.up({ topology, stateDir: STATE })))
    console.log(`    3 labs up in parallel: ${(performance.now() - t0).toFixed(0)} ms`)
    try {
      for (const lab of labs) {
        const h = await lab.health()
        assert.isTrue(h.ok, `${lab.topology}: ${JSON.stringify(h)}`)
        for (const n of lab.nodes) {
          const links = ipJson(['-n', n.netns, 'addr', 'show'])
          for (const p of n.ports) {
            const l = links.find((x) => x.ifname === p.ifname)
            assert.exists(l, `${p.ifname} in ${n.netns}`)
            assert.equal(l.address, p.mac)
            assert.equal(l.operstate, 'UP')
            const addrs = l.addr_info.map((a: any) => `${a.local}/${a.prefixlen}`)
            if (p.ipv4) assert.include(addrs, p.ipv4)
            if (p.ipv6) {
              assert.include(addrs, p.ipv6)
              const info = l.addr_info.find((a: any) => `${a.local}/${a.prefixlen}` === p.ipv6)
              assert.notProperty(info, 'tentative', `${p.ipv6} must not wait for DAD`)
            }
            if (n.role !== 'bridge') {
              const dad = execFileSync('ip', ['netns', 'exec', n.netns, 'cat', `/proc/sys/net/ipv6/conf/${p.ifname}/accept_dad`], { encoding: 'utf8' })
              assert.equal(dad.trim(), '0')
            }
          }
        }
        // Nothing of ours in the root namespace: the veth ends were born in their namespaces.
        assert.deepEqual(rootLinks(lab.id), [])
      }
      const lan = labs[2]!
      const br = ipJson(['-n', lan.netns('br'), '-d', 'link', 'show', lan.plan.bridge!.ifname])[0].linkinfo.info_data
      assert.equal(br.stp_state, 0)
      assert.equal(br.forward_delay, 0)
      assert.equal(br.mcast_snooping, 0)
      assert.equal(br.group_fwd_mask, '0x4000')
      const state = JSON.parse(readFileSync(`${STATE}/${lan.id}.json`, 'utf8'))
      assert.equal(state.phase, 'up')
      assert.equal(state.owner.pid, process.pid)
      assert.lengthOf(state.namespaces, 4)
    } finally {
      const t1 = performance.now()
      for (const lab of labs) await lab.down()
      console.log(`    3 labs down: ${(performance.now() - t1).toFixed(0)} ms`)
    }
    for (const lab of labs) assert.deepEqual(leftovers(lab.id, STATE), [])
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('20 up/down cycles with a process in the lab leave no namespace, link, process or file', async ({ assert }) => {
    const ups: number[] = []
    const downs: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
      ups.push(performance.now() - t0)
      const s = spawnDut({ netns: lab.netns('d1'), node: 'd1', label: 'sleeper', program: ['/bin/sleep', '300'], logPath: `${lab.runDir}/sleeper.log`, tracker: lab })
      assert.isTrue(isOurs(s.record, s.record.argv) || existsSync(`/proc/${s.record.pid}`))
      const t1 = performance.now()
      const rep = await lab.down()
      downs.push(performance.now() - t1)
      assert.deepEqual(rep.errors, [])
      assert.include(rep.stopped, s.record.pid)
      assert.deepEqual(leftovers(lab.id, STATE, [s.record]), [], `cycle ${i}`)
    }
    console.log(`    20 cycles: lab up median ${median(ups).toFixed(0)} ms (max ${Math.max(...ups).toFixed(0)}), down median ${median(downs).toFixed(0)} ms (max ${Math.max(...downs).toFixed(0)})`)
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(90_000)

  test('a harness killed with SIGKILL leaves its lab; `ptp-conform lab down` then removes all of it', async ({ assert }) => {
    const h = await startHolder('wait')
    h.child.kill('SIGKILL')
    await h.exited
    // Left behind, as expected from a process that could not clean up.
    assert.isAbove(leftovers(h.id, STATE, h.processes).length, 0)
    const ptp4l = h.processes[0]!
    assert.isTrue(isOurs(ptp4l, ptp4l.argv), 'the DUT outlives its killed harness')
    const r = cli(['lab', 'down'])
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, new RegExp(`lab ${h.id} removed: 2 namespace\\(s\\); stopped pid ${ptp4l.pid}`))
    assert.deepEqual(leftovers(h.id, STATE, h.processes), [])
    // And again: nothing to do, still success.
    assert.equal(cli(['lab', 'down']).code, 0)
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('a lab orphaned by SIGKILL is recovered by the next lab up', async ({ assert }) => {
    const h = await startHolder('wait')
    h.child.kill('SIGKILL')
    await h.exited
    const lab = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      assert.deepEqual(leftovers(h.id, STATE, h.processes), [])
    } finally {
      await lab.down()
    }
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('SIGTERM, SIGINT and a normal exit each take the owner\'s lab down', async ({ assert }) => {
    const [term, int, exit] = await Promise.all([startHolder('wait'), startHolder('wait'), startHolder('exit')])
    term.child.kill('SIGTERM')
    int.child.kill('SIGINT')
    assert.equal(await term.exited, 128 + 15)
    assert.equal(await int.exited, 128 + 2)
    assert.equal(await exit.exited, 0)
    for (const h of [term, int, exit]) assert.deepEqual(leftovers(h.id, STATE, h.processes), [], `holder ${h.id}`)
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('lab down is idempotent and removes only the lab it names', async ({ assert }) => {
    const a = await Lab.up({ topology: 'pair', stateDir: STATE })
    const b = await Lab.up({ topology: 'pair', stateDir: STATE })
    try {
      assert.lengthOf(Lab.downById([a.id], { stateDir: STATE }), 1)
      assert.lengthOf(Lab.downById([a.id], { stateDir: STATE }), 0)
      assert.deepEqual((await a.down()).errors, [])
      assert.deepEqual(leftovers(a.id, STATE), [])
      assert.isTrue((await b.health()).ok)
      // Without ids, `lab down` leaves labs whose owner is alive.
      Lab.downById([], { stateDir: STATE })
      assert.isTrue((await b.health()).ok)
    } finally {
      await b.down()
    }
    assert.deepEqual(leftovers(b.id, STATE), [])
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(30_000)

  test('as a new user: `lab up --dut ptp4l`, `lab status`, `lab down`', async ({ assert }) => {
    const up = cli(['lab', 'up', '--dut', 'ptp4l', '--dut-option', 'logAnnounceInterval=-2', '--dut-option', 'logSyncInterval=-3'])
    assert.equal(up.code, 0, up.out)
    const id = /lab (\w+) is up \(pair\)/.exec(up.out)?.[1]
    assert.exists(id, up.out)
    assert.include(up.out, `ptp-conform lab down ${id}`)
    assert.include(up.out, 'pmc -u -b 0 -s ')
    // The command returned; the lab and its DUT stay.
    const state = JSON.parse(readFileSync(`${STATE}/${id}.json`, 'utf8'))
    assert.isNull(state.owner)
    const dut = state.processes[0]
    assert.isTrue(isOurs(dut, dut.argv))

    // The DUT is alone, so it becomes MASTER after its announce receipt timeout.
    let status = ''
    for (let i = 0; i < 40 && !/port 1 MASTER/.test(status); i++) {
      await new Promise((r) => setTimeout(r, 250))
      status = cli(['lab', 'status']).out
    }
    assert.match(status, new RegExp(`lab ${id} \\(pair\\), left up by \`lab up\`.*: healthy`))
    assert.match(status, /DUT d1: linuxptp on d1 .* running, port 1 MASTER/)
    const json = JSON.parse(cli(['lab', 'status', id!, '--json']).out)
    assert.equal(json[0].id, id)
    assert.isTrue(json[0].health.ok)

    const down = cli(['lab', 'down'])
    assert.equal(down.code, 0, down.out)
    assert.match(down.out, new RegExp(`lab ${id} removed`))
    assert.deepEqual(leftovers(id!, STATE, state.processes), [])
    assert.match(cli(['lab', 'status']).out, /no labs/)
  })
    .skip(!isRoot, NEEDS_ROOT)
    .timeout(60_000)

  test('usage errors exit 2 with the reason', ({ assert }) => {
    const r = cli(['lab', 'up', '--topology', 'ring'])
    assert.equal(r.code, 2)
    assert.match(r.out, /--topology must be one of pair, dual, lan/)
    assert.equal(cli(['lab', 'frobnicate']).code, 2)
    assert.match(cli(['lab', 'up', '--id', 'BAD!']).out, /invalid lab id/)
  }).skip(!isRoot, NEEDS_ROOT)
})
