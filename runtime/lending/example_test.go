package lending_test

import (
	"fmt"

	"github.com/credolabs/credo/runtime/lending"
)

func Example() {
	principal, _ := lending.ParseMoney("100000", lending.CNY)
	annual, _ := lending.ParsePercent("12")
	first, _ := lending.ParseDate("2024-01-31")
	s, err := lending.NewSchedule(lending.Terms{
		Principal: principal, AnnualRate: annual, Months: 12, FirstDue: first,
		Method: lending.EqualInstalment,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range s.Instalments[:3] {
		fmt.Println(in.Period, in.DueDate, in.Payment, in.Principal, in.Interest, in.Remaining)
	}
	fmt.Println("interest", s.TotalInterest(), "quoted", s.QuotedInterest())

	loan, _ := lending.NewLoan(s, lending.LoanOpts{})
	paid, _ := lending.ParseMoney("5000", lending.CNY)
	p, _ := loan.Post(first.AddDays(3), paid)
	for _, a := range p.Allocations {
		fmt.Println(a.Period, a.Component, a.Amount)
	}
	later, _ := lending.ParseDate("2024-03-15")
	fmt.Println(p.Loan.DaysPastDue(later), p.Loan.Bucket(later))
	// Output:
	// 1 2024-01-31 8884.88 7884.88 1000.00 92115.12
	// 2 2024-02-29 8884.88 7963.73 921.15 84151.39
	// 3 2024-03-31 8884.88 8043.37 841.51 76108.02
	// interest 6618.53 quoted 6618.55
	// 1 interest 1000.00
	// 1 principal 4000.00
	// 44 M2
}
