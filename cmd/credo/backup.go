package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/credolabs/credo/store/sqlite"
)

// cmdBackup writes a consistent copy of the embedded database; it may run while a server
// uses the same file (writers wait for the copy, readers carry on).
func cmdBackup(ctx context.Context, args []string, stdout io.Writer, env func(string) string) error {
	fs := newFlags("backup", io.Discard)
	configPath := fs.String("config", "", "JSON config file")
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup needs -to <file>")
	}
	cfg, err := loadConfig(*configPath, env)
	if err != nil {
		return err
	}
	if cfg.Store != "sqlite" {
		return errors.New("backup copies the embedded SQLite store; back MongoDB up with its own tools (mongodump, or a replica-set snapshot)")
	}
	b, err := openBackend(ctx, cfg, newLogger(io.Discard, "error"))
	if err != nil {
		return err
	}
	defer func() { _ = b.Close() }()
	if err := b.(*sqlite.Backend).Backup(ctx, *to); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.SQLitePath, *to)
	return nil
}
