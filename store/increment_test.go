package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestGroupIncrements(t *testing.T) {
	inc := func(id string, n float64) Increment {
		return Increment{ID: id, Set: map[string]any{"k": id}, Add: map[string]float64{"n": n}}
	}
	// The caller's slice has room after its elements: the merge must not write there.
	first := make([]Increment, 2, 8)
	first[0], first[1] = inc("x", 1), inc("y", 2)
	spare := first[:3]
	spare[2] = inc("untouched", 9)
	got := GroupIncrements([]CollectionIncrements{
		{Collection: "rollup:a", Increments: first},
		{Collection: "rollup:b"},
		{Collection: "rollup:c", Increments: []Increment{inc("x", 5)}},
		{Collection: "rollup:a", Increments: []Increment{inc("x", 3), inc("z", 4)}},
	})
	want := []CollectionIncrements{
		{Collection: "rollup:a", Increments: []Increment{inc("x", 4), inc("y", 2), inc("z", 4)}},
		{Collection: "rollup:c", Increments: []Increment{inc("x", 5)}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("GroupIncrements:\n got %+v\nwant %+v", got, want)
	}
	if spare[2].ID != "untouched" || first[0].Add["n"] != 1 {
		t.Fatalf("the caller's increments changed: %+v", spare)
	}
}

func TestMergeIncrementsKeepsTheCallersMaps(t *testing.T) {
	a := Increment{ID: "x", Add: map[string]float64{"n": 1}}
	b := Increment{ID: "x", Add: map[string]float64{"n": 2, "m": 1}}
	got := MergeIncrements([]Increment{a, b})
	if len(got) != 1 || got[0].Add["n"] != 3 || got[0].Add["m"] != 1 {
		t.Fatalf("merged: %+v", got)
	}
	if a.Add["n"] != 1 || len(a.Add) != 1 {
		t.Fatalf("the caller's map changed: %+v", a.Add)
	}
}

func TestValidateAcross(t *testing.T) {
	ok := Increment{ID: "x", Add: map[string]float64{"n": 1}}
	for name, c := range map[string]struct {
		batches []CollectionIncrements
		valid   bool
	}{
		"valid":            {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{ok}}}, true},
		"collection name":  {[]CollectionIncrements{{Collection: "Rollup A", Increments: []Increment{ok}}}, false},
		"add key":          {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{{ID: "x", Add: map[string]float64{"N": 1}}}}}, false},
		"long add key":     {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{{ID: "x", Add: map[string]float64{strings.Repeat("a", 65): 1}}}}}, false},
		"set key":          {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{{ID: "x", Set: map[string]any{"$k": 1}}}}}, false},
		"longest add key":  {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{{ID: "x", Add: map[string]float64{"a_" + strings.Repeat("Z", 62): 1}}}}}, true},
		"digit first":      {[]CollectionIncrements{{Collection: "rollup:a", Increments: []Increment{{ID: "x", Add: map[string]float64{"1n": 1}}}}}, false},
		"no increments ok": {[]CollectionIncrements{{Collection: "rollup:a"}}, true},
	} {
		err := ValidateAcross(c.batches)
		if c.valid != (err == nil) || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
