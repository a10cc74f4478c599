#!/usr/bin/env node
// Entry point of the `ptp-conform` command. The sources are TypeScript run through
// tsx's loader, so there is no separate build step between an edit and a run.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../harness/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
