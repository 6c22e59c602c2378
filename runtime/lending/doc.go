// Package lending holds the arithmetic of lending that flows and forms build on: exact
// money, repayment schedules, repayment posting, days past due and delinquency buckets,
// credit limits and first-payment default. It is pure: no storage, no HTTP, no clock
// (every operation is told its day), no float. Every state (Loan, CreditLimit) is a
// value the caller stores and every operation returns a new value, so a refused
// operation changes nothing and the caller commits the new state with the events it
// causes.
//
// # Money
//
// Money is an exact decimal (github.com/shopspring/decimal) of one Currency, held at
// the currency's minor unit (CNY: 2 decimals). Input with more decimals is refused,
// never rounded. Computed figures are rounded HALF-UP (half away from zero, 四舍五入),
// once, from their exact value; this is the only rounding mode in the package. Amounts
// read and write as json.Number, the form records store.
//
// # Lifecycle
//
//	s, _ := NewSchedule(terms)           // repayment plan; s.Rows() for the sub-table
//	loan, _ := NewLoan(s, LoanOpts{})    // repayment state
//	p, _ := loan.Post(day, amount)       // p.Loan is the new state, p.Allocations where the money went
//	loan.DaysPastDue(day), loan.Bucket(day), loan.FirstPaymentDefault(day, 30)
//	q, _ := loan.PayoffQuote(day); loan.Payoff(day, q.Net)
//
// Credit lines: GrantLimit, then Draw on disbursement and Restore by Posting.Principal.
//
// Conventions (monthly rate = annual/12, the posting waterfall, accrued interest on
// early payoff, DPD and bucket bounds) are documented on NewSchedule, Loan, Quote,
// DaysPastDue and Bucket.
package lending
