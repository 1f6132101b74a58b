// The counters beside "Tasks" in the navigation: my open tasks past their deadline and those
// due later today (GET /tasks/counts), each a way into the list filtered so.
import type { RouteLocationRaw } from 'vue-router'

export interface TaskCounts {
  overdue: number
  today: number
}

export const noCounts: TaskCounts = { overdue: 0, today: 0 }

/** countsOf takes the server's answer defensively: anything but a whole number from 0 is 0. */
export function countsOf(answer: unknown): TaskCounts {
  const a = (answer ?? {}) as Record<string, unknown>
  const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0)
  return { overdue: n(a.overdue), today: n(a.today) }
}

/** countsShown: the counters show while there is something to count. */
export const countsShown = (c: TaskCounts) => c.overdue > 0 || c.today > 0

/** badgeText keeps a badge short: past 99 it says 99+. */
export const badgeText = (n: number) => (n > 99 ? '99+' : String(n))

/** dueLink is the task list of one counter. */
export const dueLink = (due: 'overdue' | 'today'): RouteLocationRaw => ({ path: '/tasks', query: { due } })
