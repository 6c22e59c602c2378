package lending

import (
	"encoding/json"
	"fmt"
)

// CreditLimit is a borrower's revolving credit line: the amount granted, the amount
// drawn and not yet repaid, and whether it is frozen. It is a value the caller stores
// (MarshalJSON/UnmarshalJSON); operations return a new value and leave the receiver
// unchanged, so a refused draw changes nothing.
//
// Available is the limit less what is drawn, never below 0: a limit cut beneath what
// is drawn leaves nothing available rather than a negative figure. A frozen limit
// refuses draws but still takes restores, since repayments keep arriving.
type CreditLimit struct {
	limit  Money
	used   Money
	frozen bool
}

// GrantLimit opens a credit line of amount (not negative; 0 is a line not yet sized).
func GrantLimit(amount Money) (CreditLimit, error) {
	if err := requireAmount(amount, Currency{}, false, "grant limit"); err != nil {
		return CreditLimit{}, err
	}
	return CreditLimit{limit: amount, used: Zero(amount.cur)}, nil
}

// Grant sets a new limit (a raise or a cut); what is drawn stays drawn.
func (c CreditLimit) Grant(amount Money) (CreditLimit, error) {
	if err := c.check(amount, false, "grant limit"); err != nil {
		return CreditLimit{}, err
	}
	c.limit = amount
	return c, nil
}

// Draw takes amount from the line: refused with ErrLimitFrozen when frozen and with a
// *LimitError (ErrInsufficientLimit) above Available.
func (c CreditLimit) Draw(amount Money) (CreditLimit, error) {
	if err := c.check(amount, true, "draw"); err != nil {
		return CreditLimit{}, err
	}
	if c.frozen {
		return CreditLimit{}, fmt.Errorf("draw %s %s: %w", amount, amount.cur.code, ErrLimitFrozen)
	}
	if avail := c.Available(); avail.less(amount) {
		return CreditLimit{}, &LimitError{Requested: amount, Available: avail}
	}
	c.used = c.used.plus(amount)
	return c, nil
}

// Restore gives back amount of repaid principal (Posting.Principal), making it
// available again; more than is drawn is refused with ErrRestoreExceedsUsed.
func (c CreditLimit) Restore(amount Money) (CreditLimit, error) {
	if err := c.check(amount, false, "restore"); err != nil {
		return CreditLimit{}, err
	}
	if c.used.less(amount) {
		return CreditLimit{}, fmt.Errorf("restore %s %s: %s drawn: %w", amount, amount.cur.code, c.used, ErrRestoreExceedsUsed)
	}
	c.used = c.used.minus(amount)
	return c, nil
}

// Freeze stops draws (fraud suspicion, delinquency elsewhere).
func (c CreditLimit) Freeze() CreditLimit { c.frozen = true; return c }

// Unfreeze allows draws again.
func (c CreditLimit) Unfreeze() CreditLimit { c.frozen = false; return c }

// Frozen reports a frozen line.
func (c CreditLimit) Frozen() bool { return c.frozen }

// Limit is the amount granted.
func (c CreditLimit) Limit() Money { return c.limit }

// Used is the amount drawn and not restored.
func (c CreditLimit) Used() Money { return c.used }

// Available is what may be drawn now, never negative. A frozen line still reports
// it; Draw refuses.
func (c CreditLimit) Available() Money {
	if c.limit.less(c.used) {
		return Zero(c.limit.cur)
	}
	return c.limit.minus(c.used)
}

// Currency is the line's currency.
func (c CreditLimit) Currency() Currency { return c.limit.cur }

func (c CreditLimit) check(amount Money, positive bool, op string) error {
	if c.limit.cur.IsZero() {
		return fmt.Errorf("%s: limit not granted: %w", op, ErrInvalidCurrency)
	}
	return requireAmount(amount, c.limit.cur, positive, op)
}

type limitWire struct {
	Currency   string      `json:"currency"`
	MinorUnits int         `json:"minor_units"`
	Limit      json.Number `json:"limit"`
	Used       json.Number `json:"used"`
	Frozen     bool        `json:"frozen"`
}

// MarshalJSON writes {"currency","minor_units","limit","used","frozen"} with amounts
// as JSON numbers.
func (c CreditLimit) MarshalJSON() ([]byte, error) {
	if c.limit.cur.IsZero() {
		return nil, fmt.Errorf("marshal credit limit: %w", ErrInvalidCurrency)
	}
	return json.Marshal(limitWire{
		Currency: c.limit.cur.code, MinorUnits: int(c.limit.cur.minor),
		Limit: c.limit.Number(), Used: c.used.Number(), Frozen: c.frozen,
	})
}

// UnmarshalJSON reads what MarshalJSON writes and checks it: amounts at the
// currency's scale and not negative.
func (c *CreditLimit) UnmarshalJSON(b []byte) error {
	var w limitWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode credit limit: %w", err)
	}
	cur, err := NewCurrency(w.Currency, w.MinorUnits)
	if err != nil {
		return fmt.Errorf("decode credit limit: %w", err)
	}
	var out CreditLimit
	if out.limit, err = decodeAmount(w.Limit, cur, "limit"); err != nil {
		return fmt.Errorf("decode credit limit: %w", err)
	}
	if out.used, err = decodeAmount(w.Used, cur, "used"); err != nil {
		return fmt.Errorf("decode credit limit: %w", err)
	}
	out.frozen = w.Frozen
	*c = out
	return nil
}

// decodeAmount parses a stored, non-negative amount.
func decodeAmount(n json.Number, c Currency, field string) (Money, error) {
	m, err := MoneyFromNumber(n, c)
	if err != nil {
		return Money{}, fmt.Errorf("%s: %w", field, err)
	}
	if m.IsNegative() {
		return Money{}, fmt.Errorf("%s %s: %w", field, m, ErrNegativeAmount)
	}
	return m, nil
}
