package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex/app/config"
)

func noEnv(string) (string, bool) { return "", false }

func TestDefaultsAreValid(t *testing.T) {
	c, err := config.Load("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DataDir != "data" || time.Duration(c.Session.Idle) != 8*time.Hour {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.Argon2.MemoryKiB < 19*1024 {
		t.Fatalf("argon2 memory %d KiB is below OWASP's floor", c.Argon2.MemoryKiB)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "annex.toml")
	os.WriteFile(path, []byte(`listen = "0.0.0.0:9000"
trusted_proxies = ["10.0.0.0/8"]
[session]
remember_idle = "7d"
[settings]
base_url = "https://intranet.example.com"
[settings.smtp]
port = 465
`), 0o600)
	env := map[string]string{"ANNEX_LISTEN": "127.0.0.1:9001", "ANNEX_SMTP_HOST": "mail.example.com",
		"ANNEX_EXTRANET_ENABLED": "false"}
	c, err := config.Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9001" {
		t.Errorf("environment should win over the file: listen = %q", c.Listen)
	}
	if time.Duration(c.Session.RememberIdle) != 7*24*time.Hour {
		t.Errorf("remember_idle = %v", time.Duration(c.Session.RememberIdle))
	}
	if *c.Settings.BaseURL != "https://intranet.example.com" || *c.Settings.SMTP.Port != 465 ||
		*c.Settings.SMTP.Host != "mail.example.com" || *c.Settings.ExtranetEnabled {
		t.Errorf("settings overrides not applied: %+v", c.Settings)
	}
	if c.Settings.CompanyName != nil {
		t.Errorf("unset override should stay nil")
	}
}

func TestEveryProblemIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "annex.toml")
	os.WriteFile(path, []byte(`listen = "nonsense"
log_format = "xml"
[settings]
base_url = "ftp://x"
`), 0o600)
	_, err := config.Load(path, noEnv)
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"listen", "log_format", "base_url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	os.WriteFile(path, []byte("lisen = \"x\"\n"), 0o600)
	if _, err := config.Load(path, noEnv); err == nil || !strings.Contains(err.Error(), "lisen") {
		t.Errorf("an unknown setting must be named: %v", err)
	}
	bad := func(k string) (string, bool) {
		if k == "ANNEX_SMTP_PORT" {
			return "abc", true
		}
		return "", false
	}
	if _, err := config.Load("", bad); err == nil || !strings.Contains(err.Error(), "ANNEX_SMTP_PORT") {
		t.Errorf("a bad variable must be named: %v", err)
	}
}

// The example file parses, and documents every environment variable.
func TestExampleFileIsComplete(t *testing.T) {
	path := "../../config.example.toml"
	if _, err := config.Load(path, noEnv); err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	b, _ := os.ReadFile(path)
	for _, name := range config.EnvNames() {
		if !strings.Contains(string(b), name) {
			t.Errorf("config.example.toml does not mention %s", name)
		}
	}
}

func TestMemoryLimitAndHashingCost(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	for in, want := range map[string]config.Bytes{"256MiB": 256 << 20, "1GiB": 1 << 30, "512MB": 512e6, "off": 0, "2147483648": 2 << 30} {
		c, err := config.Load("", env(map[string]string{"ANNEX_MEMORY_LIMIT": in}))
		if err != nil || c.MemoryLimit != want {
			t.Errorf("memory_limit %q: %d, %v; want %d", in, c.MemoryLimit, err, want)
		}
	}
	for in, want := range map[string]string{
		"ANNEX_MEMORY_LIMIT=lots":         "256MiB",
		"ANNEX_MEMORY_LIMIT=64MiB":        "raise it",
		"ANNEX_ARGON2_ITERATIONS=1":       "OWASP",
		"ANNEX_ARGON2_MEMORY_KIB=6144":    "OWASP",
		"ANNEX_ARGON2_MAX_CONCURRENT=100": "argon2.max_concurrent",
	} {
		k, v, _ := strings.Cut(in, "=")
		if _, err := config.Load("", env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", in, err, want)
		}
	}
	// Another of OWASP's settings is accepted.
	if _, err := config.Load("", env(map[string]string{"ANNEX_ARGON2_MEMORY_KIB": "47104", "ANNEX_ARGON2_ITERATIONS": "1"})); err != nil {
		t.Errorf("47104 KiB × 1: %v", err)
	}
}

func TestTLS(t *testing.T) {
	env := map[string]string{"ANNEX_TLS_DOMAIN": "intranet.example.com", "ANNEX_TLS_HTTPS_LISTEN": ":8443"}
	c, err := config.Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if !c.TLS.Enabled() || c.TLS.HTTPListen != ":80" || *c.Settings.BaseURL != "https://intranet.example.com:8443" {
		t.Errorf("tls %+v, base URL %v", c.TLS, *c.Settings.BaseURL)
	}
	env = map[string]string{"ANNEX_TLS_DOMAIN": "intranet", "ANNEX_TLS_CA_URL": "http://ca.example.com/dir", "ANNEX_TLS_HTTP_LISTEN": "80"}
	_, err = config.Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	for _, want := range []string{"tls.domain", "tls.ca_url", "tls.http_listen"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
	c, err = config.Load("", func(string) (string, bool) { return "", false })
	if err != nil || c.TLS.Enabled() || c.Settings.BaseURL != nil {
		t.Errorf("without a domain: %+v %v", c.TLS, err)
	}
}
