package report

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/form/authztest"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

const testTenant = "acme-credit"

// loanFormBody is the template loan application with the servicing fields the cockpit
// reads (testdata/loan_servicing_fields.json), which the template does not have yet.
func loanFormBody(t testing.TB) []byte {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", "loan_application")
	require.NoError(t, err)
	var def map[string]any
	require.NoError(t, json.Unmarshal(tpl.Body, &def))
	raw, err := os.ReadFile("testdata/loan_servicing_fields.json")
	require.NoError(t, err)
	var extra struct {
		Properties map[string]any `json:"properties"`
		Fields     map[string]any `json:"fields"`
	}
	require.NoError(t, json.Unmarshal(raw, &extra))
	props := def["schema"].(map[string]any)["properties"].(map[string]any)
	fields := def["fields"].(map[string]any)
	for k, v := range extra.Properties {
		props[k] = v
	}
	for k, v := range extra.Fields {
		fields[k] = v
	}
	body, err := json.Marshal(def)
	require.NoError(t, err)
	return body
}

// fixture is a real SQLite store with the loan application published, the record
// service, the report engine and the compiled cockpit.
type fixture struct {
	b       store.Backend
	authz   *authztest.Table
	svc     *form.Service
	engine  *Engine
	form    *form.Form
	cockpit *Dashboard
	loans   []loan
}

func newFixture(t testing.TB, path string) *fixture {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return newFixtureOn(t, b, nil)
}

// newFixtureOn builds the fixture on b; with rollups, they observe the record service
// and answer the engine, as cmd/credo wires them.
func newFixtureOn(t testing.TB, b store.Backend, rollups *Rollups) *fixture {
	t.Helper()
	body := loanFormBody(t)
	f, err := form.Compile(body)
	require.NoError(t, err)
	publish(t, b, body, f)
	az := authztest.New()
	obj, all := form.FormObject("loan_application"), form.FieldObject("loan_application", "*")
	az.Grant("manager", obj, form.ActRead).Grant("manager", all, form.ActRead)
	// The channel manager sees their channel's applications only.
	az.Grant("channel_manager", obj, form.ActRead).Grant("channel_manager", all, form.ActRead)
	az.Scope("channel_manager", "loan_application", "record.channel == user.attrs.channel")
	// The analyst reads monthly income masked and approver not at all.
	az.Grant("analyst", obj, form.ActRead).Grant("analyst", all, form.ActRead)
	az.Grant("analyst", form.FieldObject("loan_application", "monthly_income"), "deny-read", form.ActReadMasked)
	az.Grant("analyst", form.FieldObject("loan_application", "approver"), "deny-read")
	// The clerk writes applications.
	az.Grant("clerk", obj, form.ActCreate, form.ActRead, form.ActUpdate, form.ActDelete).Grant("clerk", all, form.ActRead, form.ActUpdate)
	opts := form.Options{}
	if rollups != nil {
		opts.Observer = rollups
	}
	svc := form.NewService(b, az, audit.New(nil), opts)
	cockpitBody, err := os.ReadFile("testdata/cockpit.json")
	require.NoError(t, err)
	d, err := Compile(cockpitBody, map[string]*form.Form{"loan_application": f})
	require.NoError(t, err)
	return &fixture{b: b, authz: az, svc: svc, engine: New(svc, Options{Rollups: rollups}), form: f, cockpit: d.AtVersion(1)}
}

// publish writes version 1 of the form and its head, and the indexes of its indexed
// fields, the way builder publishes.
func publish(t testing.TB, b store.Backend, body []byte, f *form.Form) {
	t.Helper()
	ctx := context.Background()
	sc, err := b.Scope(testTenant)
	require.NoError(t, err)
	if _, err := sc.Collection(form.DefinitionsCollection).Get(ctx, form.HeadID(form.KindForm, f.Key())); err == nil {
		return // published before (a benchmark's database opened again)
	}
	now := time.Now().UTC()
	v := &form.StoredVersion{Kind: form.KindForm, Key: f.Key(), Version: 1, Body: body, Hash: form.BodyHash(body), Author: "tester", PublishedAt: now}
	require.NoError(t, sc.Collection(form.VersionsCollection).Insert(ctx, &store.Doc{ID: form.VersionID(form.KindForm, f.Key(), 1), Data: v.Data()}))
	h := &form.Head{Kind: form.KindForm, Key: f.Key(), Version: 1, Hash: v.Hash, PublishedAt: now, PublishedBy: "tester"}
	require.NoError(t, sc.Collection(form.DefinitionsCollection).Insert(ctx, &store.Doc{ID: form.HeadID(form.KindForm, f.Key()), Data: h.Data()}))
	for _, field := range f.IndexedFields() {
		require.NoError(t, sc.Collection(form.RecordsCollection(f.Key())).EnsureIndex(ctx,
			store.Index{Name: "f_" + field, Fields: []string{"data." + field}}))
	}
}

func actor(user string, attrs map[string]string) form.Actor {
	return form.Actor{Tenant: testTenant, UserID: user, Roles: []string{user}, Attrs: attrs}
}

// loan is one generated application; the tests compute expected figures from these.
type loan struct {
	Channel, Product, Status, AppliedOn, Approver, DisbursedOn, Bucket string
	Limit, Overdue, Income                                             float64
	DPD, MaxDPD                                                        int
	FPD                                                                bool
	HasLimit                                                           bool
}

var (
	channels  = []string{"branch", "online", "partner", "agent"}
	products  = []string{"personal_consumer", "small_business", "auto", "education"}
	statuses  = []string{"submitted", "under_review", "approved", "rejected", "disbursed", "disbursed", "disbursed"}
	approvers = []string{"wang", "li", "zhang", "liu", "chen", "yang"}
)

// genLoans makes n applications over 2024 from a fixed seed.
func genLoans(n int) []loan {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]loan, n)
	for i := range out {
		l := loan{Channel: channels[r.IntN(len(channels))], Product: products[r.IntN(len(products))],
			Status: statuses[r.IntN(len(statuses))], Income: float64(3000 + r.IntN(40000))}
		applied := start.AddDate(0, 0, r.IntN(366))
		l.AppliedOn = applied.Format(dateLayout)
		switch l.Status {
		case "approved", "rejected", "disbursed":
			l.Approver = approvers[r.IntN(len(approvers))]
		}
		if l.Status == "approved" || l.Status == "disbursed" {
			l.Limit, l.HasLimit = float64(1000*(5+r.IntN(196))), true
		}
		if l.Status == "disbursed" {
			l.DisbursedOn = applied.AddDate(0, 0, 1+r.IntN(10)).Format(dateLayout)
			if r.IntN(4) == 0 {
				l.DPD = 1 + r.IntN(150)
			}
			l.MaxDPD = l.DPD + r.IntN(20)
			l.FPD = l.DPD > 0 && r.IntN(3) == 0
			l.Bucket = bucketOf(l.DPD)
			if l.DPD > 0 {
				l.Overdue = float64(100 * (1 + r.IntN(800)))
			}
		}
		out[i] = l
	}
	return out
}

func bucketOf(dpd int) string {
	switch {
	case dpd == 0:
		return "current"
	case dpd <= 30:
		return "m1"
	case dpd <= 60:
		return "m2"
	}
	return "m3_plus"
}

func (l loan) data() map[string]any {
	d := map[string]any{"channel": l.Channel, "product": l.Product, "status": l.Status, "applied_on": l.AppliedOn,
		"applicant_name": "张三", "id_number": "110101199005171234", "amount": 50000, "monthly_income": l.Income}
	if l.Approver != "" {
		d["approver"] = l.Approver
	}
	if l.HasLimit {
		d["approved_limit"] = l.Limit
	}
	if l.Status == "disbursed" {
		d["disbursed_on"], d["dpd"], d["max_dpd"], d["fpd"], d["delinquency_bucket"] = l.DisbursedOn, l.DPD, l.MaxDPD, l.FPD, l.Bucket
		if l.Overdue > 0 {
			d["overdue_amount"] = l.Overdue
		}
	}
	return d
}

// seed stores the loans as records of the published form. It writes the record
// documents directly (the layout form.Service writes), since going through Create for
// a million records would measure validation and audit rather than dashboards.
func (fx *fixture) seed(t testing.TB, loans []loan) {
	t.Helper()
	ctx := context.Background()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	coll := sc.Collection(form.RecordsCollection("loan_application"))
	const batch = 5000
	for i := 0; i < len(loans); i += batch {
		err := sc.WithTx(ctx, func(ctx context.Context) error {
			for _, l := range loans[i:min(i+batch, len(loans))] {
				doc := &store.Doc{Data: map[string]any{"form_version": 1, "created_by": "seed", "data": l.data()}}
				if err := coll.Insert(ctx, doc); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
	fx.loans = append(fx.loans, loans...)
	fx.engine.Invalidate(testTenant, "loan_application")
}

// listAll pages through the record list with a filter, as the drill-down serves it.
func (fx *fixture) listAll(t testing.TB, a form.Actor, target *DrillTarget) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		page, err := fx.svc.List(context.Background(), a, target.Form, form.ListQuery{Filter: target.Filter, Limit: store.MaxLimit, Cursor: cursor})
		require.NoError(t, err)
		n += len(page.Records)
		if page.Next == "" {
			return n
		}
		cursor = page.Next
	}
}

func count(loans []loan, keep func(loan) bool) float64 {
	n := 0.0
	for _, l := range loans {
		if keep(l) {
			n++
		}
	}
	return n
}

func decided(l loan) bool {
	return l.Status == "approved" || l.Status == "rejected" || l.Status == "disbursed"
}

func approved(l loan) bool { return l.Status == "approved" || l.Status == "disbursed" }

// seriesOf finds a series by id.
func seriesOf(t testing.TB, d *WidgetData, id string) Series {
	t.Helper()
	for _, s := range d.Series {
		if s.ID == id {
			return s
		}
	}
	require.Fail(t, "no series", "%s in %s", id, d.ID)
	return Series{}
}

// valueAt is series id's figure for the category whose key is key.
func valueAt(t testing.TB, d *WidgetData, id string, key ...any) *float64 {
	t.Helper()
	s := seriesOf(t, d, id)
	want := keyString(append([]any{}, key...))
	for i, c := range d.Categories {
		if keyString(c.Key) == want {
			return s.Values[i]
		}
	}
	require.Fail(t, "no category", "%v in %s", key, d.ID)
	return nil
}

func isValidation(err error) *form.ValidationError {
	var ve *form.ValidationError
	if errors.As(err, &ve) {
		return ve
	}
	return nil
}

func must(t testing.TB, v *float64) float64 {
	t.Helper()
	require.NotNil(t, v)
	return *v
}
