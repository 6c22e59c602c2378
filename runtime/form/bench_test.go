package form

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkValidate validates a complete loan application against the template.
func BenchmarkValidate(b *testing.B) {
	f := mustCompile(b, templateBody(b, "loan_application"))
	data := loanData()
	require.NoError(b, f.Validate(data))
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare normalises, computes and validates a loan application.
func BenchmarkPrepare(b *testing.B) {
	f := mustCompile(b, templateBody(b, "loan_application"))
	data := loanData()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Prepare(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyMask shows 500 loan applications to a viewer with masked and hidden
// fields: one cached-mask lookup, then the per-field work. Reported: ns per field.
func BenchmarkApplyMask(b *testing.B) {
	ctx := context.Background()
	fx := newServiceFixture(b)
	f, err := fx.svc.Form(ctx, testTenant, "loan_application")
	require.NoError(b, err)
	rec, err := f.Prepare(loanData())
	require.NoError(b, err)
	records := make([]map[string]any, 500)
	for i := range records {
		records[i] = rec
	}
	viewer := actor("viewer")
	_, err = fx.svc.mask(ctx, viewer, f)
	require.NoError(b, err)
	calls := fx.authz.Calls.Load()
	b.ReportAllocs()
	for b.Loop() {
		m, err := fx.svc.mask(ctx, viewer, f)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range records {
			_ = m.Apply(r)
		}
	}
	if fx.authz.Calls.Load() != calls {
		b.Fatal("the cached mask asked the authorizer again")
	}
	fields := float64(len(rec) * len(records))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/fields, "ns/field")
}

// BenchmarkCreate creates loan applications through the service on in-memory SQLite,
// audit entry included.
func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	fx := newServiceFixture(b)
	officer := actor("officer")
	data := loanData()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fx.svc.Create(ctx, officer, "loan_application", data); err != nil {
			b.Fatal(err)
		}
	}
}
