package server

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

const (
	localRequestID = "credo.request_id"
	localPrincipal = "credo.principal"
	localLogger    = "credo.logger"

	// SessionCookie is the name of the browser session cookie.
	SessionCookie = "credo_session"
	// CSRFHeader carries the session's CSRF token on unsafe requests.
	CSRFHeader = "X-CSRF-Token"
)

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID accepts a well-formed incoming X-Request-ID (so a gateway's id follows the
// request) and otherwise makes one; either way it is echoed back.
func withRequestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !requestIDRe.MatchString(id) {
		id = store.NewID()
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// withRecover turns a panic into a 500 with an error id instead of a dropped connection.
func withRecover(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				loggerFrom(c, log).Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return c.Next()
	}
}

// withDeadline bounds every request's work through its context, as Fiber's timeout
// middleware does, so a slow store call cannot hold a connection forever.
func withDeadline(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// withAccessLog logs one line per request and feeds the metrics.
func (s *Server) withAccessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	elapsed := time.Since(start)
	s.metrics.observe(c.Method(), route, status, elapsed)
	loggerFrom(c, s.log).Info("request",
		"method", c.Method(), "route", route, "status", status,
		"duration_ms", float64(elapsed.Microseconds())/1000, "client", c.IP())
	return nil
}

func loggerFrom(c *fiber.Ctx, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Locals(localLogger).(*slog.Logger); ok {
		return l
	}
	l := fallback.With("request_id", requestID(c))
	c.Locals(localLogger, l)
	return l
}

// authenticate resolves the caller from a Bearer token or the session cookie. Cookie
// sessions must echo their CSRF token on every unsafe method.
func (s *Server) authenticate(c *fiber.Ctx) error {
	var p *tenants.Principal
	var err error
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return errUnauthenticated
		}
		p, err = s.deps.Tenants.TokenPrincipal(c.UserContext(), secret)
	} else if cookie := c.Cookies(SessionCookie); cookie != "" {
		p, err = s.deps.Tenants.SessionPrincipal(c.UserContext(), cookie)
		if err == nil && !safeMethod(c.Method()) {
			got := c.Get(CSRFHeader)
			if subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRFToken)) != 1 {
				return errCSRF
			}
		}
	} else {
		return errUnauthenticated
	}
	if err != nil {
		return err
	}
	c.Locals(localPrincipal, p)
	c.Locals(localLogger, loggerFrom(c, s.log).With("tenant", p.Tenant, "user", p.UserID))
	return c.Next()
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

func principal(c *fiber.Ctx) *tenants.Principal {
	p, _ := c.Locals(localPrincipal).(*tenants.Principal)
	return p
}

// tenantGuard lets a request into /t/:tenant only for members of that tenant. Everyone
// else gets 404, so a tenant's existence is not revealed to outsiders.
func tenantGuard(c *fiber.Ctx) error {
	p := principal(c)
	if p == nil || p.Platform || p.Tenant != c.Params("tenant") {
		return errNotFound
	}
	return c.Next()
}

// platformOnly admits the platform administrator.
func platformOnly(c *fiber.Ctx) error {
	if p := principal(c); p == nil || !p.Platform {
		return errForbidden
	}
	return c.Next()
}
