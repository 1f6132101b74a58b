// Admin → Jobs' small pure parts: a schedule and a run's length in words.

/** Schedule is a job's schedule read: every n units, daily, or a cron spec left as it is. */
export type Schedule =
  | { kind: 'every'; n: number; unit: 'seconds' | 'minutes' | 'hours' }
  | { kind: 'daily' | 'hourly' | 'weekly' | 'monthly' }
  | { kind: 'cron'; spec: string }

const units = { s: 'seconds', m: 'minutes', h: 'hours' } as const

/** readSchedule reads the forms the configuration takes: "@every 90m", "@daily", "0 3 * * *". */
export function readSchedule(spec: string): Schedule {
  const every = /^@every\s+(\d+)([smh])$/.exec(spec.trim())
  if (every) {
    const n = Number(every[1])
    const unit = units[every[2] as keyof typeof units]
    // 90m reads better as 90 minutes; 60m as one hour.
    if (unit === 'minutes' && n % 60 === 0) return { kind: 'every', n: n / 60, unit: 'hours' }
    if (unit === 'seconds' && n % 60 === 0) return { kind: 'every', n: n / 60, unit: 'minutes' }
    return { kind: 'every', n, unit }
  }
  switch (spec.trim()) {
    case '@daily':
    case '@midnight':
      return { kind: 'daily' }
    case '@hourly':
      return { kind: 'hourly' }
    case '@weekly':
      return { kind: 'weekly' }
    case '@monthly':
      return { kind: 'monthly' }
  }
  return { kind: 'cron', spec: spec.trim() }
}

/** took is a run's length: milliseconds under a second, else seconds to one decimal, else minutes and seconds. */
export function took(ms: number): { n: number; unit: 'ms' | 's' | 'min' } {
  if (ms < 1000) return { n: Math.max(0, Math.round(ms)), unit: 'ms' }
  if (ms < 60_000) return { n: Math.round(ms / 100) / 10, unit: 's' }
  return { n: Math.round(ms / 60_000), unit: 'min' }
}
