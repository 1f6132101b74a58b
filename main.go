// Command annex is the Annex intranet and extranet: one binary that serves the web app,
// its API and its scheduled jobs from one SQLite database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"annex/app/auth"
	"annex/app/backup"
	"annex/app/config"
	"annex/app/server"
	"annex/app/system"
	"annex/embed"
	"annex/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := newRoot(os.Stdout, os.Stderr, os.Stdin).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "annex:", err)
		os.Exit(1)
	}
}

type options struct {
	configPath string
	listen     string
}

func newRoot(stdout, stderr io.Writer, stdin io.Reader) *cobra.Command {
	var opt options
	root := &cobra.Command{
		Use:           "annex",
		Short:         "Annex: a self-hosted intranet with an extranet for clients and contractors",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), opt, stderr)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetIn(stdin)
	root.PersistentFlags().StringVar(&opt.configPath, "config", "", "configuration file (TOML); see config.example.toml")
	root.PersistentFlags().StringVar(&opt.listen, "listen", "", "address to listen on, such as 127.0.0.1:8080 (ANNEX_LISTEN)")

	root.AddCommand(&cobra.Command{
		Use:   "serve",
		Short: "Run the server (the default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), opt, stderr)
		},
	})
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "annex %s (schema %d)\n", version, store.SchemaVersion())
		},
	})
	root.AddCommand(&cobra.Command{
		Use:    "openapi",
		Short:  "Print the OpenAPI document",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printOpenAPI(cmd.Context(), cmd.OutOrStdout())
		},
	})
	addBackupCommands(root, &opt)
	admin := &cobra.Command{Use: "admin", Short: "Administrative tasks run on the server itself"}
	var fromStdin bool
	reset := &cobra.Command{
		Use:   "reset-password EMAIL",
		Short: "Give an account a new password, end its sessions and clear its sign-in throttle",
		Long: "Without --password-stdin, prints a temporary password that must be changed at the next " +
			"sign-in and expires after 3 days.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return resetPassword(cmd.Context(), opt, args[0], fromStdin, cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	reset.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the new password from standard input")
	admin.AddCommand(reset)
	root.AddCommand(admin)
	return root
}

func loadConfig(opt options) (config.Config, error) {
	env := os.LookupEnv
	if opt.listen != "" {
		env = func(k string) (string, bool) {
			if k == "ANNEX_LISTEN" {
				return opt.listen, true
			}
			return os.LookupEnv(k)
		}
	}
	return config.Load(opt.configPath, env)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	hopt := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		// JSON under systemd (which sets JOURNAL_STREAM) or when not on a terminal.
		format = "text"
		if f, ok := w.(*os.File); os.Getenv("JOURNAL_STREAM") != "" || (ok && !isTerminal(f)) {
			format = "json"
		}
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, hopt))
	}
	return slog.New(slog.NewTextHandler(w, hopt))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func serve(ctx context.Context, opt options, stderr io.Writer) error {
	cfg, err := loadConfig(opt)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	// GOMEMLIMIT, read by the runtime itself, wins over the setting.
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(int64(cfg.MemoryLimit))
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	lock, err := backup.LockFolder(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()

	st, err := store.Open(ctx, cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Log: log, Version: version, SPA: embed.Dist()})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set another address with --listen or ANNEX_LISTEN)", cfg.Listen, err)
	}
	base := "http://" + displayAddr(ln.Addr().String())
	log.Info("Annex is listening", "version", version, "address", ln.Addr().String(), "url", base, "data", cfg.DataDir)
	if srv.Wizard.Pending() {
		// The token rides in the fragment, which browsers never send, so it stays out of
		// every server and proxy log. This console line is the one deliberate exception.
		fmt.Fprintf(stderr, "\n  Annex is not set up yet. Open this address in a browser to start the setup wizard:\n\n"+
			"    %s/setup#token=%s\n\n  The link works until setup is finished; a restart prints a new one.\n\n",
			base, srv.Wizard.NewToken())
	}
	if !srv.MailConfigured() {
		log.Warn("no SMTP server is configured: outgoing mail, with its links, is written to this log")
	}

	defer srv.Backups.Wait() // a backup under way stops with ctx and removes its partial file
	srv.Jobs.Start(ctx)
	defer srv.Jobs.Stop()
	// The outbox stops with ctx; a send it interrupts stays pending for the next start.
	octx, stopOutbox := context.WithCancel(ctx)
	outboxDone := make(chan struct{})
	go func() { srv.Outbox.Run(octx); close(outboxDone) }()
	defer func() { stopOutbox(); <-outboxDone }()

	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 3) // the listener, and HTTPS and its port-80 companion
	go func() { errc <- hs.Serve(ln) }()
	certs, stopTLS, err := serveTLS(ctx, cfg, log, hs.Handler, errc)
	if err != nil {
		hs.Close()
		return err
	}
	if certs != nil {
		srv.System.Add(system.CertificateProbe(certs.Status, time.Now))
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if stopTLS != nil {
		if err := stopTLS(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	log.Info("stopped")
	return nil
}

// displayAddr turns a listening address into one a person can open: an unspecified
// host (all interfaces) is shown as 127.0.0.1, the loopback address a tunnel forwards to
// and the README tells to replace ("localhost" may resolve to ::1 first, where a
// listener on 0.0.0.0 does not answer).
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func printOpenAPI(ctx context.Context, w io.Writer) error {
	dir, err := os.MkdirTemp("", "annex-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Argon2.MemoryKiB, cfg.Argon2.Iterations = 8*1024, 1
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Log: slog.New(slog.DiscardHandler),
		Version: "dev", SPA: embed.Dist()})
	if err != nil {
		return err
	}
	_, err = w.Write(srv.OpenAPI())
	return err
}

func resetPassword(ctx context.Context, opt options, email string, fromStdin bool, in io.Reader, out io.Writer) error {
	cfg, err := loadConfig(opt)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DataDir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserForSignIn(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no account has the address %s", store.NormalizeEmail(email))
	}
	if err != nil {
		return err
	}
	pw, temporary := "", !fromStdin
	if fromStdin {
		b, err := io.ReadAll(io.LimitReader(in, 4096))
		if err != nil {
			return err
		}
		pw = strings.TrimRight(string(b), "\r\n")
		kv, err := st.Settings(ctx)
		if err != nil {
			return err
		}
		if p := auth.PasswordProblem(pw, kv["company_name"]); p != "" {
			return fmt.Errorf("password refused: %s", strings.ReplaceAll(p, "_", " "))
		}
	} else {
		pw = auth.TemporaryPassword()
	}
	a := cfg.Argon2
	h := auth.NewHasher(auth.Params{MemoryKiB: a.MemoryKiB, Iterations: a.Iterations, Parallelism: a.Parallelism}, 1)
	hash, err := h.Hash(ctx, pw)
	if err != nil {
		return err
	}
	err = st.Tx(ctx, func(tx *store.Tx) error { return auth.ResetPassword(ctx, tx, u, hash, temporary) })
	if err != nil {
		return err
	}
	if temporary {
		fmt.Fprintf(out, "New temporary password for %s (valid 3 days, to be changed at sign-in):\n\n    %s\n\n", u.Email, pw)
	} else {
		fmt.Fprintf(out, "Password changed for %s.\n", u.Email)
	}
	fmt.Fprintln(out, "Every session of this account has ended and its failed sign-ins are forgotten.")
	if !u.Active {
		fmt.Fprintln(out, "Note: this account is deactivated; it cannot sign in until an administrator reactivates it.")
	}
	return nil
}
