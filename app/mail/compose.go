package mail

import (
	"html"
	"strings"
	"time"

	"annex/app/i18n"
)

// Letter is a mail composed from the catalogue (app/i18n): the keys mail.<Kind>.subject,
// mail.<Kind>.body (paragraphs separated by a blank line) and, with a Link,
// mail.<Kind>.action, in the recipient's language.
type Letter struct {
	Kind    string
	Locale  string
	Company string
	Params  map[string]any
	Link    string // the one thing to do, if any
	Note    string // the sender's own words, quoted as written
	NoteBy  string // who wrote them
}

// Compose renders a letter as its subject, plain text and HTML.
func Compose(l Letter) (subject, text, html string) {
	params := map[string]any{"company": l.Company}
	for k, v := range l.Params {
		params[k] = v
	}
	t := func(key string) string { return i18n.T(l.Locale, "mail."+l.Kind+"."+key, params) }
	subject = t("subject")
	paras := strings.Split(t("body"), "\n\n")
	var note string
	if l.Note != "" {
		note = i18n.T(l.Locale, "mail.note", map[string]any{"name": l.NoteBy})
	}
	var b strings.Builder
	for _, p := range paras {
		b.WriteString(p + "\n\n")
	}
	if l.Note != "" {
		b.WriteString(note + "\n\n> " + strings.ReplaceAll(strings.TrimSpace(l.Note), "\n", "\n> ") + "\n\n")
	}
	if l.Link != "" {
		b.WriteString(t("action") + ":\n" + l.Link + "\n\n")
	}
	footer := i18n.T(l.Locale, "mail.footer", params)
	b.WriteString("-- \n" + footer + "\n")
	return subject, b.String(), letterHTML(l, subject, paras, note, t("action"), footer)
}

// letterHTML writes the HTML part by hand, every value escaped, rather than through
// html/template: that package reaches reflect.Value.MethodByName, which turns off the
// linker's dead-method elimination for the whole binary (about 7 MB, issue 15).
func letterHTML(l Letter, subject string, paras []string, note, action, footer string) string {
	e := html.EscapeString
	var h strings.Builder
	h.WriteString(`<!doctype html>
<html lang="` + e(l.Locale) + `">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>` + e(subject) + `</title></head>
<body style="margin:0;padding:24px 12px;background:#f4f5f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1c20;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:28px 24px">
<p style="margin:0 0 20px;font-size:14px;color:#5b5e68">` + e(l.Company) + "</p>\n")
	for _, p := range paras {
		h.WriteString(`<p style="margin:0 0 16px;font-size:16px">` + e(p) + "</p>\n")
	}
	if l.Note != "" {
		h.WriteString(`<p style="margin:0 0 8px;font-size:14px;color:#5b5e68">` + e(note) + "</p>\n" +
			`<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #c9ccd6;font-size:16px">`)
		for _, line := range strings.Split(strings.TrimSpace(l.Note), "\n") {
			h.WriteString(e(line) + "<br>")
		}
		h.WriteString("</blockquote>\n")
	}
	// Links are built from the configured base URL; anything but http(s) is not made a link.
	if link := l.Link; strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://") {
		h.WriteString(`<p style="margin:24px 0"><a href="` + e(link) + `" style="display:inline-block;background:#2b5797;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">` +
			e(action) + "</a></p>\n" +
			`<p style="margin:0 0 16px;font-size:13px;color:#5b5e68;word-break:break-all">` + e(link) + "</p>\n")
	}
	h.WriteString(`<p style="margin:24px 0 0;font-size:13px;color:#5b5e68">` + e(footer) + `</p>
</div>
</body>
</html>
`)
	return h.String()
}

// Date writes a moment in the reader's time zone when her profile names one, in UTC
// otherwise, saying which.
func Date(t time.Time, zone string) string {
	if loc, err := time.LoadLocation(zone); zone != "" && err == nil {
		return t.In(loc).Format("2006-01-02 15:04") + " (" + zone + ")"
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}
