// Durations of Admin → System (uptime, a backup's age), in the largest whole unit.

export type DurationUnit = 'days' | 'hours' | 'minutes'

/** span is seconds as a count of the largest unit that is at least one (minutes at least). */
export function span(seconds: number): { n: number; unit: DurationUnit } {
  const s = Math.max(0, Math.floor(seconds))
  if (s >= 86400) return { n: Math.floor(s / 86400), unit: 'days' }
  if (s >= 3600) return { n: Math.floor(s / 3600), unit: 'hours' }
  return { n: Math.floor(s / 60), unit: 'minutes' }
}
