// The choices of the "new API token" form, apart from the component so they can be tested.

/** How long a new token works: a few fixed lengths, or until a chosen day. */
export type Expiry = '30' | '90' | '365' | 'date'

export const expiries: readonly Expiry[] = ['30', '90', '365', 'date']
export const defaultExpiry: Expiry = '90'
/** The server's limit: a token lasts at most a year. */
export const maxDays = 365
export const maxName = 100

const dayMs = 24 * 60 * 60 * 1000

function midnight(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

/** isoDay is a day as the date input writes it, YYYY-MM-DD, in the local calendar. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** dayRange is the first and last day a token may be made to last until, from today. */
export function dayRange(today = new Date()): { min: string; max: string } {
  const t = midnight(today)
  return { min: isoDay(new Date(t + dayMs + 3600_000)), max: isoDay(new Date(t + maxDays * dayMs + 3600_000)) }
}

/**
 * expiryDays is how many days a token works for a choice: the fixed lengths as they are, a
 * chosen day (YYYY-MM-DD) as the days from today to it (0 or less for no or a past day,
 * which the server refuses with a message next to the field).
 */
export function expiryDays(choice: Expiry, day: string, today = new Date()): number {
  if (choice !== 'date') return Number(choice)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return 0
  const chosen = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime()
  return Math.round((chosen - midnight(today)) / dayMs)
}
