/** The length rule the server enforces (it also refuses common passwords). */
export const passwordMin = 12
export const passwordMax = 128

/** 0 too short (or too long), 1 weak, 2 fair, 3 good, 4 strong. */
export type Score = 0 | 1 | 2 | 3 | 4

// A few of the most common passwords and their building blocks; the server holds the real list.
const common = [
  'password', 'passwort', 'qwerty', 'qwertz', 'azerty', 'asdf', 'zxcv', 'letmein', 'welcome',
  'admin', 'administrator', 'login', 'iloveyou', 'monkey', 'dragon', 'master', 'sunshine',
  'princess', 'football', 'baseball', 'shadow', 'superman', 'trustno1', 'secret', 'annex',
  'пароль', 'йцукен', 'qwerty123', 'abc123', '123456', '654321', '111111', '000000',
]

function pool(chars: string[]): number {
  let size = 0
  if (chars.some((c) => /[a-z]/.test(c))) size += 26
  if (chars.some((c) => /[A-Z]/.test(c))) size += 26
  if (chars.some((c) => /[0-9]/.test(c))) size += 10
  if (chars.some((c) => /[\x20-\x7e]/.test(c) && !/[a-zA-Z0-9]/.test(c))) size += 33
  if (chars.some((c) => /[а-яё]/.test(c))) size += 33
  if (chars.some((c) => /[А-ЯЁ]/.test(c))) size += 33
  if (chars.some((c) => /[^\x20-\x7eа-яёА-ЯЁ]/.test(c))) size += 100
  return size
}

/**
 * passwordStrength is a small local estimate shown while typing: it counts the bits of a
 * password after discounting repeated characters, runs (abc, 321) and common words.
 */
export function passwordStrength(password: string): Score {
  const chars = [...password]
  if (chars.length < passwordMin || chars.length > passwordMax) return 0
  // Weight each character by how much it adds: a repeat or a step in a run adds little.
  const weight = chars.map((c, i): number => {
    if (i === 0) return 1
    const prev = chars[i - 1] as string
    if (c === prev) return 0.1
    const step = c.codePointAt(0)! - prev.codePointAt(0)!
    return Math.abs(step) === 1 ? 0.3 : 1
  })
  // A common word counts as one character, wherever it appears.
  const lower = chars.map((c) => c.toLowerCase())
  for (const word of common.map((w) => [...w])) {
    for (let at = 0; at + word.length <= lower.length; at++) {
      if (word.every((c, j) => lower[at + j] === c)) weight.fill(0, at + 1, at + word.length)
    }
  }
  const effective = weight.reduce((sum, w) => sum + w, 0)
  const bits = effective * Math.log2(pool(chars))
  if (bits < 40) return 1
  if (bits < 60) return 2
  if (bits < 80) return 3
  return 4
}
