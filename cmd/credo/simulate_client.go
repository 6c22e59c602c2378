package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// simAPI is a running Credo as the simulation sees it: one keep-alive transport shared
// by every staff member's session.
type simAPI struct {
	base   string // http://host:port
	tenant string
	tr     *http.Transport
	// slots bounds the requests in flight to the simulation's concurrency, so waiting
	// goroutines never queue on the transport past their timeout.
	slots chan struct{}
}

func newSimAPI(base, tenant string, concurrency int) *simAPI {
	return &simAPI{
		base:   strings.TrimRight(base, "/"),
		tenant: tenant,
		tr: &http.Transport{MaxIdleConns: concurrency * 2, MaxIdleConnsPerHost: concurrency * 2,
			MaxConnsPerHost: concurrency * 2, IdleConnTimeout: time.Minute},
		slots: make(chan struct{}, concurrency),
	}
}

// simUser is one staff member logged in like the browser app: a session cookie, and
// the CSRF token echoed on every unsafe request.
type simUser struct {
	api   *simAPI
	http  *http.Client
	csrf  string
	ID    string
	Email string
	Roles []string
}

// apiError is a non-2xx answer: the status and the error body's stable code.
type apiError struct {
	Method, Path string
	Status       int
	Code         string
	Message      string
	Fields       []string // "path: code" of each field at fault
}

func (e *apiError) Error() string {
	msg := fmt.Sprintf("%s %s: HTTP %d %s: %s", e.Method, e.Path, e.Status, e.Code, e.Message)
	if len(e.Fields) > 0 {
		msg += " " + strings.Join(e.Fields, ", ")
	}
	return msg
}

// isStatus reports whether err is an API answer with status.
func isStatus(err error, status int) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == status
}

// login opens a session for email in the API's tenant.
func (a *simAPI) login(ctx context.Context, email, password string) (*simUser, error) {
	jar, _ := cookiejar.New(nil)
	u := &simUser{api: a, http: &http.Client{Jar: jar, Transport: a.tr, Timeout: time.Minute}, Email: email}
	var out struct {
		CSRF string `json:"csrf_token"`
		User struct {
			ID    string   `json:"id"`
			Roles []string `json:"roles"`
		} `json:"user"`
	}
	body := map[string]string{"tenant": a.tenant, "email": email, "password": password}
	if err := u.do(ctx, http.MethodPost, "/api/v1/auth/login", body, &out); err != nil {
		return nil, fmt.Errorf("log in as %s: %w", email, err)
	}
	u.csrf, u.ID, u.Roles = out.CSRF, out.User.ID, out.User.Roles
	return u, nil
}

// tenantPath is a path under the tenant's routes.
func (u *simUser) tenantPath(format string, args ...any) string {
	return "/api/v1/t/" + url.PathEscape(u.api.tenant) + fmt.Sprintf(format, args...)
}

// do sends one JSON request and decodes a 2xx answer into out (when not nil).
// Answers 502-504 are retried a few times with backoff, and so is a dropped connection
// on a GET; an unsafe request that may have reached the server is not sent twice.
func (u *simUser) do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	var err error
	for attempt := range 4 {
		if attempt > 0 {
			if !sleepCtx(ctx, time.Duration(attempt*attempt)*200*time.Millisecond) {
				return ctx.Err()
			}
		}
		err = u.once(ctx, method, path, body, out)
		var ae *apiError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ae) && ae.Status != http.StatusBadGateway && ae.Status != http.StatusServiceUnavailable &&
			ae.Status != http.StatusGatewayTimeout:
			return err
		case ctx.Err() != nil, ae == nil && method != http.MethodGet:
			return err
		}
	}
	return err
}

func (u *simUser) once(ctx context.Context, method, path string, body []byte, out any) error {
	select {
	case u.api.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-u.api.slots }()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.api.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && u.csrf != "" {
		req.Header.Set("X-CSRF-Token", u.csrf)
	}
	res, err := u.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode/100 != 2 {
		var eb struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Fields  []struct {
					Path string `json:"path"`
					Code string `json:"code"`
				} `json:"fields"`
			} `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&eb)
		ae := &apiError{Method: method, Path: path, Status: res.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message}
		for _, f := range eb.Error.Fields {
			ae.Fields = append(ae.Fields, f.Path+": "+f.Code)
		}
		return ae
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body)
		return nil
	}
	dec := json.NewDecoder(res.Body)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// sleepCtx waits d; false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	return sleepUntil(ctx, time.Now().Add(d))
}
