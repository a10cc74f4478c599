import { readFileSync } from 'node:fs'
import { decodeEvidence } from '../harness/run/evidence_codec.ts'
import { pdelayTriples } from '../harness/recorder/pairing.ts'
import { timestampToNs } from '../harness/time/timestamp.ts'
for (const file of process.argv.slice(2)) {
  const ev: any = decodeEvidence(readFileSync(file, 'utf8'))
  const o = ev.data.observation
  const rec = o.recorder
  const p = pdelayTriples(rec)
  const a: number[] = []; const d1: number[] = []; const d2: number[] = []
  for (const t of p.triples) {
    if (t.request.direction !== 'out' || !t.response || !t.followUp) continue
    const t1 = t.request.timestampNs, t4 = t.response.timestampNs
    const t2 = timestampToNs(t.response.message.requestReceiptTimestamp), t3 = timestampToNs(t.followUp.message.responseOriginTimestamp)
    d1.push(Number(t2 - t1)); d2.push(Number(t4 - t3)); a.push(Number(t2 - t1 - (t4 - t3)))
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!
  const mad = (x: number[]) => { const m = med(x); return med(x.map((v) => Math.abs(v - m))) }
  console.log(file.split('/').slice(-4).join('/'), 'n', a.length, 'asym med', med(a), 'mad', mad(a), 'd1 med', med(d1), 'mad', mad(d1), 'd2 med', med(d2), 'mad', mad(d2), 'noise', ev.noise.ns, 'floor', ev.noise.timeErrorFloorNs)
}
