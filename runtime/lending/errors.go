package lending

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns wraps one of them, so callers
// decide with errors.Is and people read the wrapping phrase that names the operation
// and the offending value.
var (
	// ErrInvalidAmount: the text is not a decimal number (JSON number syntax), or is
	// out of the supported range (see MaxAmount).
	ErrInvalidAmount = errors.New("invalid amount")
	// ErrPrecision: the amount has more decimals than the currency's minor unit allows
	// (100.005 CNY). Input is never rounded silently.
	ErrPrecision = errors.New("more decimals than the currency allows")
	// ErrNegativeAmount: an amount that must not be negative is negative.
	ErrNegativeAmount = errors.New("negative amount")
	// ErrZeroAmount: an amount that must be positive is zero.
	ErrZeroAmount = errors.New("zero amount")
	// ErrInvalidCurrency: a currency code is not three letters A-Z, its minor unit is
	// outside 0..4, or a Money has no currency at all (the zero Money).
	ErrInvalidCurrency = errors.New("invalid currency")
	// ErrUnknownCurrency: CurrencyByCode does not know the code; use NewCurrency.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrCurrencyMismatch: two amounts of different currencies were combined.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrInvalidRate: the rate is not a number, is negative, above MaxRate or has
	// more than MaxRateDecimals decimals.
	ErrInvalidRate = errors.New("invalid rate")
	// ErrInvalidDate: the date is not a real calendar day in YYYY-MM-DD form.
	ErrInvalidDate = errors.New("invalid date")
	// ErrInvalidTerm: the term is not 1..MaxTermMonths months.
	ErrInvalidTerm = errors.New("invalid term")
	// ErrInvalidMethod: the repayment method is not one of the Method constants.
	ErrInvalidMethod = errors.New("invalid repayment method")
	// ErrInvalidSchedule: a schedule handed to NewLoan is inconsistent (principal
	// parts do not sum to the principal, dates not increasing, mixed currencies).
	ErrInvalidSchedule = errors.New("invalid schedule")
	// ErrInvalidLoan: a stored loan state does not decode into a consistent loan.
	ErrInvalidLoan = errors.New("invalid loan state")
	// ErrBackdated: a posting is dated before the loan's last posting; accrued
	// penalty and credit would otherwise be computed on a history that changed.
	ErrBackdated = errors.New("posting dated before the last posting")
	// ErrLoanClosed: the loan is paid off; it takes no more postings.
	ErrLoanClosed = errors.New("loan is closed")
	// ErrInsufficientPayoff: an early payoff amount (plus credit) does not cover the
	// payoff quote. Returned inside a *PayoffError.
	ErrInsufficientPayoff = errors.New("payment does not cover the payoff amount")
	// ErrInsufficientLimit: a draw exceeds the available credit limit. Returned
	// inside a *LimitError.
	ErrInsufficientLimit = errors.New("draw exceeds available limit")
	// ErrLimitFrozen: the credit limit is frozen and refuses draws.
	ErrLimitFrozen = errors.New("credit limit is frozen")
	// ErrRestoreExceedsUsed: a restore is larger than the amount drawn.
	ErrRestoreExceedsUsed = errors.New("restore exceeds the amount drawn")
)

// LimitError reports a refused draw with the figures a person needs to act on it.
type LimitError struct {
	Requested Money // amount asked for
	Available Money // amount that could have been drawn
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("draw %s %s: only %s available: %v",
		e.Requested, e.Requested.Currency().Code(), e.Available, ErrInsufficientLimit)
}

// Unwrap makes errors.Is(err, ErrInsufficientLimit) true.
func (e *LimitError) Unwrap() error { return ErrInsufficientLimit }

// PayoffError reports an early payoff whose payment falls short of the quote.
type PayoffError struct {
	Paid  Money // amount offered, credit balance included
	Quote Quote // what paying off on that day costs
}

func (e *PayoffError) Error() string {
	return fmt.Sprintf("payoff on %s: %s %s offered, %s needed: %v",
		e.Quote.Day, e.Paid, e.Paid.Currency().Code(), e.Quote.Total, ErrInsufficientPayoff)
}

// Unwrap makes errors.Is(err, ErrInsufficientPayoff) true.
func (e *PayoffError) Unwrap() error { return ErrInsufficientPayoff }
