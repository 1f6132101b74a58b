// How a session is named to its owner: the browser and the system its User-Agent named.
import type { MySession } from '@/api/types'

type Device = Pick<MySession, 'browser' | 'os'>

/** deviceParts says which words name the device: both, one of them, or none known. */
export function deviceParts(s: Device): { kind: 'both' | 'one' | 'unknown'; name: string } {
  if (s.browser && s.os) return { kind: 'both', name: '' }
  if (s.browser || s.os) return { kind: 'one', name: s.browser || s.os }
  return { kind: 'unknown', name: '' }
}

/** isPhone tells a phone or a tablet from a computer, for the icon. */
export function isPhone(s: Device): boolean {
  return ['iPhone', 'iPad', 'Android'].includes(s.os)
}

/** otherSessions are the sessions that are not this device's. */
export function otherSessions<S extends Pick<MySession, 'current'>>(list: readonly S[]): S[] {
  return list.filter((s) => !s.current)
}

/** thisDeviceFirst puts this device's session first; the others stay most recently used first. */
export function thisDeviceFirst<S extends Pick<MySession, 'current'>>(list: readonly S[]): S[] {
  return [...list.filter((s) => s.current), ...otherSessions(list)]
}
