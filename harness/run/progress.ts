/**
 * The progress line while a run goes on: which test, its phase, elapsed time and an
 * estimate of what is left (from each test's estimatedSeconds, corrected by how the
 * finished tests compared with their estimates). Writes to stderr so stdout stays
 * clean for machine-readable output.
 */
import type { Verdict } from '../verdict/verdict.ts'

export class Progress {
  private readonly t0 = Date.now()
  private doneEstimate = 0
  private doneActual = 0
  private index = 0

  constructor(
    private readonly total: number,
    private readonly totalEstimateS: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  private remainingS(): number {
    const left = Math.max(0, this.totalEstimateS - this.doneEstimate)
    const ratio = this.doneEstimate > 0 ? this.doneActual / this.doneEstimate : 1
    return Math.round(left * Math.min(3, Math.max(0.3, ratio)))
  }

  private stamp(): string {
    const el = Math.round((Date.now() - this.t0) / 1000)
    return `[${String(el).padStart(4)} s elapsed, ~${this.remainingS()} s left]`
  }

  start(id: string, title: string): void {
    this.index++
    this.out.write(`${this.stamp()} (${this.index}/${this.total}) ${id} ${title}\n`)
  }

  phase(id: string, text: string): void {
    this.out.write(`${this.stamp()}     ${id}: ${text}\n`)
  }

  end(id: string, verdict: Verdict, reason: string, estimateS: number, actualMs: number): void {
    this.doneEstimate += estimateS
    this.doneActual += actualMs / 1000
    const mark = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', 'not-applicable': 'N/A' }[verdict]
    this.out.write(`${this.stamp()}   → ${id} ${mark}${verdict === 'pass' ? '' : `: ${reason}`} (${(actualMs / 1000).toFixed(1)} s)\n`)
  }
}
