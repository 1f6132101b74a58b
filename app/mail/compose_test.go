package mail_test

import (
	"strings"
	"testing"

	"annex/app/mail"
)

func TestLettersInTheRecipientsLanguage(t *testing.T) {
	for _, tc := range []struct{ locale, subject, action string }{
		{"en", "Ada invites you to <Design> at Example & Co", "Open the invitation"},
		{"ru", "Ada приглашает вас в группу «<Design>» — Example & Co", "Открыть приглашение"},
	} {
		subject, text, html := mail.Compose(mail.Letter{Kind: "invitation", Locale: tc.locale, Company: "Example & Co",
			Params: map[string]any{"inviter": "Ada", "group": "<Design>", "expires": "30 November 2026"},
			Link:   "https://annex.example.com/invite#t=abc", Note: "Welcome aboard!\n<script>alert(1)</script>", NoteBy: "Ada"})
		if subject != tc.subject {
			t.Errorf("%s subject: %q", tc.locale, subject)
		}
		for _, want := range []string{tc.action, "https://annex.example.com/invite#t=abc", "> <script>alert(1)</script>", "30 November 2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s text lacks %q:\n%s", tc.locale, want, text)
			}
		}
		if strings.Contains(html, "<script>") || strings.Contains(html, "<Design>") || !strings.Contains(html, "&lt;Design&gt;") ||
			!strings.Contains(html, `href="https://annex.example.com/invite#t=abc"`) || !strings.Contains(html, `lang="`+tc.locale+`"`) {
			t.Errorf("%s html is not escaped or lacks the link:\n%s", tc.locale, html)
		}
	}
}
