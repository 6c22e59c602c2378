package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	fs := newFlags("serve", stderr)
	configPath := fs.String("config", "", "JSON config file")
	demo := fs.Bool("demo", false, "seed the demo tenant (same as CREDO_DEMO=true)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath, env)
	if err != nil {
		return err
	}
	cfg.Demo = cfg.Demo || *demo
	log := newLogger(stderr, cfg.LogLevel)
	tuneGC(env, log)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	generated, err := a.tenants.EnsurePlatformAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("platform administrator: %w", err)
	}
	if generated != "" {
		_, _ = fmt.Fprintf(stdout, "Platform administrator %s created with password: %s (shown once; set CREDO_ADMIN_PASSWORD to choose it)\n", cfg.AdminEmail, generated)
	}
	if cfg.Demo {
		if err := seedDemo(ctx, a, cfg.Addr, stdout); err != nil {
			return fmt.Errorf("seed demo tenant: %w", err)
		}
	}
	go purgeSessions(ctx, a, log)
	go purgeFiles(ctx, a, log)
	go retryDecisions(ctx, a, log)
	go runSchedules(ctx, a, log)
	if err := workers(ctx, a, log); err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}
	if cfg.Store == "mongodb" {
		// Several nodes may share a MongoDB store: pick up the others' policy changes.
		go a.tenants.RunPolicySync(ctx, 5*time.Second)
	}
	log.Info("credo listening", "addr", cfg.Addr, "store", cfg.Store, "version", version)
	_, _ = fmt.Fprintf(stdout, "Credo is listening on %s (store: %s)\n", cfg.Addr, cfg.Store)
	return a.server.Listen(ctx, cfg.Addr)
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer, env func(string) string) error {
	fs := newFlags("migrate", io.Discard)
	configPath := fs.String("config", "", "JSON config file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath, env)
	if err != nil {
		return err
	}
	b, err := openBackend(ctx, cfg, newLogger(io.Discard, "error")) // opening runs the engine's migrations
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(stdout, "%s store is up to date\n", cfg.Store)
	return b.Close()
}

type anchors []audit.Anchor

func (a *anchors) String() string { return fmt.Sprint(*a) }
func (a *anchors) Set(v string) error {
	an, err := audit.ParseAnchor(v)
	if err != nil {
		return err
	}
	*a = append(*a, an)
	return nil
}

// errAuditBroken makes verify-audit exit non-zero when any chain is broken.
var errAuditBroken = errors.New("audit chain broken")

func cmdVerifyAudit(ctx context.Context, args []string, stdout io.Writer, env func(string) string) error {
	fs := newFlags("verify-audit", io.Discard)
	configPath := fs.String("config", "", "JSON config file")
	tenant := fs.String("tenant", "", "verify only this tenant (default: every tenant and the platform)")
	var anchored anchors
	fs.Var(&anchored, "anchor", "seq:hash of an entry recorded earlier (repeatable; needs -tenant)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(anchored) > 0 && *tenant == "" {
		return errors.New("-anchor needs -tenant")
	}
	cfg, err := loadConfig(*configPath, env)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, newLogger(io.Discard, "error"))
	if err != nil {
		return err
	}
	defer func() { _ = a.Close() }()
	slugs := []string{*tenant}
	if *tenant == "" {
		ts, err := a.tenants.ListTenants(ctx)
		if err != nil {
			return err
		}
		slugs = []string{store.PlatformTenant}
		for _, t := range ts {
			slugs = append(slugs, t.Slug)
		}
	}
	broken := false
	for _, slug := range slugs {
		sc, err := a.backend.Scope(slug)
		if err != nil {
			return err
		}
		r, err := audit.Verify(ctx, sc, anchored...)
		if err != nil {
			return err
		}
		status := "ok"
		if !r.OK() {
			status, broken = "BROKEN", true
		}
		_, _ = fmt.Fprintf(stdout, "%-20s %-6s entries=%d head=%d:%s\n", slug, status, r.Entries, r.HeadSeq, r.HeadHash)
		for _, p := range r.Problems {
			_, _ = fmt.Fprintf(stdout, "  entry %d: %s\n", p.Seq, strings.TrimSpace(p.Message))
		}
	}
	if broken {
		return errAuditBroken
	}
	return nil
}
