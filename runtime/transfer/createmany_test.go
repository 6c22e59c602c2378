package transfer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

// borrowerData is a valid borrower as an API caller would send it.
func borrowerData(i int) map[string]any {
	return map[string]any{"name": "张伟", "id_number": idNumber(i), "mobile_phone": fmt.Sprintf("138%08d", i),
		"monthly_income": json.Number("12000.5"), "dependants": 2}
}

func TestCreateManyOutcomes(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	ctx := context.Background()
	_, err := fx.forms.Create(ctx, fx.admin, borrowerForm, borrowerData(90))
	require.NoError(t, err)
	stored := firstID(t, fx)

	bad := borrowerData(3)
	bad["monthly_income"] = "lots"
	rows := []form.BulkRow{
		{ID: "r-1", Data: borrowerData(1)},
		{ID: "r-2", Data: borrowerData(2)},
		{ID: "r-1", Data: borrowerData(4)}, // repeats an id of this batch
		{ID: "r-3", Data: bad},
		{ID: stored, Data: borrowerData(5)},                   // written before
		{ID: strings.Repeat("x", 200), Data: borrowerData(6)}, // not an id
		{ID: "", Data: borrowerData(7)},                       // the service picks one
		{ID: "r-4", Data: map[string]any{"name": "张伟", "annual_income": 1}},
	}
	res, err := fx.forms.CreateMany(ctx, fx.admin, borrowerForm, rows, form.BulkOptions{Source: "test"})
	require.NoError(t, err)
	statuses := make([]string, len(res))
	for i, r := range res {
		statuses[i] = r.Status
	}
	assert.Equal(t, []string{form.BulkCreated, form.BulkCreated, form.BulkDuplicate, form.BulkRejected,
		form.BulkDuplicate, form.BulkRejected, form.BulkCreated, form.BulkRejected}, statuses)
	assert.Equal(t, "/monthly_income", res[3].Problems[0].Path)
	assert.Equal(t, "invalid_id", res[5].Problems[0].Code)
	assert.NotEmpty(t, res[6].ID)
	paths := map[string]string{}
	for _, p := range res[7].Problems {
		paths[p.Path] = p.Code
	}
	assert.Equal(t, "read_only", paths["/annual_income"], "computed fields cannot be written, as on Create")

	assert.Equal(t, int64(4), fx.count(t), "the earlier record and the three created")
	rec := fx.record(t, "r-1")
	assert.Equal(t, idNumber(1), rec["id_number"], "the first of two rows with one id wins")
	assert.Equal(t, json.Number("144006"), rec["annual_income"])

	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	outbox, err := sc.Collection(events.OutboxCollection).Count(ctx, store.Eq("type", form.EventRecordCreated))
	require.NoError(t, err)
	assert.Equal(t, int64(4), outbox, "one record.created event per created record")

	page, err := audit.New(nil).List(ctx, sc, audit.ListQuery{Action: form.AuditActionImport})
	require.NoError(t, err)
	require.Len(t, page.Entries, 1, "one entry for the batch")
	e := page.Entries[0]
	assert.Equal(t, form.FormObject(borrowerForm), e.Object)
	assert.Equal(t, "test", e.Detail["source"])
	assert.ElementsMatch(t, []any{"r-1", "r-2", res[6].ID}, e.Detail["records"])
	report, err := audit.Verify(ctx, sc)
	require.NoError(t, err)
	assert.True(t, report.OK(), "%v", report.Problems)

	t.Run("no right", func(t *testing.T) {
		_, err := fx.forms.CreateMany(ctx, fx.reader, borrowerForm, rows[:1], form.BulkOptions{})
		require.ErrorIs(t, err, form.ErrForbidden)
	})
	t.Run("batch too large", func(t *testing.T) {
		_, err := fx.forms.CreateMany(ctx, fx.admin, borrowerForm, make([]form.BulkRow, form.MaxBulkRows+1), form.BulkOptions{})
		require.ErrorIs(t, err, form.ErrBatchTooLarge)
	})
	t.Run("a field the actor may not write", func(t *testing.T) {
		d := borrowerData(8)
		d["notes"] = "from the clerk"
		res, err := fx.forms.CreateMany(ctx, fx.clerk, borrowerForm, []form.BulkRow{{ID: "c-1", Data: d}}, form.BulkOptions{})
		require.NoError(t, err)
		assert.Equal(t, form.BulkRejected, res[0].Status)
		assert.Equal(t, "forbidden", res[0].Problems[0].Code)
	})
}

// TestCreateManyRowScope: a batch admits, as Create does, only the rows its writer's
// row scope would let them see afterwards; the others are rejected, each with the
// reason, and the batch goes on.
func TestCreateManyRowScope(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	ctx := context.Background()
	obj := tenants.FormObject(borrowerForm)
	_, err := fx.ts.CreateRole(ctx, testTenant, tenants.RoleInput{Key: "online_agent", Name: "online agent",
		RowScopes: map[string]string{borrowerForm: `record.channel == "online"`}})
	require.NoError(t, err)
	require.NoError(t, fx.ts.SetPermissions(ctx, testTenant, "online_agent", []tenants.Permission{
		{Object: obj, Action: "create"}, {Object: obj, Action: "read"},
		{Object: obj + "/*", Action: "read"}, {Object: obj + "/*", Action: "update"}}))
	_, err = fx.ts.CreateUser(ctx, testTenant, tenants.UserInput{Email: "agent@acme.test", Name: "agent",
		Password: "correct-horse-1", Roles: []string{"online_agent"}})
	require.NoError(t, err)
	agent := fx.actor(t, fx.ts, "agent@acme.test", "online_agent")

	var rows []form.BulkRow
	for i, channel := range []string{"online", "branch", "online", "partner"} {
		d := borrowerData(i)
		d["channel"] = channel
		rows = append(rows, form.BulkRow{ID: fmt.Sprintf("s-%d", i), Data: d})
	}
	res, err := fx.forms.CreateMany(ctx, agent, borrowerForm, rows, form.BulkOptions{})
	require.NoError(t, err)
	for i, want := range []string{form.BulkCreated, form.BulkRejected, form.BulkCreated, form.BulkRejected} {
		assert.Equal(t, want, res[i].Status, "row %d", i)
	}
	require.Len(t, res[1].Problems, 1)
	assert.Equal(t, "row_scope", res[1].Problems[0].Code)
	assert.Equal(t, int64(2), fx.count(t), "only the rows within the scope are stored")
}

func TestCreateManyDecisionsAreOptional(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	ctx := context.Background()
	tpl, err := schemas.TemplateOf("lending", "loan_application")
	require.NoError(t, err)
	bld := builder.New(fx.b, fx.forms, audit.New(nil))
	_, err = bld.SaveDraft(ctx, fx.admin, form.KindForm, "loan_application", tpl.Body)
	require.NoError(t, err)
	_, err = bld.Publish(ctx, fx.admin, form.KindForm, "loan_application", "")
	require.NoError(t, err)

	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	pending := func() int64 {
		n, err := sc.Collection(form.PendingCollection).Count(ctx, nil)
		require.NoError(t, err)
		return n
	}
	res, err := fx.forms.CreateMany(ctx, fx.admin, "loan_application", []form.BulkRow{{ID: "h-1", Data: loanData(1)}}, form.BulkOptions{})
	require.NoError(t, err)
	require.Equal(t, form.BulkCreated, res[0].Status, "%v", res[0].Problems)
	assert.Zero(t, pending(), "a historical import queues no decision")
	d, err := sc.Collection(form.RecordsCollection("loan_application")).Get(ctx, "h-1")
	require.NoError(t, err)
	assert.NotContains(t, d.Data["data"], "credit_score")

	res, err = fx.forms.CreateMany(ctx, fx.admin, "loan_application", []form.BulkRow{{ID: "n-1", Data: loanData(2)}}, form.BulkOptions{Decide: true})
	require.NoError(t, err)
	require.Equal(t, form.BulkCreated, res[0].Status)
	assert.Equal(t, int64(1), pending(), "with Decide, as on Create: no plugin host, so the decisions wait")
}

func loanData(i int) map[string]any {
	return map[string]any{
		"applicant_name": "张伟", "gender": "male", "birth_date": "1990-03-07", "id_number": idNumber(i),
		"mobile_phone": fmt.Sprintf("138%08d", i), "residential_region": "110101", "residential_address": "北京市东城区东华门街道 1 号",
		"monthly_income": 12000.5, "other_income": 500, "monthly_debt": 3000, "housing_status": "rented",
		"product": "personal_consumer", "purpose": "education", "amount": 50000, "term_months": 12,
		"repayment_method": "equal_installment", "disbursement_card": "6222020200112233445", "channel": "online",
		"emergency_contacts":   []any{map[string]any{"name": "李娜", "relation": "spouse", "phone": "13900001111"}},
		"consent_credit_check": true, "consent_privacy": true,
	}
}

// A batch marked Fresh skips the lookup of its ids before validation; rows another
// writer stored meanwhile are still found duplicates when the batch is written, and the
// others are written once, with one event each.
func TestCreateManyFreshBatchMeetsStoredRows(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	ctx := context.Background()
	first, err := fx.forms.CreateMany(ctx, fx.admin, borrowerForm, []form.BulkRow{{ID: "f-2", Data: borrowerData(2)}}, form.BulkOptions{})
	require.NoError(t, err)
	require.Equal(t, form.BulkCreated, first[0].Status)

	rows := []form.BulkRow{{ID: "f-1", Data: borrowerData(1)}, {ID: "f-2", Data: borrowerData(20)},
		{ID: "f-3", Data: borrowerData(3)}, {ID: "f-1", Data: borrowerData(4)}}
	res, err := fx.forms.CreateMany(ctx, fx.admin, borrowerForm, rows, form.BulkOptions{Fresh: true})
	require.NoError(t, err)
	statuses := make([]string, len(res))
	for i, r := range res {
		statuses[i] = r.Status
	}
	assert.Equal(t, []string{form.BulkCreated, form.BulkDuplicate, form.BulkCreated, form.BulkDuplicate}, statuses)
	assert.Equal(t, int64(3), fx.count(t))
	assert.Equal(t, idNumber(2), fx.record(t, "f-2")["id_number"], "the stored row is left as it was")

	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	outbox, err := sc.Collection(events.OutboxCollection).Count(ctx, store.Eq("type", form.EventRecordCreated))
	require.NoError(t, err)
	assert.Equal(t, int64(3), outbox, "one record.created event per created record, none for the duplicate")
	page, err := audit.New(nil).List(ctx, sc, audit.ListQuery{Action: form.AuditActionImport})
	require.NoError(t, err)
	require.Len(t, page.Entries, 2)
	var ids []any
	for _, e := range page.Entries {
		ids = append(ids, e.Detail["records"].([]any)...)
	}
	assert.ElementsMatch(t, []any{"f-1", "f-2", "f-3"}, ids, "each created id audited once")
}
