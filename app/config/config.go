// Package config loads Annex's boot configuration: embedded defaults, then an optional
// TOML file, then ANNEX_* environment variables, then validation that reports every
// problem at once.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Config is everything needed to boot. Settings an administrator edits in the UI live
// in the database; the ones in Overrides are also settable here, and then win and show
// as locked in the UI.
type Config struct {
	Listen         string   `toml:"listen"`
	DataDir        string   `toml:"data_dir"`
	TrustedProxies []string `toml:"trusted_proxies"`
	LogFormat      string   `toml:"log_format"`
	LogLevel       string   `toml:"log_level"`
	// MemoryLimit is the soft limit of the Go runtime's memory (as GOMEMLIMIT): near it
	// the runtime collects harder and returns memory sooner. 0 sets none.
	MemoryLimit Bytes `toml:"memory_limit"`

	Argon2   Argon2         `toml:"argon2"`
	Session  Session        `toml:"session"`
	Uploads  Uploads        `toml:"uploads"`
	Invites  Invites        `toml:"invitations"`
	Settings Overrides      `toml:"settings"`
	Jobs     map[string]Job `toml:"jobs"`
	Backup   Backup         `toml:"backup"`
	Activity Activity       `toml:"activity"`
	Metrics  Metrics        `toml:"metrics"`
	TLS      TLS            `toml:"tls"`
}

// Metrics guards GET /metrics (docs/monitoring.md): it answers requests from loopback
// that no proxy forwarded, and any request carrying Token as a bearer token, when set.
type Metrics struct {
	Token string `toml:"token"`
}

// Activity says how long the activity log keeps its rows (docs/activity-log.md), in
// days; external users' rows at least as long as everybody else's.
type Activity struct {
	RetentionDays         int `toml:"retention_days"`
	ExternalRetentionDays int `toml:"external_retention_days"`
}

// Backup says where backups go, when the scheduled one runs and how many are kept.
type Backup struct {
	Dir      string `toml:"dir"`      // "" is <data_dir>/backups
	Schedule string `toml:"schedule"` // the scheduled job's; "off" switches it off
	Keep     int    `toml:"keep"`     // backups kept, oldest removed first; 0 keeps all
}

// BackupDir is where backups go.
func (c Config) BackupDir() string {
	if c.Backup.Dir != "" {
		return c.Backup.Dir
	}
	return filepath.Join(c.DataDir, "backups")
}

// Job overrides a scheduled job's schedule or switches it off.
type Job struct {
	Schedule string `toml:"schedule"`
	Enabled  *bool  `toml:"enabled"`
}

// Argon2 holds the password hashing cost. Memory is in KiB.
type Argon2 struct {
	MemoryKiB     uint32 `toml:"memory_kib"`
	Iterations    uint32 `toml:"iterations"`
	Parallelism   uint8  `toml:"parallelism"`
	MaxConcurrent int    `toml:"max_concurrent"`
}

// Invites bounds how many invitations one person sends an hour (PRODUCT.md §4).
type Invites struct {
	PerHour      int `toml:"per_hour"`
	AdminPerHour int `toml:"admin_per_hour"`
}

// Uploads bounds what people may upload.
type Uploads struct {
	PhotoMaxMB int `toml:"photo_max_mb"`
	// FileMaxMB is the largest file one may upload to a drive.
	FileMaxMB int `toml:"file_max_mb"`
	// StallTimeout is the longest an upload may go without sending a byte before it is
	// cut, so a stalled connection cannot hold its buffer for ever.
	StallTimeout Duration `toml:"stall_timeout"`
	// PerPerson is how many large bodies (uploads) one person may send at once.
	PerPerson int `toml:"per_person"`
}

// Session holds the lifetimes of browser sessions.
type Session struct {
	Idle             Duration `toml:"idle"`
	Absolute         Duration `toml:"absolute"`
	RememberIdle     Duration `toml:"remember_idle"`
	RememberAbsolute Duration `toml:"remember_absolute"`
}

// Overrides are database settings pinned by the file or the environment. A nil field
// is not pinned.
type Overrides struct {
	CompanyName     *string   `toml:"company_name"`
	BaseURL         *string   `toml:"base_url"`
	ExtranetEnabled *bool     `toml:"extranet_enabled"`
	SMTP            SMTP      `toml:"smtp"`
	TwoFactor       TwoFactor `toml:"two_factor"`
}

// TwoFactor is the pinnable two-factor policy (docs/two-factor.md).
type TwoFactor struct {
	Externals *bool   `toml:"externals"` // mandatory for external users
	Employees *string `toml:"employees"` // off, optional or mandatory
	Admins    *bool   `toml:"admins"`    // mandatory for administrators
}

// SMTP is the pinnable part of the mail settings.
type SMTP struct {
	Host     *string `toml:"host"`
	Port     *int    `toml:"port"`
	Security *string `toml:"security"`
	Username *string `toml:"username"`
	Password *string `toml:"password"`
	From     *string `toml:"from"`
}

// Duration is a time.Duration written as "8h" or "14d" in TOML and the environment.
type Duration time.Duration

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// ParseDuration accepts Go durations plus a whole number of days ("14d").
func ParseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// Bytes is a size written as "256MiB", "1GiB", "512MB" or a number of bytes; "off" or
// 0 is none.
type Bytes int64

var byteUnits = []struct {
	suffix string
	n      int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bytes) UnmarshalText(t []byte) error {
	s := strings.TrimSpace(string(t))
	if s == "off" || s == "0" {
		*b = 0
		return nil
	}
	unit := int64(1)
	for _, u := range byteUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, unit = strings.TrimSpace(n), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/unit {
		return fmt.Errorf("invalid size %q: write it like 256MiB or 1GiB, or off", string(t))
	}
	*b = Bytes(n * unit)
	return nil
}

// String writes the size in the largest binary unit that divides it.
func (b Bytes) String() string {
	switch {
	case b == 0:
		return "off"
	case b%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", b>>30)
	case b%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", b>>20)
	case b%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", b>>10)
	}
	return fmt.Sprintf("%dB", int64(b))
}

// Default is the zero-config setup: SQLite in ./data, loopback on 8080, and the
// session lifetimes and hashing cost of PRODUCT.md §6.
func Default() Config {
	return Config{
		Listen:    "127.0.0.1:8080",
		DataDir:   "data",
		LogFormat: "auto",
		LogLevel:  "info",
		// Enough for the hashes below and a busy office; near it the runtime works harder.
		MemoryLimit: 256 << 20,
		Argon2: Argon2{
			// One of OWASP's equivalent argon2id settings (19 MiB, t=2): as strong as 46 MiB
			// with one pass, at less than half the memory per sign-in.
			MemoryKiB:   19 * 1024,
			Iterations:  2,
			Parallelism: 1,
			// More sign-ins at once wait their turn: memory stays bounded on a big machine.
			MaxConcurrent: min(max(runtime.NumCPU(), 1), 4),
		},
		Uploads:  Uploads{PhotoMaxMB: 10, FileMaxMB: 1024, StallTimeout: Duration(30 * time.Second), PerPerson: 2},
		Invites:  Invites{PerHour: 50, AdminPerHour: 500},
		Backup:   Backup{Schedule: "@daily", Keep: 7},
		Activity: Activity{RetentionDays: 365, ExternalRetentionDays: 730},
		TLS:      TLS{HTTPSListen: ":443", HTTPListen: ":80"},
		Session: Session{
			Idle:             Duration(8 * time.Hour),
			Absolute:         Duration(24 * time.Hour),
			RememberIdle:     Duration(14 * 24 * time.Hour),
			RememberAbsolute: Duration(30 * 24 * time.Hour),
		},
	}
}

// Load returns the defaults overlaid by the file at path (if not empty) and by the
// environment, validated.
func Load(path string, env func(string) (string, bool)) (Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := toml.NewDecoder(strings.NewReader(string(b))).DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			var sm *toml.StrictMissingError
			if errors.As(err, &sm) {
				return c, fmt.Errorf("config: %s: unknown setting:\n%s", path, sm.String())
			}
			return c, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	c.tlsBaseURL()
	return c, c.Validate()
}

// envVars lists every ANNEX_* variable with the field it sets; config.example.toml
// documents the same names, and a test keeps the two in step.
func (c *Config) envVars() map[string]any {
	return map[string]any{
		"ANNEX_LISTEN":                           &c.Listen,
		"ANNEX_DATA_DIR":                         &c.DataDir,
		"ANNEX_TRUSTED_PROXIES":                  &c.TrustedProxies,
		"ANNEX_LOG_FORMAT":                       &c.LogFormat,
		"ANNEX_LOG_LEVEL":                        &c.LogLevel,
		"ANNEX_MEMORY_LIMIT":                     &c.MemoryLimit,
		"ANNEX_ARGON2_MEMORY_KIB":                &c.Argon2.MemoryKiB,
		"ANNEX_ARGON2_ITERATIONS":                &c.Argon2.Iterations,
		"ANNEX_ARGON2_PARALLELISM":               &c.Argon2.Parallelism,
		"ANNEX_ARGON2_MAX_CONCURRENT":            &c.Argon2.MaxConcurrent,
		"ANNEX_SESSION_IDLE":                     &c.Session.Idle,
		"ANNEX_SESSION_ABSOLUTE":                 &c.Session.Absolute,
		"ANNEX_SESSION_REMEMBER_IDLE":            &c.Session.RememberIdle,
		"ANNEX_SESSION_REMEMBER_ABSOLUTE":        &c.Session.RememberAbsolute,
		"ANNEX_UPLOADS_PHOTO_MAX_MB":             &c.Uploads.PhotoMaxMB,
		"ANNEX_UPLOADS_FILE_MAX_MB":              &c.Uploads.FileMaxMB,
		"ANNEX_UPLOADS_STALL_TIMEOUT":            &c.Uploads.StallTimeout,
		"ANNEX_UPLOADS_PER_PERSON":               &c.Uploads.PerPerson,
		"ANNEX_INVITATIONS_PER_HOUR":             &c.Invites.PerHour,
		"ANNEX_INVITATIONS_ADMIN_PER_HOUR":       &c.Invites.AdminPerHour,
		"ANNEX_COMPANY_NAME":                     &c.Settings.CompanyName,
		"ANNEX_BASE_URL":                         &c.Settings.BaseURL,
		"ANNEX_EXTRANET_ENABLED":                 &c.Settings.ExtranetEnabled,
		"ANNEX_SMTP_HOST":                        &c.Settings.SMTP.Host,
		"ANNEX_SMTP_PORT":                        &c.Settings.SMTP.Port,
		"ANNEX_SMTP_SECURITY":                    &c.Settings.SMTP.Security,
		"ANNEX_SMTP_USERNAME":                    &c.Settings.SMTP.Username,
		"ANNEX_SMTP_PASSWORD":                    &c.Settings.SMTP.Password,
		"ANNEX_SMTP_FROM":                        &c.Settings.SMTP.From,
		"ANNEX_BACKUP_DIR":                       &c.Backup.Dir,
		"ANNEX_BACKUP_SCHEDULE":                  &c.Backup.Schedule,
		"ANNEX_BACKUP_KEEP":                      &c.Backup.Keep,
		"ANNEX_ACTIVITY_RETENTION_DAYS":          &c.Activity.RetentionDays,
		"ANNEX_ACTIVITY_EXTERNAL_RETENTION_DAYS": &c.Activity.ExternalRetentionDays,
		"ANNEX_METRICS_TOKEN":                    &c.Metrics.Token,
		"ANNEX_TLS_DOMAIN":                       &c.TLS.Domain,
		"ANNEX_TLS_EMAIL":                        &c.TLS.Email,
		"ANNEX_TLS_CA_URL":                       &c.TLS.CAURL,
		"ANNEX_TLS_CA_ROOTS":                     &c.TLS.CARoots,
		"ANNEX_TLS_HTTPS_LISTEN":                 &c.TLS.HTTPSListen,
		"ANNEX_TLS_HTTP_LISTEN":                  &c.TLS.HTTPListen,
		"ANNEX_TWO_FACTOR_EXTERNALS":             &c.Settings.TwoFactor.Externals,
		"ANNEX_TWO_FACTOR_EMPLOYEES":             &c.Settings.TwoFactor.Employees,
		"ANNEX_TWO_FACTOR_ADMINS":                &c.Settings.TwoFactor.Admins,
	}
}

// EnvNames returns the names of every environment variable Load reads.
func EnvNames() []string {
	var c Config
	names := make([]string, 0, 32)
	for k := range c.envVars() {
		names = append(names, k)
	}
	return names
}

func (c *Config) applyEnv(env func(string) (string, bool)) error {
	var errs []error
	for name, dst := range c.envVars() {
		v, ok := env(name)
		if !ok {
			continue
		}
		if err := setFromString(dst, v); err != nil {
			errs = append(errs, fmt.Errorf("config: %s=%q: %w", name, v, err))
		}
	}
	return errors.Join(errs...)
}

func setFromString(dst any, v string) error {
	switch p := dst.(type) {
	case *string:
		*p = v
	case **string:
		*p = &v
	case *[]string:
		*p = nil
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				*p = append(*p, f)
			}
		}
	case *int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("not a whole number")
		}
		*p = n
	case **int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("not a whole number")
		}
		*p = &n
	case *uint32:
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return errors.New("not a whole number")
		}
		*p = uint32(n)
	case *uint8:
		n, err := strconv.ParseUint(v, 10, 8)
		if err != nil {
			return errors.New("not a whole number from 1 to 255")
		}
		*p = uint8(n)
	case **bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("not true or false")
		}
		*p = &b
	case *Duration:
		return p.UnmarshalText([]byte(v))
	case *Bytes:
		return p.UnmarshalText([]byte(v))
	default:
		return fmt.Errorf("unsupported type %T", dst)
	}
	return nil
}

// Validate reports every problem at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen %q: want host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080", c.Listen)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir must not be empty")
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				bad("trusted_proxies: %q is neither an address nor a CIDR range", p)
			}
		}
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		bad("log_format %q: want auto, text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	// OWASP's argon2id settings trade memory for passes: 47104 KiB × 1 down to 7168 KiB × 5.
	if c.Argon2.MemoryKiB < 7168 || uint64(c.Argon2.MemoryKiB)*uint64(c.Argon2.Iterations) < 35840 ||
		c.Argon2.Parallelism < 1 {
		bad("argon2: below OWASP's minimum: memory_kib must be at least 7168 and memory_kib × iterations at "+
			"least 35840 (for example 19456 × 2 or 47104 × 1); parallelism at least 1 (memory_kib %d, iterations %d)",
			c.Argon2.MemoryKiB, c.Argon2.Iterations)
	}
	if hashing := int64(c.Argon2.MemoryKiB) << 10 * int64(max(c.Argon2.MaxConcurrent, 1)); c.MemoryLimit > 0 &&
		hashing > int64(c.MemoryLimit)/2 {
		bad("memory_limit %s leaves too little room for %d password hashes of %d KiB at once: raise it, or lower "+
			"argon2.max_concurrent", c.MemoryLimit, c.Argon2.MaxConcurrent, c.Argon2.MemoryKiB)
	}
	if c.Argon2.MaxConcurrent < 1 {
		bad("argon2.max_concurrent must be at least 1")
	}
	if c.Invites.PerHour < 1 || c.Invites.AdminPerHour < 1 {
		bad("invitations: per_hour and admin_per_hour must be at least 1")
	}
	if c.Uploads.PhotoMaxMB < 1 || c.Uploads.PhotoMaxMB > 100 {
		bad("uploads.photo_max_mb must be from 1 to 100")
	}
	if c.Uploads.FileMaxMB < 1 || c.Uploads.FileMaxMB > 1<<20 {
		bad("uploads.file_max_mb must be from 1 to 1048576 (1 TiB)")
	}
	if c.Uploads.StallTimeout < Duration(time.Second) || c.Uploads.StallTimeout > Duration(10*time.Minute) {
		bad("uploads.stall_timeout must be from 1s to 10m")
	}
	if c.Uploads.PerPerson < 1 || c.Uploads.PerPerson > 100 {
		bad("uploads.per_person must be from 1 to 100")
	}
	s := c.Session
	if s.Idle <= 0 || s.Absolute < s.Idle || s.RememberIdle <= 0 || s.RememberAbsolute < s.RememberIdle {
		bad("session: lifetimes must be positive, and each absolute lifetime at least its idle one")
	}
	c.TLS.validate(bad)
	if u := c.Settings.BaseURL; u != nil {
		if err := CheckBaseURL(*u); err != nil {
			bad("base_url %q: %v", *u, err)
		}
	}
	if sec := c.Settings.SMTP.Security; sec != nil {
		switch *sec {
		case "starttls", "tls", "none":
		default:
			bad("smtp.security %q: want starttls, tls or none", *sec)
		}
	}
	if e := c.Settings.TwoFactor.Employees; e != nil && *e != "off" && *e != "optional" && *e != "mandatory" {
		bad("two_factor.employees %q: want off, optional or mandatory", *e)
	}
	if c.Backup.Keep < 0 {
		bad("backup.keep %d: want 0 (keep all) or more", c.Backup.Keep)
	}
	if c.Activity.RetentionDays < 1 {
		bad("activity.retention_days %d: want 1 or more", c.Activity.RetentionDays)
	}
	if c.Activity.ExternalRetentionDays < c.Activity.RetentionDays {
		bad("activity.external_retention_days %d: want at least retention_days (%d): external users' actions are kept at least as long as everybody else's",
			c.Activity.ExternalRetentionDays, c.Activity.RetentionDays)
	}
	if strings.TrimSpace(c.Backup.Schedule) == "" {
		bad("backup.schedule must not be empty: use \"off\" to switch scheduled backups off")
	}
	if p := c.Settings.SMTP.Port; p != nil && (*p < 1 || *p > 65535) {
		bad("smtp.port %d: want 1 to 65535", *p)
	}
	return errors.Join(errs...)
}

// CheckBaseURL accepts an absolute http(s) URL with a host and no query or fragment.
func CheckBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an absolute http:// or https:// address")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("want an address without user, query or fragment")
	}
	return nil
}
