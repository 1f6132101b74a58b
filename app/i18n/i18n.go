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

var catalogue = func() map[string]map[string]string {
	c := map[string]map[string]string{}
	for _, l := range Locales {
		b, err := files.ReadFile(l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: %s.json: %v", l, err))
		}
		c[l] = m
	}
	return c
}()

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

// T translates key into locale, replacing {name} with params["name"]. A missing key
// falls back to English, then to the key itself, so a gap is visible but harmless.
func T(locale, key string, params map[string]any) string {
	msg, ok := catalogue[locale][key]
	if !ok {
		if msg, ok = catalogue[Locales[0]][key]; !ok {
			msg = key
		}
	}
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
