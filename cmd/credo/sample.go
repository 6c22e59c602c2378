package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
)

// sampleApplication draws a plausible, valid loan application of the lending template from
// r; the same seed gives the same applicant, so demo data and benchmarks are repeatable.
func sampleApplication(r *rand.Rand, seq int) map[string]any {
	surnames := []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}
	given := []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "丽"}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	income := float64(3000+r.IntN(37000)) + float64(r.IntN(100))/100
	gender := "male"
	if r.IntN(2) == 0 {
		gender = "female"
	}
	// The ID number's sequence code ends odd for men and even for women (GB 11643).
	seqCode := seq % 500 * 2
	if gender == "male" {
		seqCode++
	}
	year := 1965 + r.IntN(38)
	month, day := 1+r.IntN(12), 1+r.IntN(28)
	contacts := []any{map[string]any{"name": pick(surnames) + pick(given), "relation": pick([]string{"spouse", "parent", "sibling", "friend", "colleague"}),
		"phone": fmt.Sprintf("139%08d", r.IntN(100_000_000))}}
	return map[string]any{
		"applicant_name":       pick(surnames) + pick(given),
		"gender":               gender,
		"birth_date":           fmt.Sprintf("%04d-%02d-%02d", year, month, day),
		"id_number":            residentID(fmt.Sprintf("110101%04d%02d%02d%03d", year, month, day, seqCode)),
		"marital_status":       pick([]string{"single", "married", "divorced"}),
		"education":            pick([]string{"senior_high", "associate", "bachelor", "master"}),
		"mobile_phone":         fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000)),
		"residential_region":   pick([]string{"110101", "310104", "440305", "510107", "330106"}),
		"residential_address":  pick([]string{"朝阳区建国路 88 号", "徐汇区漕溪北路 201 号", "南山区科技园 3 栋", "武侯区人民南路 4 段"}),
		"years_at_address":     r.IntN(20),
		"employer_name":        pick([]string{"华信科技有限公司", "东方零售集团", "长江制造股份", "明德教育"}),
		"industry":             pick([]string{"manufacturing", "retail", "it", "finance", "education"}),
		"years_employed":       r.IntN(25),
		"monthly_income":       income,
		"other_income":         float64(r.IntN(3000)),
		"monthly_debt":         float64(r.IntN(int(income / 2))),
		"existing_loans_count": r.IntN(4),
		"housing_status":       pick([]string{"owned_no_mortgage", "owned_mortgage", "rented", "family"}),
		"product":              pick([]string{"personal_consumer", "small_business", "auto", "education"}),
		"purpose":              pick([]string{"home_renovation", "education", "medical", "travel", "durable_goods"}),
		"amount":               float64(1000 * (1 + r.IntN(200))),
		"term_months":          []int{3, 6, 9, 12, 18, 24, 36}[r.IntN(7)],
		"repayment_method":     pick([]string{"equal_installment", "equal_principal"}),
		"disbursement_card":    fmt.Sprintf("6222%015d", r.Int64N(1_000_000_000_000_000)),
		"channel":              pick([]string{"branch", "online", "partner", "agent"}),
		"emergency_contacts":   contacts,
		"consent_credit_check": true,
		"consent_privacy":      true,
	}
}

// residentID appends the ISO 7064 MOD 11-2 check character of a mainland resident ID.
func residentID(body17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body17[i]-'0') * w
	}
	return body17 + string("10X98765432"[sum%11])
}

// demoApplications is how many loan applications the demo tenant starts with, applied
// over the last demoSpreadDays days.
const (
	demoApplications = 60
	demoSpreadDays   = 90
)

func seedApplications(ctx context.Context, a *app, actor form.Actor) error {
	r := rand.New(rand.NewPCG(2026, 11))
	apps := make([]map[string]any, demoApplications)
	today := time.Now().UTC()
	for i := range apps {
		apps[i] = sampleApplication(r, i)
		// Spread over the last quarter, so the cockpit's trends have a shape on day one.
		apps[i]["applied_on"] = today.AddDate(0, 0, -demoSpreadDays*(demoApplications-1-i)/demoApplications).Format(time.DateOnly)
	}
	// Two applicants' phones are on the blacklist, so the fraud check has something to find.
	var listed []list.Entry
	for _, i := range demoBlacklisted {
		listed = append(listed, list.Entry{Value: apps[i]["mobile_phone"].(string), Note: "demo"})
	}
	if _, err := a.lists.Add(ctx, demoSlug, "blacklist.phone", listed, list.Actor{UserID: actor.UserID, Client: "seed"}); err != nil {
		return fmt.Errorf("demo blacklist: %w", err)
	}
	for i, data := range apps {
		if _, err := a.forms.Create(ctx, actor, "loan_application", data); err != nil {
			return fmt.Errorf("demo application %d: %w", i, err)
		}
	}
	return nil
}

// demoBlacklisted are the sample applications whose phones the demo blacklist holds.
var demoBlacklisted = []int{7, 23}
