package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// notContent are the Store methods that read no content and so take no Actor: the
// machinery, configuration, and the look-ups that happen before there is an actor.
// Adding a name here needs a reason a reviewer accepts.
var notContent = map[string]string{
	"Close":                "machinery",
	"Now":                  "machinery",
	"Ping":                 "health check",
	"Tx":                   "writes load their targets through fenced reads inside",
	"Settings":             "company configuration, not content",
	"SetupDraft":           "the wizard's draft, before any account exists",
	"UserForSignIn":        "sign-in: there is no actor yet",
	"SessionUser":          "builds the actor from the session cookie",
	"APITokenUser":         "builds the actor from an API token",
	"CountUsers":           "a number, no content",
	"ThrottleBlockedUntil": "sign-in throttling, before there is an actor",
	"ThrottleFailures":     "sign-in throttling, before there is an actor",
	"MailQueued":           "a wake-up signal for the outbox worker, no data",
	"LastJobRun":           "a scheduled job's last outcome, no content",
	"TwoFactorChallenge":   "sign-in's second step: there is no actor yet",
	"TaskViewers":          "narrows ids it is given (the open event streams) to who may see a task: returns no content",
}

// Every exported read of the store takes the actor right after the context, so its
// SQL can be scoped by the fence (ARCHITECTURE.md, "The fence").
func TestEveryReadTakesAnActor(t *testing.T) {
	fset := token.NewFileSet()
	names, _ := filepath.Glob("*.go")
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok || star.X.(*ast.Ident).Name != "Store" {
				continue
			}
			if _, ok := notContent[fn.Name.Name]; ok {
				continue
			}
			checked++
			params := fn.Type.Params.List
			var types []string
			for _, p := range params {
				n := max(len(p.Names), 1)
				for range n {
					types = append(types, exprString(p.Type))
				}
			}
			if len(types) < 2 || types[0] != "context.Context" || types[1] != "Actor" {
				t.Errorf("%s: (*Store).%s(%s) reads without an Actor after the context", fset.Position(fn.Pos()),
					fn.Name.Name, strings.Join(types, ", "))
			}
		}
	}
	if checked == 0 {
		t.Fatal("no content read found: the scan is broken")
	}
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	}
	return "?"
}
