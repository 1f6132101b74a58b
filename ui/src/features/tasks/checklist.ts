// The pure parts of a task's checklist: lines from typed or pasted text, progress, moving a
// line, and the server's refusals of added lines.

/** The most lines a checklist holds, and the longest line (the server's limits). */
export const maxChecklistLines = 200
export const maxChecklistText = 500

// A list marker at the start of a pasted line ("- ", "* ", "• ", "- [ ] ", "[x] "): lists
// copied from notes or Markdown become lines without their bullets.
const marker = /^(?:[-*+•‣◦](?: |$))?(?:\[[ xX]\](?: |$))?/

/**
 * splitLines turns what was typed or pasted into checklist lines: one per line, spaces
 * collapsed as the server does, list markers and blank lines dropped.
 */
export function splitLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim().replace(/\s+/g, ' ').replace(marker, '').trim())
    .filter((line) => line !== '')
}

/** Progress is how many lines are done, of how many, and the share done in whole percent. */
export interface Progress {
  done: number
  total: number
  percent: number
}

export function checklistProgress(items: readonly { done: boolean }[]): Progress {
  const done = items.filter((i) => i.done).length
  const total = items.length
  return { done, total, percent: total === 0 ? 0 : Math.round((done * 100) / total) }
}

/** moveItem returns a copy of list with the element at from moved to place to (clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = list.slice()
  if (from < 0 || from >= out.length) return out
  const [moved] = out.splice(from, 1)
  out.splice(Math.max(0, Math.min(to, out.length)), 0, moved as T)
  return out
}

/** A refusal of added lines: line is 1-based; none for one about the whole list (full). */
export interface LineError {
  line?: number
  message: string
}

/**
 * addErrors reads the field errors of an answer to adding lines ("items[2]", "items"):
 * the one about the whole list first, then the lines in order.
 */
export function addErrors(fields: Readonly<Record<string, string>>): LineError[] {
  const whole: LineError[] = []
  const lines: LineError[] = []
  for (const [name, message] of Object.entries(fields)) {
    const m = /^items\[(\d+)\]$/.exec(name)
    if (m) lines.push({ line: Number(m[1]) + 1, message })
    else if (name === 'items' || name === '') whole.push({ message })
  }
  lines.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return [...whole, ...lines]
}
