/**
 * A capture file as one recording, every PTP frame of it held (for captures that fit in
 * memory: the unit tests, the profile fit of a sample). `analyze` itself judges a stream in
 * windows (windows.ts) and never holds a large capture whole.
 */
import type { FrameDecodeOptions } from '../codec/framing/frame.ts'
import { Recorder } from '../recorder/recorder.ts'
import { capturedPtpFrames, newStats, type CapturedFrame, type CaptureStats, type StreamOptions } from './capture_stream.ts'

export interface CaptureRecording extends CaptureStats {
  recorder: Recorder
  /** Capture frame number (1-based, as Wireshark shows it) of each recorded frame, by recorder index. */
  frameNumbers: number[]
}

/** A recorder holding these frames, in this order. */
export function recorderOf(frames: Iterable<CapturedFrame>): { recorder: Recorder; frameNumbers: number[] } {
  const recorder = new Recorder()
  const frameNumbers: number[] = []
  for (const f of frames) {
    recorder.record(f.input)
    frameNumbers.push(f.frameNumber)
  }
  return { recorder, frameNumbers }
}

/** Every capture read whole into one recording, merged in timestamp order. */
export function readCaptures(files: string[], o: StreamOptions & { decode?: FrameDecodeOptions } = {}): CaptureRecording {
  const stats = newStats()
  const { recorder, frameNumbers } = recorderOf(capturedPtpFrames(files, stats, o))
  return { ...stats, recorder, frameNumbers }
}
