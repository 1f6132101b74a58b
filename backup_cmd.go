package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"annex/app/backup"
	"annex/store"
)

func addBackupCommands(root *cobra.Command, opt *options) {
	var to string
	b := &cobra.Command{
		Use:   "backup",
		Short: "Write a backup of the data folder, while Annex runs or not",
		Long: "Writes one file holding a consistent copy of the database, the uploaded files it refers to and " +
			"the secret key, into the backup folder ([backup] dir, by default <data_dir>/backups) or --to DIR. " +
			"The file holds secrets: it is written with mode 0600. See docs/backups.md.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBackup(cmd.Context(), *opt, to, cmd.OutOrStdout())
		},
	}
	b.Flags().StringVar(&to, "to", "", "write the backup into this folder instead of the configured one (nothing is pruned there)")
	root.AddCommand(b)
	root.AddCommand(&cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the data folder's content with a backup (Annex must be stopped)",
		Long: "Checks the backup (manifest, checksums, integrity_check, schema not newer than this binary) before " +
			"replacing anything, then moves the current database, files and secret key to <data_dir>/replaced-<time>/ " +
			"and puts the backup's in their place. Refused while Annex runs on the data folder.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRestore(cmd.Context(), *opt, args[0], cmd.OutOrStdout())
		},
	})
}

func runBackup(ctx context.Context, opt options, to string, out io.Writer) error {
	cfg, err := loadConfig(opt)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "annex.db")); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("there is no Annex database in %s (set the data folder with --config or ANNEX_DATA_DIR)", cfg.DataDir)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	bo := backup.Options{DataDir: cfg.DataDir, Dir: cfg.BackupDir(), Keep: cfg.Backup.Keep, Version: version}
	if to != "" {
		bo.Dir, bo.Keep = to, 0
	}
	start := time.Now()
	info, err := backup.Create(ctx, bo)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Backup written: %s (%s, %s)\n", filepath.Join(bo.Dir, info.Name), humanBytes(info.Size),
		time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(out, "It holds the secret key and everyone's data: keep it as private as the data folder.")
	return nil
}

func runRestore(ctx context.Context, opt options, file string, out io.Writer) error {
	cfg, err := loadConfig(opt)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := backup.Restore(ctx, cfg.DataDir, file, time.Now())
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(out, "Restored %s into %s (%s):\n", filepath.Base(file), cfg.DataDir, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(out, "  backup taken %s by Annex %s, database schema %d (this binary: %d)\n",
		m.Created.Format(time.RFC3339), m.AnnexVersion, m.Schema, store.SchemaVersion())
	fmt.Fprintf(out, "  database %s, %d uploaded files (%s), secret key: %v\n", humanBytes(m.DatabaseSize), m.Files,
		humanBytes(m.FileBytes), yesNo(m.SecretKey))
	if len(m.MissingFiles) > 0 {
		fmt.Fprintf(out, "  %d files the database refers to were already missing when the backup was taken\n", len(m.MissingFiles))
	}
	if res.Aside != "" {
		fmt.Fprintf(out, "The data it replaced was moved to %s; delete it once the restored Annex works.\n", res.Aside)
	}
	if m.Schema < store.SchemaVersion() {
		fmt.Fprintln(out, "The next start upgrades the database to this binary's schema.")
	}
	fmt.Fprintln(out, "Start Annex again to serve the restored data.")
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
