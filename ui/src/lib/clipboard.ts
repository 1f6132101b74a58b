/**
 * copyText puts text on the clipboard and answers whether it worked. Pages served over plain
 * HTTP (an intranet without TLS) have no Clipboard API, so it falls back to the old copy
 * command on a hidden text area placed in container (inside a dialog, so that the dialog's
 * focus trap leaves it alone).
 */
export async function copyText(text: string, container: HTMLElement = document.body): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch {
      // Refused (no permission, document not focused): try the old way.
    }
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.setAttribute('aria-hidden', 'true')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  container.append(area)
  const focused = document.activeElement
  area.focus()
  area.select()
  let ok: boolean
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  if (focused instanceof HTMLElement) focused.focus()
  return ok
}
