package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	cases := []struct {
		name    string
		file    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			assert.Equal(t, ":8080", c.Addr)
			assert.Equal(t, "sqlite", c.Store)
			assert.Equal(t, "data/credo.db", c.SQLitePath)
		}},
		{name: "environment wins over the file", file: `{"addr":":9000","store":"sqlite"}`, env: map[string]string{"CREDO_ADDR": ":9100"},
			check: func(t *testing.T, c Config) { assert.Equal(t, ":9100", c.Addr) }},
		{name: "unknown key in file", file: `{"adress":":9000"}`, wantErr: "unknown field"},
		{name: "mongodb needs a URI", env: map[string]string{"CREDO_STORE": "mongodb"}, wantErr: "CREDO_MONGODB_URI"},
		{name: "MONGODB_URI is read", env: map[string]string{"CREDO_STORE": "mongodb", "MONGODB_URI": "mongodb://x"},
			check: func(t *testing.T, c Config) { assert.Equal(t, "mongodb://x", c.MongoURI) }},
		{name: "bad store", env: map[string]string{"CREDO_STORE": "postgres"}, wantErr: "want sqlite or mongodb"},
		{name: "bad boolean", env: map[string]string{"CREDO_DEMO": "yes please"}, wantErr: "CREDO_DEMO"},
		{name: "SQLite caches", env: map[string]string{"CREDO_SQLITE_CACHE": "1048576", "CREDO_SQLITE_WRITER_CACHE": "134217728"},
			check: func(t *testing.T, c Config) {
				assert.Equal(t, 1<<20, c.SQLiteCache)
				assert.Equal(t, 128<<20, c.SQLiteWriterCache)
			}},
		{name: "bad cache size", env: map[string]string{"CREDO_SQLITE_WRITER_CACHE": "64MB"}, wantErr: "CREDO_SQLITE_WRITER_CACHE"},
		{name: "bad duration", env: map[string]string{"CREDO_REQUEST_TIMEOUT": "soon"}, wantErr: "CREDO_REQUEST_TIMEOUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = filepath.Join(t.TempDir(), "credo.json")
				require.NoError(t, os.WriteFile(path, []byte(tc.file), 0o600))
			}
			c, err := loadConfig(path, envOf(tc.env))
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}

// TestDemoSeedAndVerifyAudit runs what `make run` seeds, then the verify-audit command on
// the same store, before and after tampering.
func TestDemoSeedAndVerifyAudit(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "credo.db")
	env := envOf(map[string]string{"CREDO_SQLITE_PATH": dbPath})
	cfg, err := loadConfig("", env)
	require.NoError(t, err)
	a, err := newApp(ctx, cfg, newLogger(io.Discard, "error"))
	require.NoError(t, err)
	_, err = a.tenants.EnsurePlatformAdmin(ctx, cfg.AdminEmail, "platform-password-1")
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, seedDemo(ctx, a, "127.0.0.1:9999", &out))
	assert.Contains(t, out.String(), "collector@demo.credo")
	assert.Contains(t, out.String(), "http://127.0.0.1:9999/api/v1/auth/login")
	require.NoError(t, seedDemo(ctx, a, ":8080", io.Discard), "seeding twice leaves the tenant as it is")

	collector, err := a.tenants.UserByEmail(ctx, demoSlug, "collector@demo.credo")
	require.NoError(t, err)
	page, err := a.forms.List(ctx, form.Actor{Tenant: demoSlug, UserID: collector.ID, Roles: collector.Roles}, "loan_application", form.ListQuery{Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Records, demoApplications)
	for _, r := range page.Records {
		assert.NotContains(t, r.Data, "monthly_income", "a collector sees no income")
		assert.Regexp(t, `^1\d{2}\*{4}\d{4}$`, r.Data["mobile_phone"], "a collector sees phones masked")
	}
	channel, err := a.tenants.UserByEmail(ctx, demoSlug, "channel@demo.credo")
	require.NoError(t, err)
	page, err = a.forms.List(ctx, form.Actor{Tenant: demoSlug, UserID: channel.ID, Roles: channel.Roles, Attrs: channel.Attrs}, "loan_application", form.ListQuery{Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, page.Records)
	assert.Less(t, len(page.Records), demoApplications)
	for _, slug := range []string{store.PlatformTenant, demoSlug} {
		_, err := a.tenants.PurgeSessions(ctx, slug)
		require.NoError(t, err, "the hourly purge works on %s", slug)
	}
	require.NoError(t, a.Close())

	var report bytes.Buffer
	require.Equal(t, 0, run(ctx, []string{"verify-audit"}, &report, io.Discard, env), report.String())
	assert.Contains(t, report.String(), "demo")

	// A backup is a database of its own whose chains verify too.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	require.Equal(t, 0, run(ctx, []string{"backup", "-to", copyPath}, io.Discard, io.Discard, env))
	assert.Equal(t, 1, run(ctx, []string{"backup", "-to", copyPath}, io.Discard, io.Discard, env), "never overwrites")
	report.Reset()
	copyEnv := envOf(map[string]string{"CREDO_SQLITE_PATH": copyPath})
	require.Equal(t, 0, run(ctx, []string{"verify-audit", "-tenant", demoSlug}, &report, io.Discard, copyEnv), report.String())

	// Alter one entry behind the platform's back.
	b, err := openBackend(ctx, cfg, newLogger(io.Discard, "error"))
	require.NoError(t, err)
	sc, err := b.Scope(demoSlug)
	require.NoError(t, err)
	coll := sc.Collection(audit.Collection)
	d, err := coll.Get(ctx, fmt.Sprintf("%020d", 2))
	require.NoError(t, err)
	d.Data["actor"] = "nobody"
	require.NoError(t, coll.Update(ctx, d))
	require.NoError(t, b.Close())

	report.Reset()
	assert.Equal(t, 1, run(ctx, []string{"verify-audit", "-tenant", demoSlug}, &report, io.Discard, env))
	assert.Contains(t, report.String(), "BROKEN")
	assert.Contains(t, report.String(), "entry 2")
}

func TestUnknownCommand(t *testing.T) {
	var errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"frobnicate"}, io.Discard, &errOut, envOf(nil)))
	assert.Contains(t, errOut.String(), "unknown command")
}
