/**
 * telHref makes a tel: link from a number as people write it ("+49 (30) 123-45 67"): only its
 * digits and a leading plus are dialled. A number without digits has no link ('').
 */
export function telHref(phone: string): string {
  const trimmed = phone.trim()
  const digits = trimmed.replace(/\D/g, '')
  if (!digits) return ''
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`
}
