// A list shown a page at a time in the browser, for answers that come whole.

export const reportPerPage = 25

/** pageOf is the items of page (from 1) at perPage, and how many pages there are (at least 1). */
export function pageOf<T>(items: readonly T[], page: number, perPage = reportPerPage): { items: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / perPage))
  const p = Math.min(Math.max(1, page), pages)
  return { items: items.slice((p - 1) * perPage, p * perPage), pages }
}
