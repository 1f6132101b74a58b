package mail

import (
	"bytes"
	_ "embed"
	"html/template"
	"strings"

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

//go:embed letter.html
var letterHTML string

var letterTmpl = template.Must(template.New("letter").Parse(letterHTML))

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
	b.WriteString("-- \n" + i18n.T(l.Locale, "mail.footer", params) + "\n")
	var h bytes.Buffer
	data := map[string]any{"Lang": l.Locale, "Company": l.Company, "Subject": subject, "Paragraphs": paras,
		"NoteIntro": note, "Note": strings.Split(strings.TrimSpace(l.Note), "\n"), "HasNote": l.Note != "",
		"Link": l.Link, "Footer": i18n.T(l.Locale, "mail.footer", params)}
	if l.Link != "" {
		data["Action"] = t("action")
	}
	if err := letterTmpl.Execute(&h, data); err != nil {
		panic("mail: letter template: " + err.Error()) // the template is ours and fixed
	}
	return subject, b.String(), h.String()
}
