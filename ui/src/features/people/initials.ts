/** initials gives up to two letters for a person's avatar: of the first and the last word of the name. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter((w) => /\p{L}|\p{N}/u.test(w))
  const letter = (word: string) => [...word].find((c) => /\p{L}|\p{N}/u.test(c)) ?? ''
  const picked = words.length === 1 ? words : [words[0], words.at(-1)]
  return picked.map((w) => letter(w ?? '')).join('').toLocaleUpperCase()
}
