package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
)

// installReferencePlugins builds the reference plugins and installs them with the
// `credo plugins install` command into a fresh plugin directory.
func installReferencePlugins(t testing.TB) string {
	t.Helper()
	build, dir := t.TempDir(), t.TempDir()
	for _, p := range []string{"scorecard", "antifraud"} {
		exe := filepath.Join(build, "credo-"+p)
		out, err := exec.Command("go", "build", "-o", exe, "../../plugins/"+p).CombinedOutput()
		require.NoError(t, err, "build %s: %s", p, out)
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run(context.Background(), []string{"plugins", "install", "-dir", dir, exe}, &stdout, &stderr, envOf(nil)), stderr.String())
		assert.Contains(t, stdout.String(), "installed credo-"+p+"@")
	}
	return dir
}

// seededApp is the app on a fresh database file with the demo tenant seeded, closed when
// the test ends; env adds to the configuration.
func seededApp(tb testing.TB, env map[string]string) *app {
	tb.Helper()
	ctx := context.Background()
	all := map[string]string{"CREDO_SQLITE_PATH": filepath.Join(tb.TempDir(), "credo.db")}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := loadConfig("", envOf(all))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := newApp(ctx, cfg, newLogger(io.Discard, "error"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = a.Close() })
	if err := seedDemo(ctx, a, ":0", io.Discard); err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestDemoApplicationsAreScoredAndChecked seeds the demo tenant with the reference plugins
// installed: every sample application is scored and fraud-checked by real plugin processes
// as it is created, the blacklisted applicants are caught, and a reader without the right
// to a decision field does not see it.
func TestDemoApplicationsAreScoredAndChecked(t *testing.T) {
	ctx := context.Background()
	a := seededApp(t, map[string]string{
		"CREDO_PLUGIN_DIR": installReferencePlugins(t),
		// The race detector slows plugin and host alike.
		"CREDO_PLUGIN_TIMEOUT": "5s",
	})

	admin, err := a.tenants.UserByEmail(ctx, demoSlug, "admin@demo.credo")
	require.NoError(t, err)
	actor := form.Actor{Tenant: demoSlug, UserID: admin.ID, Roles: admin.Roles}
	page, err := a.forms.List(ctx, actor, "loan_application", form.ListQuery{Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Records, demoApplications)
	grades, rejected := map[string]int{}, 0
	for _, r := range page.Records {
		score, _ := r.Data["credit_score"].(map[string]any)
		require.Equal(t, form.DecisionDone, score["status"], "record %s: %v", r.ID, score)
		assert.Equal(t, "credo-scorecard", score["plugin"])
		assert.Len(t, score["input_hash"], 64)
		assert.NotEmpty(t, score["reasons"])
		grades[score["grade"].(string)]++
		fraud, _ := r.Data["fraud_check"].(map[string]any)
		require.Equal(t, form.DecisionDone, fraud["status"], "record %s: %v", r.ID, fraud)
		for _, h := range fraud["hits"].([]any) {
			rule := h.(map[string]any)["rule"].(string)
			assert.NotContains(t, rule, "identity.", "the sample applicants' ID numbers are valid and match them")
			if rule == "blacklist.phone" && fraud["decision"] == "reject" {
				rejected++
			}
		}
	}
	assert.Equal(t, len(demoBlacklisted), rejected, "each blacklisted applicant is rejected on the blacklist")
	assert.GreaterOrEqual(t, len(grades), 3, "the sample spreads over several grades: %v", grades)

	// Decision fields are fields like any other: a reader sees them as the field mask says.
	collector, err := a.tenants.UserByEmail(ctx, demoSlug, "collector@demo.credo")
	require.NoError(t, err)
	m, err := a.forms.Mask(ctx, form.Actor{Tenant: demoSlug, UserID: collector.ID, Roles: collector.Roles}, "loan_application")
	require.NoError(t, err)
	cpage, err := a.forms.List(ctx, form.Actor{Tenant: demoSlug, UserID: collector.ID, Roles: collector.Roles}, "loan_application", form.ListQuery{Limit: 1})
	require.NoError(t, err)
	_, sees := cpage.Records[0].Data["credit_score"]
	assert.Equal(t, m.View("credit_score") != form.ViewNone, sees, "decision fields follow the field mask")

	raw, err := json.Marshal(page.Records[0].Data["credit_score"])
	require.NoError(t, err)
	assert.Contains(t, string(raw), "zh-CN", "reasons are given in Chinese and English")

	// The starter app takes it from there: the rules reject what they must and start the
	// approval flow on the rest, which ends at the risk gate or waits for a credit review.
	d, err := events.NewDispatcher(events.DispatcherConfig{Backend: a.backend, Registry: a.events,
		Tenants: func(context.Context) ([]string, error) { return []string{demoSlug}, nil }})
	require.NoError(t, err)
	for range 50 {
		st, err := d.Poll(ctx)
		require.NoError(t, err)
		require.Zero(t, st.Failed)
		if st == (events.DispatchStats{}) {
			break
		}
	}
	page, err = a.forms.List(ctx, actor, "loan_application", form.ListQuery{Limit: 100})
	require.NoError(t, err)
	statuses := map[string]int{}
	for _, r := range page.Records {
		status, _ := r.Data["status"].(string)
		statuses[status]++
		score := r.Data["credit_score"].(map[string]any)
		fraud := r.Data["fraud_check"].(map[string]any)
		n, err := strconv.Atoi(fmt.Sprint(score["score"]))
		require.NoError(t, err)
		switch {
		case n < 400 || fraud["decision"] == "reject" || score["grade"] == "D":
			assert.Equal(t, "rejected", status, "record %s: score %d, grade %v, fraud %v", r.ID, n, score["grade"], fraud["decision"])
			assert.NotEmpty(t, r.Data["reject_reason"])
		default:
			assert.Equal(t, "machine_passed", status, "record %s", r.ID)
		}
	}
	assert.Len(t, statuses, 2, "%v", statuses)
	reviewer, err := a.tenants.UserByEmail(ctx, demoSlug, "reviewer@demo.credo")
	require.NoError(t, err)
	inbox, err := a.flows.Inbox(ctx, form.Actor{Tenant: demoSlug, UserID: reviewer.ID, Roles: reviewer.Roles}, flow.InboxQuery{Limit: 200})
	require.NoError(t, err)
	assert.Len(t, inbox.Tasks, statuses["machine_passed"], "one credit review per application that passed the machine check")
}
