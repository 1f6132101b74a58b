// Package i18n holds the server's message catalogue (English and Russian) for errors and
// e-mails, and the request's language.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

//go:embed en.json ru.json
var files embed.FS

// Locales are the supported languages, the first being the fallback.
var Locales = []string{"en", "ru"}

// message is one catalogue entry: a plain text, or plural forms chosen by the number
// in the parameter named by "count", as in
//
//	"wait.seconds": {"count": "n", "one": "{n} second", "other": "{n} seconds"}
//
// Forms are CLDR's plural categories for whole numbers: English one/other, Russian
// one/few/many (other is the fallback of every language).
type message struct {
	text  string
	count string
	forms map[string]string
}

func (m *message) UnmarshalJSON(b []byte) error {
	if json.Unmarshal(b, &m.text) == nil {
		return nil
	}
	var forms map[string]string
	if err := json.Unmarshal(b, &forms); err != nil {
		return err
	}
	m.count = forms["count"]
	delete(forms, "count")
	if m.count == "" || forms["other"] == "" && forms["many"] == "" {
		return fmt.Errorf("plural message needs \"count\" and an \"other\" or \"many\" form")
	}
	m.forms = forms
	return nil
}

var catalogue = func() map[string]map[string]message {
	c := map[string]map[string]message{}
	for _, l := range Locales {
		b, err := files.ReadFile(l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]message{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: %s.json: %v", l, err))
		}
		c[l] = m
	}
	return c
}()

// PluralForm is the CLDR plural category of the whole number n in locale.
func PluralForm(locale string, n int64) string {
	if n < 0 {
		n = -n
	}
	switch locale {
	case "ru":
		switch d, h := n%10, n%100; {
		case d == 1 && h != 11:
			return "one"
		case d >= 2 && d <= 4 && (h < 12 || h > 14):
			return "few"
		default:
			return "many"
		}
	default:
		if n == 1 {
			return "one"
		}
		return "other"
	}
}

// pick picks the message's form for params.
func (m message) pick(locale string, params map[string]any) string {
	if m.forms == nil {
		return m.text
	}
	form := "other"
	if n, ok := wholeNumber(params[m.count]); ok {
		form = PluralForm(locale, n)
	}
	if t, ok := m.forms[form]; ok {
		return t
	}
	if t, ok := m.forms["other"]; ok {
		return t
	}
	return m.forms["many"]
}

func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

// Keys returns the keys of one locale's catalogue, sorted.
func Keys(locale string) []string {
	keys := make([]string, 0, len(catalogue[locale]))
	for k := range catalogue[locale] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether key exists in the fallback catalogue.
func Has(key string) bool { _, ok := catalogue[Locales[0]][key]; return ok }

// T translates key into locale, replacing {name} with params["name"]; a plural message
// takes the form its count parameter calls for. A missing key falls back to English,
// then to the key itself, so a gap is visible but harmless.
func T(locale, key string, params map[string]any) string {
	m, ok := catalogue[locale][key]
	if !ok {
		if m, ok = catalogue[Locales[0]][key]; !ok {
			m = message{text: key}
		}
	}
	msg := m.pick(locale, params)
	if len(params) == 0 {
		return msg
	}
	pairs := make([]string, 0, 2*len(params))
	for k, v := range params {
		pairs = append(pairs, "{"+k+"}", fmt.Sprint(v))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Russian})

// Negotiate picks a supported locale from an Accept-Language header.
func Negotiate(acceptLanguage string) string {
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	_, idx, _ := matcher.Match(tags...)
	return Locales[idx]
}

// Supported reports whether l is one of Locales.
func Supported(l string) bool { return l == "en" || l == "ru" }

type ctxKey struct{}

// With returns ctx carrying the request's locale.
func With(ctx context.Context, locale string) context.Context {
	return context.WithValue(ctx, ctxKey{}, locale)
}

// From returns the request's locale, English if none was set.
func From(ctx context.Context) string {
	if l, ok := ctx.Value(ctxKey{}).(string); ok {
		return l
	}
	return Locales[0]
}
