package card

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

func TestParseGermanReproducesThePublishedCounts(t *testing.T) {
	ds := loadGerman(t)
	assert.Equal(t, "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871", ds.SHA256)
	require.Len(t, ds.Rows, 1000)
	assert.Equal(t, 300, ds.Bads())
	require.Len(t, ds.Attributes, 20)

	checking := map[string]int{}
	col := ds.Attribute("checking_status")
	for _, r := range ds.Rows {
		checking[r.Values[col].Cat]++
	}
	assert.Equal(t, map[string]int{"A11": 274, "A12": 269, "A13": 63, "A14": 394}, checking)

	mean := func(name string) float64 {
		c := ds.Attribute(name)
		xs := make([]float64, len(ds.Rows))
		for i, r := range ds.Rows {
			xs[i] = r.Values[c].Num
		}
		return stat.Mean(xs, nil)
	}
	assert.InDelta(t, 3271.26, mean("credit_amount"), 0.005)
	assert.InDelta(t, 35.55, mean("age_years"), 0.005)
}

func TestGermanAttributesAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, a := range GermanAttributes() {
		assert.False(t, names[a.Name], "duplicate %s", a.Name)
		names[a.Name] = true
		assert.NotEmpty(t, a.Title.EN, a.Name)
		assert.NotEmpty(t, a.Title.ZH, a.Name)
		slugs := map[string]bool{}
		for _, c := range a.Codes {
			assert.NotEmpty(t, c.Label.EN, c.Code)
			assert.NotEmpty(t, c.Label.ZH, c.Code)
			assert.False(t, slugs[c.Slug], "duplicate slug %s in %s", c.Slug, a.Name)
			slugs[c.Slug] = true
		}
	}
	for _, n := range []string{"checking_status", "duration_months", "credit_history", "purpose", "credit_amount",
		"savings", "employment_since", "installment_rate", "personal_status_sex", "other_debtors", "residence_since",
		"property", "age_years", "other_installment_plans", "housing", "existing_credits", "job", "people_liable",
		"telephone", "foreign_worker"} {
		assert.True(t, names[n], n)
	}
}

func TestParseGermanRejectsMalformedLines(t *testing.T) {
	good := "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1"
	cases := []struct {
		name, line, want string
	}{
		{"too few fields", "A11 6 A34", "3 fields"},
		{"undocumented code", strings.Replace(good, "A11", "A15", 1), `checking_status: undocumented code "A15"`},
		{"code in the wrong column", strings.Replace(good, "A34", "A43", 1), `credit_history: undocumented code "A43"`},
		{"not an integer", strings.Replace(good, " 1169 ", " 11.5 ", 1), `credit_amount: "11.5" is not an integer`},
		{"unknown class", good[:len(good)-1] + "3", `class "3"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseGerman(strings.NewReader(good + "\n" + tc.line + "\n"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "line 2")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := ParseGerman(strings.NewReader("\n\n"))
	assert.ErrorContains(t, err, "no rows")
	ds, err := ParseGerman(strings.NewReader(good + "\n"))
	require.NoError(t, err)
	assert.False(t, ds.Rows[0].Bad)
	assert.Equal(t, "A11", ds.Rows[0].Values[0].Cat)
	assert.InDelta(t, 1169.0, ds.Rows[0].Values[4].Num, 0)
}
