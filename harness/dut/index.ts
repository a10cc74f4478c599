/**
 * DUT adapters: one interface (types.ts) for ptp4l and ptpd started in the
 * virtual lab, and for real devices described by a DUT file.
 */
export * from './types.ts'
export { LinuxptpDut, ptp4lVersion, PTP4L, type LinuxptpDutOptions } from './linuxptp/adapter.ts'
export { generatePtp4lConfig, PROTECTED_KEYS as PTP4L_PROTECTED_KEYS, type Ptp4lConfig, type Ptp4lConfigInput, type ConfigEntry } from './linuxptp/config.ts'
export { pmcRun, pmcGet, pmcSet, PmcError, type PmcTarget } from './linuxptp/pmc.ts'
export { parsePmcOutput, type PmcReply, type PmcTranscript } from './linuxptp/pmc_text.ts'
export { PtpdDut, ptpdVersion, PTPD, type PtpdDutOptions } from './ptpd/adapter.ts'
export { generatePtpdConfig, type PtpdConfig } from './ptpd/config.ts'
export { parsePtpdStatus } from './ptpd/status.ts'
export { ReferenceDut, controlRequest, type ReferenceDutOptions } from './reference/adapter.ts'
export { RemoteDut, type RemoteDutOptions, type PassiveObserver } from './remote/adapter.ts'
export { loadDutFile, parseDutFile, DutFileError, DUT_FILE_SCHEMA, type DutFile } from './remote/dut_file.ts'
export { waitForPortState, waitForState, type WaitOptions } from './wait.ts'
export { parseDutOptions } from './options.ts'
