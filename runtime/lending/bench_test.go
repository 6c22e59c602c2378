package lending

import "testing"

func BenchmarkSchedule36(b *testing.B) {
	for _, m := range []Method{EqualInstalment, EqualPrincipal, InterestOnly} {
		b.Run(string(m), func(b *testing.B) {
			terms := Terms{Principal: cny(b, "250000"), AnnualRate: rate(b, "0.0435"), Months: 36, FirstDue: day(b, "2024-01-31"), Method: m}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewSchedule(terms); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPost(b *testing.B) {
	s := newTestSchedule(b, "250000", "0.0435", 36, "2024-01-31", EqualInstalment)
	loan := newTestLoan(b, s, LoanOpts{Penalty: PenaltyPolicy{AnnualRate: rate(b, "0.0653")}})
	// Three instalments overdue: the posting accrues penalty and walks the waterfall.
	d, amount := day(b, "2024-04-05"), cny(b, "15000")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loan.Post(d, amount); err != nil {
			b.Fatal(err)
		}
	}
}
