package mongo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/credolabs/credo/store"
)

func TestKeyExpr(t *testing.T) {
	cases := []struct {
		name string
		key  store.GroupKey
		want string
	}{
		{"value is the field", store.GroupKey{Field: "status"}, `{"k":"$d.status"}`},
		{"metadata value", store.GroupKey{Field: store.FieldVersion}, `{"k":"$v"}`},
		{"month", store.GroupKey{Field: "at", Bucket: store.BucketMonth}, `{"k":{"$cond":[
			{"$eq":[{"$type":"$d.at"},"date"]},
			{"$dateToString":{"format":"%Y-%m","date":"$d.at","timezone":"UTC"}},
			{"$cond":[{"$and":[{"$eq":[{"$type":"$d.at"},"string"]},{"$regexMatch":{"input":"$d.at","regex":"^[0-9]{4}-[0-9]{2}-[0-9]{2}"}}]},
				{"$substrBytes":["$d.at",0,7]},null]}]}}`},
		{"ranges", store.GroupKey{Field: "n", Bucket: store.BucketRange, Bounds: []float64{0, 10}}, `{"k":{"$cond":[
			{"$isNumber":"$d.n"},
			{"$switch":{"branches":[{"case":{"$lt":["$d.n",0.0]},"then":0},{"case":{"$lt":["$d.n",10.0]},"then":1}],"default":2}},
			null]}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.JSONEq(t, c.want, extJSON(t, bson.D{{Key: "k", Value: keyExpr(c.key)}}))
		})
	}
}
