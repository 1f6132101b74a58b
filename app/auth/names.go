package auth

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"annex/app/apperr"
)

// MaxNameLen bounds a person's display name.
const MaxNameLen = 200

// CleanName trims a display name and collapses its inner white space, recording a field
// error if it is empty, too long or holds control characters.
func CleanName(s, location string, fields *apperr.Fields) string {
	name := strings.Join(strings.Fields(s), " ")
	switch {
	case name == "":
		fields.Add(location, "required", nil)
	case utf8.RuneCountInString(name) > MaxNameLen:
		fields.Add(location, "too_long", map[string]any{"max": MaxNameLen})
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		fields.Add(location, "invalid_characters", nil)
	}
	return name
}

// CleanEmail returns an address as typed, trimmed, and records a field error unless it
// is a plain address such as anna@example.com. It is the address mail goes to; what is
// compared is its identity key, store.EmailKey (docs/people.md, "E-mail addresses").
func CleanEmail(s, location string, fields *apperr.Fields) string {
	e := strings.TrimSpace(s)
	if e == "" {
		fields.Add(location, "required", nil)
		return e
	}
	at := strings.LastIndexByte(e, '@')
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" || at < 1 || at == len(e)-1 || len(e) > 254 {
		fields.Add(location, "invalid_email", nil)
	}
	return e
}
