package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/automation"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
)

const crashRecords = 100

// crashRules flag every new application and notify reviewers: effects that show twice if
// a rule ran twice.
const crashRules = `{"form":"loan_application","rules":[{"key":"seen","title":{"en":"Seen"},
 "trigger":{"on":"record.created"},
 "actions":[{"type":"flag","flag":"seen"},{"type":"notify","channel":"in_app","to":"role:credit_reviewer","template":"new"}]}]}`

// TestRulesRunOnceAcrossSIGKILL kills a serving node (SIGKILL, no shutdown) while its
// dispatcher works through the rules of freshly committed applications, then starts the
// node again on the same database: every application's rule has run exactly once.
func TestRulesRunOnceAcrossSIGKILL(t *testing.T) {
	if dir := os.Getenv("CREDO_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRulesRunOnceAcrossSIGKILL$", "-test.v")
	cmd.Env = append(os.Environ(), "CREDO_CRASH_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(out)
	midway := false
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "MIDWAY") {
			midway = true
			break
		}
	}
	require.True(t, midway, "the child did not get its rules running")
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()

	ctx := context.Background()
	a := crashApp(dir)
	defer func() { _ = a.Close() }()
	sc, err := a.backend.Scope(demoSlug)
	require.NoError(t, err)
	before, err := sc.Collection(automation.RunsCollection).Count(ctx, nil)
	require.NoError(t, err)
	t.Logf("rules had run on %d of %d applications when the node was killed", before, crashRecords)
	require.Less(t, before, int64(crashRecords), "killed in the middle of the work")
	// The killed node's claims hold until their lease runs out: look from past it.
	later := func() time.Time { return time.Now().Add(events.DefaultLease + events.DefaultHandlerTimeout) }
	d, err := events.NewDispatcher(events.DispatcherConfig{Backend: a.backend, Registry: a.events, Clock: later,
		Tenants: func(context.Context) ([]string, error) { return []string{demoSlug}, nil }})
	require.NoError(t, err)
	for range 50 {
		st, err := d.Poll(ctx)
		require.NoError(t, err)
		if st == (events.DispatchStats{}) {
			break
		}
	}
	admin, err := a.tenants.UserByEmail(ctx, demoSlug, "admin@demo.credo")
	require.NoError(t, err)
	actor := form.Actor{Tenant: demoSlug, UserID: admin.ID, Roles: admin.Roles}
	page, err := a.forms.List(ctx, actor, "loan_application", form.ListQuery{Limit: 500, Fields: []string{"flags"}})
	require.NoError(t, err)
	require.Len(t, page.Records, demoApplications+crashRecords)
	seen := 0
	for _, r := range page.Records {
		runs, err := automation.Runs(ctx, sc, "loan_application", r.ID)
		require.NoError(t, err)
		if r.Data["flags"] == nil { // a seed application: no starter rule matched it
			assert.Empty(t, runs, "record %s", r.ID)
			continue
		}
		assert.Len(t, runs, 1, "record %s", r.ID)
		assert.Equal(t, []any{"seen"}, r.Data["flags"], "record %s", r.ID)
		seen++
	}
	assert.Equal(t, crashRecords, seen, "the crash rule ran once on every application written after it")
	reviewer, err := a.tenants.UserByEmail(ctx, demoSlug, "reviewer@demo.credo")
	require.NoError(t, err)
	notes, err := automation.Notifications(ctx, sc, form.Actor{UserID: reviewer.ID, Roles: reviewer.Roles}, false)
	require.NoError(t, err)
	assert.Equal(t, min(seen, automation.MaxNotifications), len(notes), "one notification per application")
}

func crashApp(dir string) *app {
	cfg, err := loadConfig("", envOf(map[string]string{"CREDO_SQLITE_PATH": filepath.Join(dir, "credo.db")}))
	if err != nil {
		panic(err)
	}
	a, err := newApp(context.Background(), cfg, newLogger(io.Discard, "error"))
	if err != nil {
		panic(err)
	}
	return a
}

// crashChild seeds the demo tenant with the crash rules instead of the starter rules,
// commits more applications, starts the workers and serves until it is killed.
func crashChild(dir string) {
	ctx := context.Background()
	a := crashApp(dir)
	must := func(err error) {
		if err != nil {
			fmt.Println("FAILED", err)
			os.Exit(3)
		}
	}
	must(seedDemo(ctx, a, ":0", io.Discard))
	admin, err := a.tenants.UserByEmail(ctx, demoSlug, "admin@demo.credo")
	must(err)
	actor := form.Actor{Tenant: demoSlug, UserID: admin.ID, Roles: admin.Roles}
	_, err = a.builder.SaveDraft(ctx, actor, "rule", "loan_application", []byte(crashRules))
	must(err)
	_, err = a.builder.Publish(ctx, actor, "rule", "loan_application", "crash test")
	must(err)
	// Rules judge a change as it is written: the seed's applications met the starter
	// rules (without plugins none matched, and their events were not written), those
	// below meet the crash rule.
	r := rand.New(rand.NewPCG(7, 11))
	for i := range crashRecords {
		_, err := a.forms.Create(ctx, actor, "loan_application", sampleApplication(r, 1000+i))
		must(err)
	}
	must(workers(ctx, a, newLogger(io.Discard, "error")))
	sc, err := a.backend.Scope(demoSlug)
	must(err)
	for {
		n, err := sc.Collection(automation.RunsCollection).Count(ctx, nil)
		must(err)
		if n >= 3 {
			fmt.Println("MIDWAY")
			select {} // until killed
		}
		time.Sleep(time.Millisecond)
	}
}
