// Time zones as people pick and read them: IANA names from the browser's own list, the
// time it is there now, and a search that finds a zone by city or by its common name.

const formats = new Map<string, Intl.DateTimeFormat>()

// Building a formatter is the slow part; a list of four hundred zones builds each once.
function format(locale: string, zone: string, options: Intl.DateTimeFormatOptions, kind: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${zone}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })
    formats.set(key, f)
  }
  return f
}

/** isTimeZone says whether the browser knows zone as an IANA name. */
export function isTimeZone(zone: string): boolean {
  if (!zone) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** deviceTimeZone is this browser's own zone, or '' when it does not say. */
export function deviceTimeZone(): string {
  try {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone
    return zone && isTimeZone(zone) ? zone : ''
  } catch {
    return ''
  }
}

/**
 * timeZoneNames lists the zones to choose from: the browser's list, UTC, and the extra names
 * given (a saved value, the device's zone) even where the browser lists them under another name.
 */
export function timeZoneNames(extra: readonly string[] = []): string[] {
  let known: string[] = []
  try {
    known = Intl.supportedValuesOf('timeZone')
  } catch {
    // Older browsers: the extra names and UTC still make a usable list.
  }
  const names = new Set([...known, 'UTC', ...extra.filter((z) => z !== '')])
  return [...names].sort((a, b) => a.localeCompare(b, 'en'))
}

/** zoneLabel shows an IANA name as people read it: America/New_York → America/New York. */
export function zoneLabel(zone: string): string {
  return zone.replaceAll('_', ' ')
}

/** utcOffsetMinutes is how far zone's clock is ahead of UTC at the moment at (negative: behind). */
export function utcOffsetMinutes(zone: string, at: Date): number {
  const parts = format(
    'en-US',
    zone,
    { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
    'offset',
  ).formatToParts(at)
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  const utc = Math.floor(at.getTime() / 1000) * 1000
  return Math.round((wall - utc) / 60000)
}

/** formatOffset writes an offset in minutes as UTC+03:00, UTC−05:00 or UTC+05:45; zero is plain UTC. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC'
  const abs = Math.abs(minutes)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `UTC${minutes < 0 ? '\u2212' : '+'}${hh}:${mm}`
}

/** zoneTime is the weekday and time it is in zone at the moment at, written for locale: "Tue 2:05 PM", "вт 14:05". */
export function zoneTime(zone: string, at: Date, locale: string): string {
  return format(locale, zone, { weekday: 'short', hour: 'numeric', minute: '2-digit' }, 'time').format(at)
}

/** zoneName is a zone's common name in locale ("Central European Time"), or '' when the browser has none. */
export function zoneName(zone: string, locale: string, at = new Date()): string {
  try {
    const parts = format(locale, zone, { timeZoneName: 'longGeneric' }, 'name').formatToParts(at)
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? ''
    // Without a name of its own a zone is written as an offset ("GMT+03:00"): that says nothing new.
    return /^(GMT|UTC)([+\-\u2212]|$)/.test(name) ? '' : name
  } catch {
    return ''
  }
}

const fold = (s: string) => s.toLocaleLowerCase().replace(/[_/\s-]+/g, ' ').trim()

/** matchesZone says whether a search finds zone: by its name, any part of it, or its common name in locale. */
export function matchesZone(zone: string, query: string, locale: string): boolean {
  const q = fold(query)
  if (!q) return true
  return fold(zone).includes(q) || fold(zoneName(zone, locale)).includes(q)
}

/** zoneClock is the time in zone with its offset, "Tue 2:05 PM (UTC+01:00)", or '' for a zone the browser does not know. */
export function zoneClock(zone: string, at: Date, locale: string): string {
  if (!isTimeZone(zone)) return ''
  return `${zoneTime(zone, at, locale)} (${formatOffset(utcOffsetMinutes(zone, at))})`
}
