package ferretdbtest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
)

// These cases check what is particular to the MongoDB backend (storage shape, number
// types on the wire, engine fallbacks) on embedded FerretDB; the shared behaviour is the
// conformance suite's.

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := store.DecodeData([]byte(s))
	require.NoError(t, err)
	return m
}

func TestStorageShape(t *testing.T) {
	uri := Start(t)
	b := openBackend(t, uri, "shape")
	raw := rawDatabase(t, uri, "shape")
	ctx := context.Background()
	s, err := b.Scope("acme")
	require.NoError(t, err)
	forms := []string{"records:loan", "records:customer", "records:collateral"}
	for _, f := range forms {
		require.NoError(t, s.Collection(f).Insert(ctx, &store.Doc{ID: "r1", Data: decode(t, `{"amount": 1200, "rate": 0.035, "big": 9007199254740993}`)}))
	}

	t.Run("one MongoDB collection per kind, beside the index registry", func(t *testing.T) {
		names, err := raw.ListCollectionNames(ctx, bson.D{})
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"records", "_credo_indexes"}, names)
	})
	t.Run("document carries tenant collection id and metadata", func(t *testing.T) {
		var got bson.M
		require.NoError(t, raw.Collection("records").FindOne(ctx, bson.D{{Key: "_id", Value: "acme/records:loan/r1"}}).Decode(&got))
		assert.Equal(t, "acme", got["t"])
		assert.Equal(t, "records:loan", got["c"])
		assert.Equal(t, "r1", got["i"])
		assert.Equal(t, int64(1), got["v"])
		assert.Contains(t, got, "ca")
		assert.Contains(t, got, "ua")
	})
	t.Run("numbers are BSON numbers, integers int64", func(t *testing.T) {
		rawDoc, err := raw.Collection("records").FindOne(ctx, bson.D{{Key: "_id", Value: "acme/records:loan/r1"}}).Raw()
		require.NoError(t, err)
		d := rawDoc.Lookup("d").Document()
		assert.Equal(t, bson.TypeInt64, d.Lookup("amount").Type)
		assert.Equal(t, bson.TypeDouble, d.Lookup("rate").Type)
		assert.Equal(t, int64(9007199254740993), d.Lookup("big").Int64())
	})
	t.Run("numbers come back as json.Number", func(t *testing.T) {
		doc, err := s.Collection("records:loan").Get(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, json.Number("1200"), doc.Data["amount"])
		assert.Equal(t, json.Number("0.035"), doc.Data["rate"])
		assert.Equal(t, json.Number("9007199254740993"), doc.Data["big"])
	})
	t.Run("base index on tenant collection id", func(t *testing.T) {
		cur, err := raw.Collection("records").Indexes().List(ctx)
		require.NoError(t, err)
		var specs []bson.M
		require.NoError(t, cur.All(ctx, &specs))
		var found bool
		for _, s := range specs {
			if s["name"] == "t_c_i" {
				found = true
				assert.Equal(t, true, s["unique"])
			}
		}
		assert.True(t, found, "index t_c_i in %v", specs)
	})
}

func TestBadDataChangesNothing(t *testing.T) {
	b := openBackend(t, Start(t), "baddata")
	ctx := context.Background()
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records:loan")
	doc := &store.Doc{ID: "r1", Data: decode(t, `{"status": "new"}`)}
	require.NoError(t, c.Insert(ctx, doc))

	cases := []struct {
		name    string
		write   func() error
		pointer string
	}{
		{"insert with operator key", func() error {
			return c.Insert(ctx, &store.Doc{ID: "r2", Data: map[string]any{"applicant": map[string]any{"$gt": 1}}})
		}, "/applicant/$gt"},
		{"update with dotted key", func() error {
			return c.Update(ctx, &store.Doc{ID: "r1", Version: doc.Version, Data: map[string]any{"a.b": 1}})
		}, "/a.b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			require.ErrorIs(t, err, store.ErrInvalid)
			var de *mongo.DataError
			require.True(t, errors.As(err, &de))
			assert.Equal(t, tc.pointer, de.Pointer)
			assert.Equal(t, "invalid_key", de.Code)

			n, err := c.Count(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, int64(1), n)
			got, err := c.Get(ctx, "r1")
			require.NoError(t, err)
			assert.Equal(t, int64(1), got.Version)
			assert.Equal(t, map[string]any{"status": "new"}, got.Data)
		})
	}
}

func TestWithTxWithoutTransactions(t *testing.T) {
	b := openBackend(t, Start(t), "tx")
	ctx := context.Background()
	require.False(t, b.Transactions())
	s, err := b.Scope("acme")
	require.NoError(t, err)
	boom := errors.New("boom")
	err = s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Collection("events").Insert(ctx, &store.Doc{ID: "e1"}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	_, err = s.Collection("events").Get(ctx, "e1")
	assert.NoError(t, err, "without transactions each write commits on its own")
}

func TestPortableAggregation(t *testing.T) {
	b := openBackend(t, Start(t), "agg")
	ctx := context.Background()
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records:loan")
	for _, d := range []string{
		`{"status": "new", "amount": 100, "at": "2024-03-05T10:00:00Z"}`,
		`{"status": "new", "amount": 250.5, "at": "2024-03-06"}`,
		`{"status": "approved", "amount": 300, "at": "2024-04-01T12:00:00+08:00"}`,
		`{"status": "approved", "amount": "n/a", "at": "soon"}`,
		`{"amount": 50}`,
	} {
		require.NoError(t, c.Insert(ctx, &store.Doc{Data: decode(t, d)}))
	}
	all := []store.Measure{
		{Name: "n", Op: store.MeasureCount},
		{Name: "sum", Op: store.MeasureSum, Field: "amount"},
		{Name: "avg", Op: store.MeasureAvg, Field: "amount"},
	}
	cases := []struct {
		name string
		a    store.Aggregation
		want []store.Group
	}{
		{"several measures per plain key", store.Aggregation{GroupBy: []store.GroupKey{{Field: "status"}}, Measures: all}, []store.Group{
			{Key: []any{nil}, Values: map[string]float64{"n": 1, "sum": 50, "avg": 50}},
			{Key: []any{"approved"}, Values: map[string]float64{"n": 2, "sum": 300, "avg": 300}},
			{Key: []any{"new"}, Values: map[string]float64{"n": 2, "sum": 350.5, "avg": 175.25}},
		}},
		{"no key", store.Aggregation{Measures: all}, []store.Group{
			{Key: []any{}, Values: map[string]float64{"n": 5, "sum": 700.5, "avg": 175.125}},
		}},
		{"min and max", store.Aggregation{GroupBy: []store.GroupKey{{Field: "status"}}, Measures: []store.Measure{
			{Name: "min", Op: store.MeasureMin, Field: "amount"}, {Name: "max", Op: store.MeasureMax, Field: "amount"}}}, []store.Group{
			{Key: []any{nil}, Values: map[string]float64{"min": 50, "max": 50}},
			{Key: []any{"approved"}, Values: map[string]float64{"min": 300, "max": 300}},
			{Key: []any{"new"}, Values: map[string]float64{"min": 100, "max": 250.5}},
		}},
		{"month buckets", store.Aggregation{GroupBy: []store.GroupKey{{Field: "at", Bucket: store.BucketMonth}}, Measures: all[:1]}, []store.Group{
			{Key: []any{nil}, Values: map[string]float64{"n": 2}},
			{Key: []any{"2024-03"}, Values: map[string]float64{"n": 2}},
			{Key: []any{"2024-04"}, Values: map[string]float64{"n": 1}},
		}},
		{"range buckets with a filter", store.Aggregation{
			Filter:   store.Exists("status", true),
			GroupBy:  []store.GroupKey{{Field: "amount", Bucket: store.BucketRange, Bounds: []float64{200, 300}}},
			Measures: all[:2]}, []store.Group{
			{Key: []any{nil}, Values: map[string]float64{"n": 1, "sum": 0}},
			{Key: []any{0}, Values: map[string]float64{"n": 1, "sum": 100}},
			{Key: []any{1}, Values: map[string]float64{"n": 1, "sum": 250.5}},
			{Key: []any{2}, Values: map[string]float64{"n": 1, "sum": 300}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Aggregate(ctx, tc.a)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestEnsureIndexUnique(t *testing.T) {
	b := openBackend(t, Start(t), "idx")
	ctx := context.Background()
	acme, err := b.Scope("acme")
	require.NoError(t, err)
	other, err := b.Scope("other")
	require.NoError(t, err)
	unique := store.Index{Name: "by_national_id", Fields: []string{"national_id"}, Unique: true}
	plain := store.Index{Name: "by_national_id", Fields: []string{"national_id"}}
	for _, s := range []store.Scope{acme, other} {
		for _, name := range []string{"records:customer", "records:borrower"} {
			require.NoError(t, s.Collection(name).EnsureIndex(ctx, unique))
			require.NoError(t, s.Collection(name).EnsureIndex(ctx, unique), "idempotent")
		}
		require.NoError(t, s.Collection("records:guarantor").EnsureIndex(ctx, plain))
	}
	insert := func(s store.Scope, coll, data string) error {
		return s.Collection(coll).Insert(ctx, &store.Doc{Data: decode(t, data)})
	}
	require.NoError(t, insert(acme, "records:customer", `{"national_id": "X1"}`))
	require.NoError(t, insert(acme, "records:guarantor", `{"national_id": "X1"}`))

	cases := []struct {
		name    string
		err     error
		wantDup bool
	}{
		{"same value same tenant and collection", insert(acme, "records:customer", `{"national_id": "X1"}`), true},
		{"same value other collection with the same index", insert(acme, "records:borrower", `{"national_id": "X1"}`), false},
		{"same value other tenant", insert(other, "records:customer", `{"national_id": "X1"}`), false},
		{"same value in a collection whose index is not unique", insert(acme, "records:guarantor", `{"national_id": "X1"}`), false},
		{"first document without the field", insert(acme, "records:customer", `{"name": "a"}`), false},
		{"second document without the field", insert(acme, "records:customer", `{"name": "b"}`), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantDup {
				assert.ErrorIs(t, tc.err, store.ErrDuplicate)
			} else {
				assert.NoError(t, tc.err)
			}
		})
	}
	t.Run("same name other definition is refused", func(t *testing.T) {
		changed := store.Index{Name: "by_national_id", Fields: []string{"national_id", "country"}, Unique: true}
		assert.ErrorIs(t, acme.Collection("records:customer").EnsureIndex(ctx, changed), store.ErrInvalid)
	})
	t.Run("another tenant may use the name for other fields", func(t *testing.T) {
		mine := store.Index{Name: "by_national_id", Fields: []string{"passport"}, Unique: true}
		third, err := b.Scope("third")
		require.NoError(t, err)
		require.NoError(t, third.Collection("records:customer").EnsureIndex(ctx, mine))
		assert.NoError(t, insert(third, "records:customer", `{"national_id": "X1"}`))
		assert.NoError(t, insert(third, "records:customer", `{"national_id": "X1"}`))
		assert.NoError(t, insert(third, "records:customer", `{"passport": "P1"}`))
		assert.ErrorIs(t, insert(third, "records:customer", `{"passport": "P1"}`), store.ErrDuplicate)
	})
	t.Run("bad index changes nothing", func(t *testing.T) {
		err := acme.Collection("records:customer").EnsureIndex(ctx, store.Index{Name: "Bad-Name", Fields: []string{"x"}})
		assert.ErrorIs(t, err, store.ErrInvalid)
	})
}

func TestVersionClaims(t *testing.T) {
	uri := Start(t)
	b := openBackend(t, uri, "claims")
	claims := rawDatabase(t, uri, "claims").Collection("_credo_claims")
	ctx := context.Background()
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records:loan")

	cases := []struct {
		name    string
		claimAt time.Time // a claim left on the document's next version; zero for none
		want    error
	}{
		{"no claim", time.Time{}, nil},
		{"a live claim means another writer has the version", time.Now(), store.ErrConflict},
		{"a stale claim is taken over", time.Now().Add(-2 * time.Minute), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := &store.Doc{Data: decode(t, `{"n": 1}`)}
			require.NoError(t, c.Insert(ctx, doc))
			if !tc.claimAt.IsZero() {
				_, err := claims.InsertOne(ctx, bson.D{
					{Key: "_id", Value: "acme/records:loan/" + doc.ID + "#2"},
					{Key: "t", Value: "acme"}, {Key: "c", Value: "records:loan"}, {Key: "i", Value: doc.ID},
					{Key: "at", Value: tc.claimAt},
				})
				require.NoError(t, err)
			}
			err := c.Update(ctx, &store.Doc{ID: doc.ID, Version: 1, Data: decode(t, `{"n": 2}`)})
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			got, err := c.Get(ctx, doc.ID)
			require.NoError(t, err)
			assert.Equal(t, int64(2), got.Version)
		})
	}
	t.Run("delete clears a document's claims", func(t *testing.T) {
		doc := &store.Doc{ID: "again", Data: decode(t, `{"n": 1}`)}
		require.NoError(t, c.Insert(ctx, doc))
		require.NoError(t, c.Update(ctx, doc))
		require.NoError(t, c.Delete(ctx, doc.ID, doc.Version))
		n, err := claims.CountDocuments(ctx, bson.D{{Key: "i", Value: "again"}})
		require.NoError(t, err)
		assert.Zero(t, n)
		again := &store.Doc{ID: "again", Data: decode(t, `{"n": 1}`)}
		require.NoError(t, c.Insert(ctx, again))
		assert.NoError(t, c.Update(ctx, again), "a document created again starts afresh")
	})
}
