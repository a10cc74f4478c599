/**
 * Reports of a conformance run: Allure results with evidence, Allure 3 HTML
 * (folder and single file), JUnit XML and a console summary.
 */
export { allureReporter, type AllureReporter, type AllureReporterOptions } from './japa_reporter.ts'
export {
  finalizeReports,
  regenerateReports,
  ALLURE_RESULTS_DIR,
  JUNIT_FILE,
  type FinalizeOptions,
  type FinalizeResult,
} from './finalize.ts'
export { HTML_DIR, SINGLE_FILE_DIR, generateHtml } from './html.ts'
export { toAllureResult, type ConvertOptions, type ConvertedResult } from './allure/convert.ts'
export { AllureResultsWriter } from './allure/results_writer.ts'
export { junitXml, countVerdicts, type VerdictCounts } from './junit.ts'
export { summaryText } from './summary.ts'
export { loadRun, type LoadedRun } from './load.ts'
export { serveReport, type ServedReport } from './serve.ts'
export { intervalHistogramSvg } from './plots/histogram.ts'
export { offsetLinePlotSvg } from './plots/line.ts'
export { plotsFromMeasurements } from './plots/from_measurements.ts'
