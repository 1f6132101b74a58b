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
