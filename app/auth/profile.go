package auth

import (
	"strings"
	"time"
	_ "time/tzdata" // a static binary on a minimal host still knows every time zone
	"unicode"
	"unicode/utf8"

	"annex/app/apperr"
	"annex/store"
)

// MaxProfileText bounds the free-text profile fields (position, company).
const MaxProfileText = 200

// CleanText trims an optional one-line text and collapses its inner white space,
// recording a field error if it is too long or holds control characters.
func CleanText(s, location string, max int, fields *apperr.Fields) string {
	text := strings.Join(strings.Fields(s), " ")
	switch {
	case utf8.RuneCountInString(text) > max:
		fields.Add(location, "too_long", map[string]any{"max": max})
	case strings.IndexFunc(text, unicode.IsControl) >= 0:
		fields.Add(location, "invalid_characters", nil)
	}
	return text
}

// CleanPhone accepts a telephone number as people write one: digits with spaces,
// "+", brackets, dashes, dots or slashes, at most 40 characters.
func CleanPhone(s, location string, fields *apperr.Fields) string {
	phone := strings.Join(strings.Fields(s), " ")
	digits := 0
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-./", r):
		default:
			digits = -1000
		}
	}
	if phone != "" && (digits < 3 || len(phone) > 40) {
		fields.Add(location, "phone_invalid", nil)
	}
	return phone
}

// CleanTimeZone accepts an IANA time zone name such as Europe/Berlin, or "" for none.
func CleanTimeZone(s, location string, fields *apperr.Fields) string {
	tz := strings.TrimSpace(s)
	if tz == "" {
		return ""
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" || strings.HasPrefix(tz, "/") || strings.Contains(tz, "..") {
		fields.Add(location, "time_zone_unknown", nil)
	}
	return tz
}

// PhotoURL is where a person's photo is served, or "" when they have none. The photo's
// id in the query makes a new photo a new address, so browsers may cache each for long.
func PhotoURL(u store.User) string {
	if u.PhotoID == "" {
		return ""
	}
	return "/api/v1/people/" + u.ID + "/photo?v=" + u.PhotoID
}
