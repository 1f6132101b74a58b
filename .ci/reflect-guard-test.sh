#!/usr/bin/env bash
# Proves that make reflect-guard can fail: a scratch program that executes a template
# (which reaches reflect.Value.Method) must be refused, with the chain named; a program
# without one must pass.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
guard() { (cd "$1" && CGO_ENABLED=0 go build -ldflags=-dumpdep -o /dev/null . 2>&1) | awk -f "$here/reflect-chain.awk"; }

mkdir "$tmp/plain" "$tmp/template"
printf 'module scratch\n\ngo 1.22\n' | tee "$tmp/plain/go.mod" > "$tmp/template/go.mod"
cat > "$tmp/plain/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello") }
GO
cat > "$tmp/template/main.go" <<'GO'
package main

import (
	"os"
	"text/template"
)

func main() { _ = template.Must(template.New("t").Parse("{{.}}")).Execute(os.Stdout, 1) }
GO

guard "$tmp/plain" >/dev/null || { echo "reflect-guard refused a program without a template"; exit 1; }
if out=$(guard "$tmp/template"); then
	echo "reflect-guard let a template through"; exit 1
fi
grep -q 'text/template' <<<"$out" || { echo "reflect-guard did not name the chain:"; echo "$out"; exit 1; }
echo "reflect-guard: refuses a template (chain ends in $(tail -1 <<<"$out" | sed "s/^ *-> //")), passes without one"
