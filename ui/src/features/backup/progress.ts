/** APIPrefix is where the API answers (the same origin as the SPA). */
export const APIPrefix = '/api/v1'

export interface Progress {
  phase: string
  bytesDone: number
  bytesTotal: number
  filesDone: number
  filesTotal: number
}

/** percent is how far a backup has come, 0 to 100; undefined while the total is unknown. */
export function percent(p: Progress): number | undefined {
  if (p.phase === 'done') return 100
  if (p.phase !== 'files' || p.bytesTotal <= 0) return undefined
  return Math.min(100, Math.floor((p.bytesDone * 100) / p.bytesTotal))
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const
export type SizeUnit = (typeof units)[number]

/** size splits a byte count into a number with one decimal (below 10) and its unit. */
export function size(bytes: number): { value: number; unit: SizeUnit } {
  let v = bytes
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return { value: i === 0 || v >= 10 ? Math.round(v) : Math.round(v * 10) / 10, unit: units[i]! }
}
