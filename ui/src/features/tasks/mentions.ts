// @mentions in a comment being written: the name being typed after "@", putting the chosen
// person's name in its place, and which chosen people the text still mentions.

/** Someone who can be mentioned: their id is sent, their name is written. */
export interface MentionPerson {
  id: string
  name: string
}

/** The "@name" being typed: where its "@" stands and the words typed after it. */
export interface MentionQuery {
  start: number
  query: string
}

// "@" starts a mention at the start of the text, after a space or an opening bracket or
// quote; after a letter it is part of an address (anna@example.com) and starts nothing.
const before = String.raw`(?:^|[\s(\[{"'«„“‘])`
const word = String.raw`[\p{L}\p{N}][\p{L}\p{N}._'’-]*`
// Up to three words, as a name is typed ("@Anna Pe"), and a space after the last.
const typing = new RegExp(`${before}@(${word}(?: [\\p{L}\\p{N}._'’-]+){0,2} ?)$`, 'u')
const starts = new RegExp(`${before}@(${word})`, 'gu')
const letter = /[\p{L}\p{N}]/u

/** The longest name searched for: longer text after "@" is no name being typed. */
export const maxMentionQuery = 50

/**
 * mentionAt finds the mention being typed just before the caret: "@" and at least one
 * letter. Null when the caret is not in one.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const m = typing.exec(text.slice(0, caret))
  if (!m?.[1] || m[1].length > maxMentionQuery) return null
  return { start: caret - m[1].length - 1, query: m[1].trim() }
}

/**
 * insertMention puts "@Name " in place of the "@…" typed from start to the caret, and
 * returns the new text and where the caret goes (after the space).
 */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const rest = text.slice(caret)
  const head = text.slice(0, start) + `@${name}`
  if (rest.startsWith('\n')) return { text: head + rest, caret: head.length }
  // One space after the name: the one already there, or a new one.
  return { text: head + ' ' + rest.replace(/^ /, ''), caret: head.length + 1 }
}

/**
 * mentionedIn returns the people of candidates that text mentions, each once, in the order
 * of candidates. Where several names fit at one "@" (Anna, Anna Petrova) the longest wins.
 */
export function mentionedIn<P extends MentionPerson>(text: string, candidates: readonly P[]): P[] {
  const found = new Set<string>()
  for (const m of text.matchAll(starts)) {
    const at = (m.index ?? 0) + m[0].indexOf('@') + 1
    let best: P[] = []
    for (const p of candidates) {
      if (!p.name || !text.startsWith(p.name, at) || letter.test(text.charAt(at + p.name.length))) continue
      if (best.length === 0 || p.name.length > (best[0]?.name.length ?? 0)) best = [p]
      else if (p.name.length === best[0]?.name.length) best.push(p)
    }
    for (const p of best) found.add(p.id)
  }
  const seen = new Set<string>()
  return candidates.filter((p) => found.has(p.id) && !seen.has(p.id) && seen.add(p.id))
}

/** mentionIds are the ids of the chosen people the text still mentions. */
export function mentionIds(text: string, chosen: readonly MentionPerson[]): string[] {
  return mentionedIn(text, chosen).map((p) => p.id)
}

/**
 * mentionWords are the first words after each "@" of a text, once each: searching for them
 * finds again the people an existing comment mentions, whose ids it does not carry.
 */
export function mentionWords(text: string): string[] {
  return [...new Set([...text.matchAll(starts)].map((m) => m[1] ?? '').filter((w) => w !== ''))]
}
