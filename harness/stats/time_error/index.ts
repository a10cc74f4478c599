/** Time-error metrics (ITU-T G.810 / G.8260 / G.8273.2): MTIE, TDEV, dTE filters, cTE and masks. Pure, no I/O. */
export { logSpacedWindows, mtie, mtieBruteForce, type MtiePoint } from './mtie.ts'
export { tdev, type TdevPoint } from './tdev.ts'
export { constantTimeError, highPass, lowPass, maxAbsTimeError, peakToPeak } from './filters.ts'
export { compareToMask, maskLimitAt, type CurvePoint, type Mask, type MaskComparison, type MaskPoint, type PointMargin } from './masks.ts'
