package form

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func nested(depth int) any {
	var v any = "leaf"
	for range depth {
		v = []any{v}
	}
	return v
}

// TestRecordLimits: hostile input is refused with a clear code before the schema runs.
func TestRecordLimits(t *testing.T) {
	f := mustCompile(t, templateBody(t, "customer"))
	tests := []struct {
		name string
		data map[string]any
		want Problem
	}{
		{name: "string too long", data: map[string]any{"notes": strings.Repeat("长", MaxStringLength)},
			want: Problem{Path: "/notes", Code: "max_length", Message: "is longer than 65536 bytes", Params: map[string]any{"limit": MaxStringLength}}},
		{name: "array too long", data: map[string]any{"attachments": make([]any, MaxArrayItems+1)},
			want: Problem{Path: "/attachments", Code: "max_items", Message: "has more than 1000 entries", Params: map[string]any{"limit": MaxArrayItems}}},
		{name: "too deep", data: map[string]any{"attachments": nested(MaxRecordDepth + 2)},
			want: Problem{Path: "/attachments/0/0/0/0/0/0/0", Code: "max_depth", Message: "is nested deeper than 8 levels", Params: map[string]any{"limit": MaxRecordDepth}}},
		{name: "not a JSON value", data: map[string]any{"notes": struct{}{}},
			want: Problem{Path: "/notes", Code: "type", Message: "is not a JSON value"}},
		{name: "not a finite number", data: map[string]any{"notes": math.Inf(1)},
			want: Problem{Path: "/notes", Code: "type", Message: "must be a finite number"}},
		{name: "invalid UTF-8", data: map[string]any{"notes": "\xff\xfe"},
			want: Problem{Path: "/notes", Code: "encoding", Message: "is not valid UTF-8 text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.Prepare(tc.data)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []Problem{tc.want}, ve.Problems)
			assert.Equal(t, err, f.Validate(tc.data))
		})
	}
	t.Run("too many values", func(t *testing.T) {
		many := make([]any, MaxArrayItems)
		for i := range many {
			many[i] = []any{make([]any, 30)}
		}
		_, err := f.Prepare(map[string]any{"attachments": many})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "max_size", ve.Problems[0].Code)
	})
}

func TestDefinitionSizeLimit(t *testing.T) {
	_, err := Compile([]byte(`{"key":"x","pad":"` + strings.Repeat("x", MaxDefinitionSize) + `"}`))
	var de *DefinitionError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "max_size", de.Problems[0].Code)
}

func TestMergePatch(t *testing.T) {
	tests := []struct {
		name       string
		doc, patch map[string]any
		want       map[string]any
	}{
		{"set and keep", map[string]any{"a": 1, "b": 2}, map[string]any{"b": 3}, map[string]any{"a": 1, "b": 3}},
		{"null deletes", map[string]any{"a": 1, "b": 2}, map[string]any{"a": nil}, map[string]any{"b": 2}},
		{"objects merge", map[string]any{"o": map[string]any{"x": 1, "y": 2}}, map[string]any{"o": map[string]any{"y": nil, "z": 3}},
			map[string]any{"o": map[string]any{"x": 1, "z": 3}}},
		{"arrays replace", map[string]any{"l": []any{1, 2}}, map[string]any{"l": []any{3}}, map[string]any{"l": []any{3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(tc.doc)
			assert.Equal(t, tc.want, mergePatch(tc.doc, tc.patch))
			assert.Len(t, tc.doc, before, "the document is not modified")
		})
	}
}

func TestCheckRowScopeFormKey(t *testing.T) {
	f := mustCompile(t, templateBody(t, "customer"))
	assert.ErrorIs(t, CheckRowScope("loan_application", "true", f), ErrFormNotFound)
	assert.ErrorIs(t, CheckRowScope("customer", "true", nil), ErrFormNotFound)
	assert.NoError(t, CheckRowScope("customer", `record.relationship_manager == user.id`, f))
}

func TestCleanPointer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"/a/b", "/a/b"},
		{"/Bad%20Name/x", "/Bad Name/x"},
		{"/a~1b/%E5%A7%93%E5%90%8D", "/a~1b/姓名"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, cleanPointer(tc.in))
		})
	}
}

// TestServiceConcurrent: writers, readers and policy changes at once (run with -race).
func TestServiceConcurrent(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
				if err != nil {
					errs <- err
					return
				}
				if _, err := fx.svc.Get(ctx, actor("viewer"), "loan_application", rec.ID); err != nil {
					errs <- err
					return
				}
				if _, err := fx.svc.List(ctx, actor("scoped"), "loan_application", ListQuery{Limit: 10}); err != nil {
					errs <- err
					return
				}
				if i == 0 {
					fx.authz.Changed()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	page, err := fx.svc.List(ctx, actor("officer"), "loan_application", ListQuery{Limit: 100})
	require.NoError(t, err)
	assert.Len(t, page.Records, 20)
}
