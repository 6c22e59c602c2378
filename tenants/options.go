package tenants

import (
	"log/slog"
	"time"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultSessionTTL        = 12 * time.Hour
	DefaultSessionIdle       = 30 * time.Minute
	DefaultLoginLimit        = 5
	DefaultLoginClientLimit  = 20
	DefaultLoginWindow       = 15 * time.Minute
	DefaultPrincipalCacheTTL = 10 * time.Second
	DefaultTokenTTL          = 90 * 24 * time.Hour
)

// Options configures a Service. The zero value of every field means its documented default.
type Options struct {
	// Clock returns the current time; default time.Now. Tests inject a fake to move time.
	Clock func() time.Time
	// SessionTTL is a session's absolute lifetime from login; default 12h.
	SessionTTL time.Duration
	// SessionIdle ends a session unused for this long; default 30m.
	SessionIdle time.Duration
	// LoginLimit is how many failed logins one (tenant, email) may make per LoginWindow
	// before further attempts are refused with a RateLimitError; default 5.
	LoginLimit int
	// LoginClientLimit is the same limit per client address across all accounts, set
	// higher because many staff share one office address; default 20.
	LoginClientLimit int
	// LoginWindow is the sliding window of the login limits; default 15m.
	LoginWindow time.Duration
	// PrincipalCacheTTL is how long a resolved session or token stays in memory before the
	// store is read again; it bounds how late another node's logout or revocation is seen.
	// Default 10s.
	PrincipalCacheTTL time.Duration
	// TokenTTL is the lifetime of an API token issued without one; default 90 days.
	TokenTTL time.Duration
	// Argon2 are the password hashing parameters; zero fields take the OWASP defaults.
	Argon2 Argon2Params
	// Logger receives the few events worth logging (a failed rehash, a policy reload);
	// default discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = DefaultSessionIdle
	}
	if o.LoginLimit <= 0 {
		o.LoginLimit = DefaultLoginLimit
	}
	if o.LoginClientLimit <= 0 {
		o.LoginClientLimit = DefaultLoginClientLimit
	}
	if o.LoginWindow <= 0 {
		o.LoginWindow = DefaultLoginWindow
	}
	if o.PrincipalCacheTTL <= 0 {
		o.PrincipalCacheTTL = DefaultPrincipalCacheTTL
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	o.Argon2 = o.Argon2.withDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
