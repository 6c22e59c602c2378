package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/credolabs/credo/runtime/lending"
)

// weighted is one choice of a categorical mix and its weight.
type weighted[T any] struct {
	v T
	w float64
}

func pickWeighted[T any](r *rand.Rand, xs []weighted[T]) T {
	total := 0.0
	for _, x := range xs {
		total += x.w
	}
	u := r.Float64() * total
	for _, x := range xs {
		if u -= x.w; u < 0 {
			return x.v
		}
	}
	return xs[len(xs)-1].v
}

// The mixes a consumer lender's intake sees: most applications online, most of them
// small consumer loans; business and car loans larger and longer.
var (
	channelMix = []weighted[string]{{"online", 45}, {"partner", 25}, {"branch", 20}, {"agent", 10}}
	productMix = []weighted[string]{{"personal_consumer", 55}, {"small_business", 20}, {"auto", 15}, {"education", 10}}
	// regionMix: district codes of large cities (GB/T 2260).
	regionMix = []weighted[string]{{"110105", 12}, {"310104", 12}, {"440305", 10}, {"440106", 8}, {"330106", 8},
		{"510107", 8}, {"420106", 7}, {"320106", 7}, {"500103", 7}, {"610113", 6}, {"120101", 5}, {"430104", 5}}
	productTerms = map[string][]int{
		"personal_consumer": {6, 12, 12, 12, 18, 24, 24, 36},
		"small_business":    {12, 24, 24, 36, 36},
		"auto":              {24, 36, 36},
		"education":         {6, 9, 12, 12, 18},
	}
	productPurposes = map[string][]string{
		"personal_consumer": {"home_renovation", "travel", "wedding", "durable_goods", "medical", "other"},
		"small_business":    {"business_operation"},
		"auto":              {"vehicle"},
		"education":         {"education"},
	}
	// productScale multiplies the median amount of a consumer loan.
	productScale = map[string]float64{"personal_consumer": 1, "small_business": 2.2, "auto": 2, "education": 0.6}
	relations    = []string{"spouse", "parent", "sibling", "friend", "colleague", "relative", "child"}
)

// Amount bounds of the simulated applications, in yuan.
const (
	minAmount = 5_000
	maxAmount = 500_000
)

// applicants draws the simulation's applications in sequence: the demo's sample
// applicant (valid resident ID matching birth date and gender) with realistic mixes of
// channel, product, amount, term, income, debt, region and contacts. A few reuse a recent
// applicant's phone (the fraud plugin's velocity rule), fewer a blacklisted one.
type applicants struct {
	r         *rand.Rand
	blacklist []string
	recent    []string // phones of the latest applicants, for repeat applications
}

// Shares of applications with a repeated or blacklisted phone.
const (
	repeatPhoneShare    = 0.03
	blacklistPhoneShare = 0.003
	recentPhones        = 40
)

func (g *applicants) next(seq int, appliedOn lending.Date) map[string]any {
	r := g.r
	app := sampleApplication(r, seq)
	product := pickWeighted(r, productMix)
	app["product"] = product
	app["channel"] = pickWeighted(r, channelMix)
	app["purpose"] = productPurposes[product][r.IntN(len(productPurposes[product]))]
	app["term_months"] = productTerms[product][r.IntN(len(productTerms[product]))]
	app["amount"] = logNormalAmount(r, 30_000*productScale[product], 0.85)
	app["residential_region"] = pickWeighted(r, regionMix)
	method := "equal_installment"
	switch u := r.Float64(); {
	case u < 0.2:
		method = "equal_principal"
	case u < 0.3 && product == "small_business":
		method = "interest_first"
	}
	app["repayment_method"] = method
	// Income log-normal around 9,000 a month; existing debt payments a skewed share of it.
	income := math.Round(clamp(9000*math.Exp(0.55*r.NormFloat64()), 2500, 150_000)*100) / 100
	app["monthly_income"] = income
	app["monthly_debt"] = math.Round(income*0.7*math.Pow(r.Float64(), 1.6)*100) / 100
	app["existing_loans_count"] = int(math.Min(6, math.Floor(math.Abs(r.NormFloat64())*1.5)))
	app["emergency_contacts"] = g.contacts(app["applicant_name"].(string))
	app["applied_on"] = appliedOn.String()

	switch u := r.Float64(); {
	case u < blacklistPhoneShare && len(g.blacklist) > 0:
		app["mobile_phone"] = g.blacklist[r.IntN(len(g.blacklist))]
	case u < blacklistPhoneShare+repeatPhoneShare && len(g.recent) > 0:
		app["mobile_phone"] = g.recent[r.IntN(len(g.recent))]
	}
	g.recent = append(g.recent, app["mobile_phone"].(string))
	if len(g.recent) > recentPhones {
		g.recent = g.recent[1:]
	}
	return app
}

// contacts draws one to three emergency contacts with different relations.
func (g *applicants) contacts(applicant string) []any {
	r := g.r
	n := 1 + r.IntN(3)
	rel := r.Perm(len(relations))
	out := make([]any, 0, n)
	surnames := []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱"}
	given := []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "丽", "强", "华"}
	for i := range n {
		name := surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))] + given[r.IntN(len(given))]
		if name == applicant {
			name += "明"
		}
		out = append(out, map[string]any{"name": name, "relation": relations[rel[i]],
			"phone": fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))})
	}
	return out
}

// logNormalAmount draws an amount around median, rounded to 1,000 and held to the
// simulation's bounds.
func logNormalAmount(r *rand.Rand, median, sigma float64) float64 {
	a := median * math.Exp(sigma*r.NormFloat64())
	return clamp(math.Round(a/1000)*1000, minAmount, maxAmount)
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
