// Dates and times from the API (RFC 3339 strings, '' when there is none), in the UI's language.

function parse(value: string): Date | undefined {
  if (!value) return undefined
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/** formatDate is a calendar day ("12 March 2027"), or '' for no or an unreadable date. */
export function formatDate(value: string, locale: string): string {
  const d = parse(value)
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(d) : ''
}

/** formatDateTime is a day and a time to the minute, or '' for no or an unreadable date. */
export function formatDateTime(value: string, locale: string): string {
  const d = parse(value)
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : ''
}

/** isPast says whether value lies before now; no date is never past. */
export function isPast(value: string, now = new Date()): boolean {
  const d = parse(value)
  return d !== undefined && d.getTime() <= now.getTime()
}

/**
 * dayEnd is the last minute of a picked day ("2027-01-31") in the viewer's time zone, as
 * the server's moment: access "until 31 January" lasts through that day. '' for no or a
 * malformed day.
 */
export function dayEnd(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return ''
  return new Date(y, m - 1, d, 23, 59).toISOString()
}

/** localDay is a moment's calendar day in the viewer's time zone ("2027-01-31"), for date inputs. */
export function localDay(value: string | Date): string {
  const d = typeof value === 'string' ? parse(value) : value
  if (!d) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
