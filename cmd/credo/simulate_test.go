package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/lending"
	"github.com/credolabs/credo/store"
)

// startDemoServer serves Credo with the demo tenant on a loopback port, with its
// outbox dispatcher and timers running, as `make run` does. pluginDir "" binds no plugins.
func startDemoServer(t *testing.T, pluginDir string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env := map[string]string{"CREDO_SQLITE_PATH": filepath.Join(t.TempDir(), "credo.db"), "CREDO_PLUGIN_TIMEOUT": "5s"}
	if pluginDir != "" {
		env["CREDO_PLUGIN_DIR"] = pluginDir
	}
	cfg, err := loadConfig("", envOf(env))
	require.NoError(t, err)
	log := newLogger(io.Discard, "error")
	a, err := newApp(ctx, cfg, log)
	require.NoError(t, err)
	require.NoError(t, seedDemo(ctx, a, ":0", io.Discard))
	require.NoError(t, workers(ctx, a, log))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = a.server.App().Listener(ln) }()
	t.Cleanup(func() {
		_ = a.server.App().Shutdown()
		cancel()
		_ = a.Close()
	})
	return "http://" + ln.Addr().String()
}

// summaryLine is one "  key   count" line of simulate's summary.
var summaryLine = regexp.MustCompile(`^  ([A-Za-z0-9_+]+)\s+(\d+)$`)

func parseSummary(t *testing.T, out string) map[string]int {
	t.Helper()
	got := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(out[strings.Index(out, "Summary"):]))
	for sc.Scan() {
		if m := summaryLine.FindStringSubmatch(sc.Text()); m != nil {
			got[m[1]], _ = strconv.Atoi(m[2])
		}
	}
	require.Len(t, got, len(summaryKeys), out)
	return got
}

// records reads every record of a form through the API as u.
func records(t *testing.T, u *simUser, formKey string, filter *store.Filter) []*form.Record {
	t.Helper()
	var out []*form.Record
	require.NoError(t, u.searchRecords(context.Background(), formKey, filter, nil, func(rs []*form.Record) error {
		out = append(out, rs...)
		return nil
	}))
	return out
}

func money(t *testing.T, v any) lending.Money {
	t.Helper()
	m, err := lending.ParseMoney(strconv.FormatFloat(numberOf(v), 'f', 2, 64), lending.CNY)
	require.NoError(t, err)
	return m
}

// TestSimulateDrivesTheLendingApp runs `credo simulate` against a served demo tenant with
// the reference plugins, then checks through the API that what it printed is what it
// wrote and that the loans hang together.
func TestSimulateDrivesTheLendingApp(t *testing.T) {
	base := startDemoServer(t, installReferencePlugins(t))
	const loans = 40
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"simulate", "-url", base, "-loans", strconv.Itoa(loans), "-seed", "1",
		"-months", "18", "-as-of", "2026-06-30", "-concurrency", "8"}, &out, &errOut, envOf(nil))
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	sum := parseSummary(t, out.String())
	t.Log(out.String())
	assert.Equal(t, loans, sum["applications"])
	assert.Zero(t, sum[string(outStuck)], out.String())
	assert.Zero(t, sum[string(outPending)])
	require.Positive(t, sum[string(outDisbursed)], "some loans are disbursed")
	require.Positive(t, sum["collection_cases"], "some loans fall overdue")

	ctx := context.Background()
	admin, err := newSimAPI(base, demoSlug, 4).login(ctx, "admin@demo.credo", demoPassword)
	require.NoError(t, err)
	// The demo's own applications were made in the last quarter; the simulated ones up to as-of.
	apps := records(t, admin, formApplication, store.Lte("applied_on", "2026-06-30"))
	require.Len(t, apps, loans)
	statuses := map[string]int{}
	buckets := map[string]int{}
	fpd := 0
	byID := map[string]*form.Record{}
	for _, r := range apps {
		byID[r.ID] = r
		status, _ := r.Data["status"].(string)
		statuses[status]++
		if status != "disbursed" {
			continue
		}
		dpd := int(numberOf(r.Data["dpd"]))
		assert.Equal(t, string(lending.BucketFor(dpd)), r.Data["delinquency_bucket"], "application %s: bucket agrees with DPD %d", r.ID, dpd)
		assert.Equal(t, dpd > 0, numberOf(r.Data["overdue_amount"]) > 0, "application %s: overdue amount iff DPD", r.ID)
		assert.GreaterOrEqual(t, int(numberOf(r.Data["max_dpd"])), dpd)
		assert.Greater(t, r.Data["decided_on"], r.Data["applied_on"], "application %s decided after it was made", r.ID)
		assert.GreaterOrEqual(t, r.Data["disbursed_on"], r.Data["decided_on"])
		assert.NotEmpty(t, r.Data["approver"])
		if dpd > 0 {
			buckets[r.Data["delinquency_bucket"].(string)]++
		}
		if r.Data["fpd"] == true {
			fpd++
		}
	}
	assert.Equal(t, sum[string(outRuleRejected)]+sum[string(outGateRejected)]+sum[string(outReviewReject)]+sum[string(outLimitReject)],
		statuses["rejected"], "rejections: %v", statuses)
	assert.Equal(t, sum[string(outDisbursed)], statuses["disbursed"])
	assert.Equal(t, sum[string(outInReview)], statuses["machine_passed"])
	assert.Equal(t, sum[string(outAwaitContract)], statuses["approved"])
	assert.Equal(t, sum[string(outCancelled)], statuses["cancelled"])
	for _, b := range []lending.Bucket{lending.BucketM1, lending.BucketM2, lending.BucketM3, lending.BucketM3Plus} {
		assert.Equal(t, sum["overdue_"+string(b)], buckets[string(b)], "bucket %s", b)
	}
	assert.Equal(t, sum["fpd"], fpd)

	// Every disbursed application has its account, whose schedule repays the approved limit.
	accounts := records(t, admin, formAccount, nil)
	require.Len(t, accounts, sum["loan_accounts"])
	require.Equal(t, statuses["disbursed"], len(accounts))
	overdue := map[string]bool{}
	closed := 0
	for _, acc := range accounts {
		app := byID[acc.Data["application_id"].(string)]
		require.NotNil(t, app, "account %s belongs to a simulated application", acc.ID)
		assert.Equal(t, "disbursed", app.Data["status"])
		sumPrincipal := lending.Zero(lending.CNY)
		for _, row := range acc.Data["schedule"].([]any) {
			sumPrincipal, err = sumPrincipal.Add(money(t, row.(map[string]any)["principal"]))
			require.NoError(t, err)
		}
		approved := money(t, app.Data["approved_limit"])
		assert.True(t, sumPrincipal.Equal(approved), "account %s: schedule principal %s, approved %s", acc.ID, sumPrincipal, approved)
		assert.True(t, money(t, acc.Data["principal"]).Equal(approved))
		assert.Equal(t, app.Data["disbursed_on"], acc.Data["disbursed_on"])
		dpd := int(numberOf(acc.Data["dpd"]))
		assert.Equal(t, numberOf(app.Data["dpd"]), numberOf(acc.Data["dpd"]))
		assert.Equal(t, string(lending.BucketFor(dpd)), acc.Data["bucket"])
		if dpd > 0 {
			overdue[acc.ID] = true
		}
		if acc.Data["status"] == "closed" {
			closed++
			assert.Zero(t, numberOf(acc.Data["outstanding_principal"]))
		}
	}
	assert.Equal(t, sum["closed"], closed)

	// Every overdue loan has its collection case, at the stage of its DPD.
	cases := records(t, admin, formCase, nil)
	assert.Len(t, cases, sum["collection_cases"])
	assert.Len(t, cases, len(overdue))
	for _, c := range cases {
		assert.True(t, overdue[c.Data["loan_id"].(string)], "case %s is on an overdue loan", c.ID)
		assert.NotEmpty(t, c.Data["assignee"])
	}
}

// TestSimulateSaysWhenDecisionsArePending runs simulate against a tenant with no plugin
// bound: the applications are stored with pending decisions and the output says why
// nothing goes further.
func TestSimulateSaysWhenDecisionsArePending(t *testing.T) {
	base := startDemoServer(t, "")
	var out bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"simulate", "-url", base, "-loans", "5", "-concurrency", "2"}, &out, io.Discard, envOf(nil)))
	assert.Contains(t, out.String(), "DECISIONS PENDING")
	assert.Contains(t, out.String(), "CREDO_PLUGIN_DIR")
	sum := parseSummary(t, out.String())
	assert.Equal(t, 5, sum["applications"])
	assert.Equal(t, 5, sum[string(outPending)])
}

func TestSimulateRefusesBadFlags(t *testing.T) {
	cases := []struct{ name, arg, value, want string }{
		{"no loans", "-loans", "0", "-loans"},
		{"no months", "-months", "0", "-months"},
		{"bad date", "-as-of", "2026-13-01", "-as-of"},
		{"no concurrency", "-concurrency", "0", "-concurrency"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			assert.Equal(t, 1, run(context.Background(), []string{"simulate", tc.arg, tc.value}, io.Discard, &errOut, envOf(nil)))
			assert.Contains(t, errOut.String(), tc.want)
		})
	}
	var errOut bytes.Buffer
	assert.Equal(t, 1, run(context.Background(), []string{"simulate", "-url", "http://127.0.0.1:1"}, io.Discard, &errOut, envOf(nil)))
	assert.Contains(t, errOut.String(), "log in as admin@demo.credo")
}

// TestRepaymentBehaviours plays each kind of borrower through runtime/lending and checks
// the performance read from the result.
func TestRepaymentBehaviours(t *testing.T) {
	disbursed, err := lending.ParseDate("2025-01-10")
	require.NoError(t, err)
	asOf := disbursed.AddMonths(14) // past the 12-month term
	for _, method := range []string{"equal_installment", "equal_principal", "interest_first"} {
		sch, err := newSchedule(60_000, "0.1320", 12, method, disbursed)
		require.NoError(t, err)
		t.Run(method, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			p, err := repay(r, sch, onTime, asOf)
			require.NoError(t, err)
			assert.Equal(t, "closed", p.status)
			assert.Zero(t, p.dpd)
			assert.Zero(t, p.maxDPD)
			assert.True(t, p.loan.OutstandingPrincipal().IsZero())

			p, err = repay(r, sch, earlyPayoff, asOf)
			require.NoError(t, err)
			assert.Equal(t, "closed", p.status)
			assert.True(t, p.loan.ClosedOn().Before(sch.Instalments[11].DueDate), "paid off before maturity")

			for range 20 { // defaulters stop at a random instalment; some cure
				p, err = repay(r, sch, defaulter, asOf)
				require.NoError(t, err)
				assert.Equal(t, lending.BucketFor(p.dpd), p.bucket)
				assert.GreaterOrEqual(t, p.maxDPD, p.dpd)
				assert.Equal(t, p.dpd > 0, p.overdue.IsPositive())
				if p.dpd > 0 {
					require.NotNil(t, p.oldest)
					assert.Equal(t, p.dpd, p.oldest.DueDate.DaysUntil(asOf))
				}
				rows := p.scheduleRows(asOf)
				assert.Len(t, rows, 12)
			}
		})
	}
	// A borrower who never pays the first instalment is a first-payment default.
	sch, err := newSchedule(10_000, "0.18", 6, "equal_installment", disbursed)
	require.NoError(t, err)
	loan, err := lending.NewLoan(sch, lending.LoanOpts{})
	require.NoError(t, err)
	p, err := measure(sch, loan, sch.Instalments[0].DueDate.AddDays(45))
	require.NoError(t, err)
	assert.True(t, p.fpd)
	assert.Equal(t, 45, p.dpd)
	assert.Equal(t, lending.BucketM2, p.bucket)
	assert.Equal(t, "active", p.status)
}
