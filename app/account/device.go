package account

import "strings"

// Device is what a User-Agent header says about the browser behind a session, reduced
// to the names a person recognises. Either is "" when the header does not say.
type Device struct {
	Browser string
	OS      string
}

// ParseUserAgent reads the browser and the operating system from a User-Agent header.
// It knows the browsers and systems people sign in from, and nothing more: the order of
// the checks matters, because most browsers also name the ones they descend from
// (Edge and Opera say "Chrome", Chrome says "Safari", and every one says "Mozilla").
func ParseUserAgent(ua string) Device {
	has := func(s string) bool { return strings.Contains(ua, s) }
	var d Device
	switch {
	case has("YaBrowser/"):
		d.Browser = "Yandex Browser"
	case has("Edg/") || has("EdgA/") || has("EdgiOS/") || has("Edge/"):
		d.Browser = "Edge"
	case has("OPR/") || has("Opera"):
		d.Browser = "Opera"
	case has("Vivaldi/"):
		d.Browser = "Vivaldi"
	case has("SamsungBrowser/"):
		d.Browser = "Samsung Internet"
	case has("Firefox/") || has("FxiOS/"):
		d.Browser = "Firefox"
	case has("HeadlessChrome/"):
		d.Browser = "Headless Chrome"
	case has("Chrome/") || has("CriOS/") || has("Chromium/"):
		d.Browser = "Chrome"
	case has("Safari/") && (has("Version/") || has("Mobile/")):
		d.Browser = "Safari"
	case has("curl/"):
		d.Browser = "curl"
	}
	switch {
	case has("iPhone"):
		d.OS = "iPhone"
	case has("iPad"):
		d.OS = "iPad"
	case has("Android"):
		d.OS = "Android"
	case has("CrOS"):
		d.OS = "ChromeOS"
	case has("Windows"):
		d.OS = "Windows"
	case has("Macintosh") || has("Mac OS X"):
		d.OS = "macOS"
	case has("Linux") || has("X11"):
		d.OS = "Linux"
	}
	return d
}
