package tenants

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of the package; test them with errors.Is.
var (
	// ErrNotFound means no tenant, user, role, session or token has the given key.
	ErrNotFound = errors.New("tenants: not found")
	// ErrExists means a tenant, user (by email) or role with that key already exists.
	ErrExists = errors.New("tenants: already exists")
	// ErrInvalidCredentials is the one answer to every failed login: unknown tenant or
	// user, wrong password, disabled user or suspended tenant, so nothing is revealed.
	ErrInvalidCredentials = errors.New("tenants: invalid credentials")
	// ErrUnauthenticated means a session cookie or API token is unknown, expired or revoked.
	ErrUnauthenticated = errors.New("tenants: unauthenticated")
	// ErrForbidden means the principal may not perform the action.
	ErrForbidden = errors.New("tenants: forbidden")
	// ErrRateLimited means too many failed logins; the error is a *RateLimitError.
	ErrRateLimited = errors.New("tenants: rate limited")
	// ErrStale means the tenant's policy changed since the revision the caller read.
	ErrStale = errors.New("tenants: policy changed since read")
	// ErrTenantSuspended means the tenant is suspended. Session and token lookups return it
	// wrapped together with ErrUnauthenticated.
	ErrTenantSuspended = errors.New("tenants: tenant suspended")
)

// Stable problem codes of a ValidationError.
const (
	CodeRequired         = "required"
	CodeInvalid          = "invalid"
	CodeInvalidEmail     = "invalid_email"
	CodePasswordTooShort = "password_too_short"
	CodePasswordTooLong  = "password_too_long"
	CodeInvalidSlug      = "invalid_slug"
	CodeReserved         = "reserved"
	CodeInvalidKey       = "invalid_key"
	CodeTooLong          = "too_long"
	CodeTooMany          = "too_many"
	CodeDuplicate        = "duplicate"
	CodeUnknownRole      = "unknown_role"
	CodeUnknownUser      = "unknown_user"
	CodeInvalidObject    = "invalid_object"
	CodeInvalidAction    = "invalid_action"
	CodeActionNotAllowed = "action_not_allowed"
	CodeInvalidEffect    = "invalid_effect"
	CodeInvalidStatus    = "invalid_status"
	CodeInvalidScope     = "invalid_scope"
	CodeReadOnly         = "read_only"
)

// Problem is one located fault of an input.
type Problem struct {
	// Path is a JSON pointer into the input ("/email", "/permissions/3/object"); "" is the whole input.
	Path string `json:"path"`
	// Code is a stable machine-readable code (the Code* constants).
	Code string `json:"code"`
	// Message is a human sentence.
	Message string `json:"message"`
}

// ValidationError lists every problem of a rejected input; nothing was changed.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems in one line.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		path := p.Path
		if path == "" {
			path = "/"
		}
		parts = append(parts, fmt.Sprintf("%s: %s (%s)", path, p.Message, p.Code))
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// problems collects Problems while validating an input.
type problems []Problem

func (ps *problems) add(path, code, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// err returns a *ValidationError when any problem was collected, else nil.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: append([]Problem(nil), ps...)}
}

// RateLimitError is returned by Login after too many failures; it wraps ErrRateLimited.
type RateLimitError struct {
	// RetryAfter is how long until the next attempt may be made.
	RetryAfter time.Duration
}

// Error says how long to wait.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("too many failed logins, retry after %s", e.RetryAfter.Round(time.Second))
}

// Unwrap makes errors.Is(err, ErrRateLimited) hold.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// ForbiddenError names the denied (tenant, subject, object, action); it wraps ErrForbidden.
type ForbiddenError struct {
	Tenant, User, Object, Action string
}

// Error names the denied triple.
func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("user %s of %s may not %s %s", e.User, e.Tenant, e.Action, e.Object)
}

// Unwrap makes errors.Is(err, ErrForbidden) hold.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }
