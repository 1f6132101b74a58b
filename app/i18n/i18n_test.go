package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"annex/app/i18n"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	en, ru := i18n.Keys("en"), i18n.Keys("ru")
	for _, k := range en {
		if !slices.Contains(ru, k) {
			t.Errorf("ru.json lacks %q", k)
		}
	}
	for _, k := range ru {
		if !slices.Contains(en, k) {
			t.Errorf("en.json lacks %q", k)
		}
	}
}

func TestTranslate(t *testing.T) {
	if got := i18n.T("ru", "field.too_long", map[string]any{"max": 5}); got != "Не более 5 символов." {
		t.Errorf("T = %q", got)
	}
	if got := i18n.T("xx", "field.required", nil); got != "This field is required." {
		t.Errorf("unknown locale should fall back to English: %q", got)
	}
	for header, want := range map[string]string{"ru-RU,ru;q=0.9,en;q=0.8": "ru", "de-DE": "en", "": "en", "en-GB": "en", "uk, ru;q=0.5": "ru"} {
		if got := i18n.Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

// Every error and field code the application can return has a message: the code
// literals are read from the source, so a new code without a translation fails here.
func TestEveryCodeIsTranslated(t *testing.T) {
	fset := token.NewFileSet()
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			check := func(prefix string, e ast.Expr) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				code, _ := strconv.Unquote(lit.Value)
				found++
				if !i18n.Has(prefix + code) {
					t.Errorf("%s: %s%s has no message in the catalogue", fset.Position(lit.Pos()), prefix, code)
				}
			}
			switch x := n.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch {
				case sel.Sel.Name == "New" && isPkg(sel.X, "apperr") && len(x.Args) == 3:
					check("error.", x.Args[1])
				case (sel.Sel.Name == "Forbidden" || sel.Sel.Name == "TooMany") && isPkg(sel.X, "apperr"):
					check("error.", x.Args[0])
				case sel.Sel.Name == "FieldErr" && len(x.Args) == 3, sel.Sel.Name == "Add" && len(x.Args) == 3:
					check("field.", x.Args[1])
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Code" {
					check("error.", x.Value)
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Code" && i < len(x.Rhs) {
						prefix := "error."
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == "f" {
							prefix = "field."
						}
						check(prefix, x.Rhs[i])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Fatalf("found only %d code literals: the scan is broken", found)
	}
}

func isPkg(e ast.Expr, name string) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }

// Counted words agree with their number in both languages ("1 seconds" and "All 1
// seats" were the bugs); Russian has three forms for whole numbers.
func TestPlurals(t *testing.T) {
	for _, tc := range []struct {
		locale, key string
		params      map[string]any
		want        string
	}{
		{"en", "wait.seconds", map[string]any{"n": 1}, "1 second"},
		{"en", "wait.seconds", map[string]any{"n": 2}, "2 seconds"},
		{"en", "wait.seconds", map[string]any{"n": 0}, "0 seconds"},
		{"en", "wait.minutes", map[string]any{"n": 1}, "1 minute"},
		{"ru", "wait.seconds", map[string]any{"n": 1}, "1 секунду"},
		{"ru", "wait.seconds", map[string]any{"n": 3}, "3 секунды"},
		{"ru", "wait.seconds", map[string]any{"n": 5}, "5 секунд"},
		{"ru", "wait.seconds", map[string]any{"n": 11}, "11 секунд"},
		{"ru", "wait.seconds", map[string]any{"n": 14}, "14 секунд"},
		{"ru", "wait.seconds", map[string]any{"n": 21}, "21 секунду"},
		{"ru", "wait.seconds", map[string]any{"n": 22}, "22 секунды"},
		{"ru", "wait.seconds", map[string]any{"n": 112}, "112 секунд"},
		{"ru", "wait.minutes", map[string]any{"n": 42}, "42 минуты"},
		{"en", "field.too_long", map[string]any{"max": 1}, "Use at most 1 character."},
		{"ru", "field.too_long", map[string]any{"max": 1}, "Не более 1 символа."},
		{"ru", "field.too_long", map[string]any{"max": 5}, "Не более 5 символов."},
	} {
		if got := i18n.T(tc.locale, tc.key, tc.params); got != tc.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tc.locale, tc.key, tc.params, got, tc.want)
		}
	}
	seats := func(loc string, n int) string {
		return i18n.T(loc, "error.seats_full", map[string]any{"seats": n, "active": n, "invited": 0})
	}
	if got := seats("en", 1); strings.Contains(got, "1 seats") || !strings.Contains(got, "only seat") {
		t.Errorf("one seat: %q", got)
	}
	if got := seats("en", 10); !strings.HasPrefix(got, "All 10 seats are in use") {
		t.Errorf("ten seats: %q", got)
	}
	for n, want := range map[int]string{1: "1 место", 3: "3 места", 10: "10 мест", 21: "21 место"} {
		if got := seats("ru", n); !strings.Contains(got, want) {
			t.Errorf("ru, %d seats: %q, want %q in it", n, got, want)
		}
	}
	// A plural message without its number still says something whole.
	if got := i18n.T("en", "wait.seconds", nil); got != "{n} seconds" {
		t.Errorf("no count: %q", got)
	}
}
