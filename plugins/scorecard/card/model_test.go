package card

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelFileRoundTrips(t *testing.T) {
	c, _ := newTrainedCard(t)
	var a, b bytes.Buffer
	require.NoError(t, c.Model().Encode(&a))
	m, err := Decode(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	require.NoError(t, m.Encode(&b))
	assert.Equal(t, a.String(), b.String())
}

func TestDecodeIsStrict(t *testing.T) {
	c, _ := newTrainedCard(t)
	var buf bytes.Buffer
	require.NoError(t, c.Model().Encode(&buf))
	good := buf.String()
	cases := map[string]string{
		"unknown field":        strings.Replace(good, `"format_version": 1,`, `"format_version": 1, "colour": "red",`, 1),
		"other format version": strings.Replace(good, `"format_version": 1,`, `"format_version": 2,`, 1),
		"trailing data":        good + "{}",
		"not JSON":             "scorecard",
		"misspelt feature key": strings.Replace(good, `"bins":`, `"bin":`, 1),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(doc))
			assert.Error(t, err)
		})
	}
}

func TestCompileRejectsInconsistentModels(t *testing.T) {
	c, _ := newTrainedCard(t)
	numeric := func(m *Model) *Feature {
		for i := range m.Features {
			if m.Features[i].Kind == Numeric && len(m.Features[i].Bins) > 2 {
				return &m.Features[i]
			}
		}
		t.Fatal("no numeric feature with three bins")
		return nil
	}
	categorical := func(m *Model) *Feature {
		for i := range m.Features {
			if m.Features[i].Kind == Categorical && len(m.Features[i].Input.Map) > 0 {
				return &m.Features[i]
			}
		}
		t.Fatal("no mapped categorical feature")
		return nil
	}
	cases := map[string]func(*Model){
		"no features":               func(m *Model) { m.Features = nil },
		"four grades":               func(m *Model) { m.Grades = m.Grades[:4] },
		"grades out of order":       func(m *Model) { *m.Grades[1].MinScore = *m.Grades[0].MinScore },
		"last grade with a minimum": func(m *Model) { x := 1; m.Grades[4].MinScore = &x },
		"gap between numeric bins":  func(m *Model) { f := numeric(m); x := *f.Bins[1].Lower + 1; f.Bins[1].Lower = &x },
		"category in two bins": func(m *Model) {
			f := categorical(m)
			f.Bins[1].Categories = append(f.Bins[1].Categories, f.Bins[0].Categories[0])
		},
		"map to an undocumented code": func(m *Model) {
			f := categorical(m)
			f.Input.Map = map[string]string{"x": "A999"}
		},
		"unknown derivation": func(m *Model) { m.Features[0].Input.Derive = "horoscope" },
		"no input field":     func(m *Model) { m.Features[0].Input.Fields = nil },
		"join of one field":  func(m *Model) { f := categorical(m); f.Input.Derive = DeriveJoin },
		"bands out of order": func(m *Model) {
			f := numeric(m)
			hi, lo, v := 10.0, 5.0, 1.0
			f.Input.Bands = []Band{{Below: &hi, Value: &v}, {Below: &lo, Value: &v}, {Value: &v}}
		},
		"missing Chinese label":      func(m *Model) { m.Features[0].Bins[0].Label.ZH = "" },
		"rising limit multiples":     func(m *Model) { m.Policy.Multiples.D = 100 },
		"duplicate feature":          func(m *Model) { m.Features = append(m.Features, m.Features[0]) },
		"zero points to double odds": func(m *Model) { m.Scaling.PDO = 0 },
	}
	// want is a phrase of the error each mutation must cause.
	want := map[string]string{
		"no features":                 "no features",
		"four grades":                 "4 grades",
		"grades out of order":         "is not below grade S",
		"last grade with a minimum":   "only the last grade has no min_score",
		"gap between numeric bins":    "does not start where the previous bin ends",
		"category in two bins":        "is in two bins",
		"map to an undocumented code": "not one of the feature's codes",
		"unknown derivation":          "unknown derive",
		"no input field":              "reads no field",
		"join of one field":           "needs at least two fields",
		"bands out of order":          "not in rising order",
		"missing Chinese label":       "lacks its code or label",
		"rising limit multiples":      "a worse grade never gets more",
		"duplicate feature":           "appears twice",
		"zero points to double odds":  "pdo > 0",
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			m := cloneModel(t, c.Model())
			mutate(m)
			_, err := Compile(m)
			assert.ErrorContains(t, err, want[name])
		})
	}
}

func TestTrainRejectsABrokenSpec(t *testing.T) {
	ds := loadGerman(t)
	cases := map[string]func(*Spec){
		"input for an unknown attribute": func(s *Spec) { s.Inputs["shoe_size"] = Input{Fields: []string{"shoe_size"}} },
		"exclude an unknown attribute":   func(s *Spec) { s.Options.Exclude = []string{"shoe_size"} },
		"grade shares not summing to 1":  func(s *Spec) { s.Options.GradeShares = []float64{0.2, 0.2, 0.2, 0.2, 0.1} },
		"no input for a kept attribute":  func(s *Spec) { delete(s.Inputs, "checking_status") },
		"bad policy":                     func(s *Spec) { s.Policy.Currency = "" },
	}
	// want is a phrase of the error each mutation must cause.
	want := map[string]string{
		"input for an unknown attribute": "which the data does not have",
		"exclude an unknown attribute":   "no such attribute",
		"grade shares not summing to 1":  "sum to 0.9",
		"no input for a kept attribute":  "no input for the kept attribute",
		"bad policy":                     "ISO 4217",
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			s := loadSpec(t)
			mutate(s)
			_, err := Train(ds, allRows(ds), s, scoringDay)
			assert.ErrorContains(t, err, want[name])
		})
	}
}

func TestExcludedAttributesStayOut(t *testing.T) {
	ds, spec := loadGerman(t), loadSpec(t)
	spec.Options.Exclude = []string{"personal_status_sex", "foreign_worker"}
	m, err := Train(ds, allRows(ds), spec, scoringDay)
	require.NoError(t, err)
	for _, f := range m.Features {
		assert.NotContains(t, spec.Options.Exclude, f.Name)
	}
	assert.NotContains(t, m.Reads(), "gender")
}
