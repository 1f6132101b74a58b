// The activity page's small pure parts: days picked in the viewer's time zone as the
// server's moments, details as one line, and a file handed to the browser.

/**
 * dayRange turns the days picked ("2026-12-01", '' for none) into the moments the server
 * filters by: from the start of the first day to the start of the day after the last, in
 * the viewer's time zone. reversed says the last day comes before the first.
 */
export function dayRange(fromDay: string, toDay: string): { from?: string; to?: string; reversed: boolean } {
  const start = (day: string, plus = 0) => {
    const [y, m, d] = day.split('-').map(Number)
    if (!y || !m || !d) return undefined
    return new Date(y, m - 1, d + plus)
  }
  const from = fromDay ? start(fromDay) : undefined
  const to = toDay ? start(toDay, 1) : undefined
  return {
    from: from?.toISOString(),
    to: to?.toISOString(),
    reversed: !!from && !!to && from.getTime() >= to.getTime(),
  }
}

/** describeDetails writes an entry's details as "key: value · key: value", keys sorted. */
export function describeDetails(details: Record<string, string> | null | undefined): string {
  return Object.entries(details ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ')
}

/** saveFile hands a file made in the page to the browser's downloads. */
export function saveFile(file: Blob, name: string) {
  const url = URL.createObjectURL(file)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  // The download has its own copy once started.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** actionLabel names an action in words, or as it is when the catalogue has none. */
export function actionLabel(t: (key: string) => string, te: (key: string) => boolean, action: string): string {
  return te(`activityActions.${action}`) ? t(`activityActions.${action}`) : action
}
