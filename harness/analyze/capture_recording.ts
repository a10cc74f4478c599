/**
 * A capture file as one recording, every PTP frame of it held (for captures that fit in
 * memory: the unit tests, the profile fit of a sample). `analyze` itself judges a stream in
 * windows (windows.ts) and never holds a large capture whole.
 */
import { Recorder } from '../recorder/recorder.ts'
import { capturedPtpFrames, newStats, type CapturedFrame, type CaptureStats, type StreamOptions } from './capture_stream.ts'

/** Every frame keeps its capture frame number (`RecordedFrame.captureFrame`). */
export interface CaptureRecording extends CaptureStats {
  recorder: Recorder
}

/** A recorder holding these frames, in this order. */
export function recorderOf(frames: Iterable<CapturedFrame>): Recorder {
  const recorder = new Recorder()
  for (const f of frames) recorder.record(f.input)
  return recorder
}

/** Every capture read whole into one recording, merged in timestamp order. */
export function readCaptures(files: string[], o: StreamOptions = {}): CaptureRecording {
  const stats = newStats()
  const recorder = recorderOf(capturedPtpFrames(files, stats, o))
  return { ...stats, recorder }
}
