package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
)

// uniqueKeys reads the unique indexes this tenant declared on the collection and
// returns the u document of doc: one key per index whose fields doc all has. Writers
// read the registry on every write, so a unique index declared by another process is
// honoured at once.
func (c *collection) uniqueKeys(ctx context.Context, doc *store.Doc) (bson.D, error) {
	decl, err := c.uniqueIndexes(ctx)
	if err != nil {
		return nil, err
	}
	return uniqueDoc(decl, doc), nil
}

// uniqueIndexes reads the unique indexes this tenant declared on the collection.
func (c *collection) uniqueIndexes(ctx context.Context) ([]declared, error) {
	reg, err := c.b.registry(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := reg.Find(ctx, bson.D{{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}, {Key: "u", Value: true}})
	if err != nil {
		return nil, fmt.Errorf("read unique indexes: %w", err)
	}
	var decl []declared
	if err := cur.All(ctx, &decl); err != nil {
		return nil, fmt.Errorf("read unique indexes: %w", err)
	}
	return decl, nil
}

// uniqueDoc is the u document of doc under the declared unique indexes.
func uniqueDoc(decl []declared, doc *store.Doc) bson.D {
	u := bson.D{}
	for _, d := range decl {
		if k, ok := uniqueKey(doc, d.Fields); ok {
			u = append(u, bson.E{Key: d.Name, Value: k})
		}
	}
	return u
}

// uniqueKey encodes the values of fields in doc so that equal values (by the store's
// comparison: numbers by value, strings byte-wise) give equal keys. false when a field
// is missing or null: such documents are not constrained.
func uniqueKey(doc *store.Doc, fields []string) (string, bool) {
	parts := make([]string, len(fields))
	for i, f := range fields {
		v := rawField(doc, f)
		if v == nil {
			return "", false
		}
		parts[i] = keyPart(v)
	}
	return strings.Join(parts, ","), true
}

// rawField reads a field without turning numbers into float64, so large integers keep
// their exact value.
func rawField(doc *store.Doc, field string) any {
	if strings.HasPrefix(field, "_") {
		return store.FieldValue(doc, field)
	}
	v, _ := lookup(doc.Data, strings.Split(field, "."))
	return v
}

func keyPart(v any) string {
	switch x := v.(type) {
	case string:
		return "s" + strconv.Quote(x)
	case bool:
		return "b" + strconv.FormatBool(x)
	case time.Time:
		return "t" + x.UTC().Format(timeKeyLayout)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return "n" + strconv.FormatInt(i, 10)
		}
		f, _ := x.Float64()
		return numberPart(f)
	case int:
		return "n" + strconv.Itoa(x)
	case int64:
		return "n" + strconv.FormatInt(x, 10)
	case float64:
		return numberPart(x)
	}
	b, _ := json.Marshal(v)
	return "j" + string(b)
}

// numberPart writes an integral double like the integer it equals, so 5 and 5.0 clash.
func numberPart(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return "n" + strconv.FormatInt(int64(f), 10)
	}
	return "n" + strconv.FormatFloat(f, 'g', -1, 64)
}
