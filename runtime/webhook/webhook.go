// Package webhook sends signed webhooks. A delivery is queued in the store with the
// transaction that decided it (Enqueue) and sent afterwards by a worker (Run), so no HTTP
// call holds a store transaction and a crash loses nothing: a queued delivery is sent at
// least once, retried with backoff, and receivers deduplicate by its id.
//
// Each request is a POST of the JSON body with the headers
//
//	Credo-Delivery: <id>
//	Credo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
//
// keyed with the tenant's signing secret (SigningSecret), so a receiver can check that
// the call came from Credo and is fresh.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/credolabs/credo/store"
)

// Collections of a tenant's webhook state.
const (
	QueueCollection = "webhook_queue"
	KeysCollection  = "webhook_keys"
	signingKeyID    = "signing"
)

// Delivery states.
const (
	Pending   = "pending"
	Delivered = "delivered"
	Failed    = "failed"
)

// Options configure the service; the zero value is the default.
type Options struct {
	// Timeout bounds one request (default 10 s).
	Timeout time.Duration
	// MaxAttempts is how often a delivery is tried before it is marked failed (default 8).
	MaxAttempts int
	// AllowPrivate lets deliveries reach loopback and private addresses (tests only):
	// otherwise a rule's URL cannot be used to probe the server's own network.
	AllowPrivate bool
	// Poll is how often the worker looks for due deliveries (default 2 s).
	Poll time.Duration
	// TLSConfig overrides the client's TLS settings (a private CA).
	TLSConfig *tls.Config
	Now       func() time.Time
	Logger    *slog.Logger
}

// Service queues and sends webhooks.
type Service struct {
	b      store.Backend
	o      Options
	client *http.Client
}

// New returns the webhook service over b.
func New(b store.Backend, o Options) *Service {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: o.Timeout}
	if !o.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: o.Timeout, MaxIdleConnsPerHost: 4,
		TLSClientConfig: o.TLSConfig}
	client := &http.Client{Timeout: o.Timeout, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Service{b: b, o: o, client: client}
}

// ErrPrivateAddress means a webhook URL resolved to an address of the server's own network.
var ErrPrivateAddress = errors.New("webhook: refusing a loopback, private or link-local address")

// refusePrivate checks the address actually dialled, after DNS resolution.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() {
		return fmt.Errorf("%s: %w", host, ErrPrivateAddress)
	}
	return nil
}

// Enqueue queues a delivery of body to url under id; queueing the same id again is a
// no-op. Call it with the ctx of the transaction that decided to send it.
func (s *Service) Enqueue(ctx context.Context, tenant, url, id string, body map[string]any) error {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("webhook body: %w", err)
	}
	err = sc.Collection(QueueCollection).Insert(ctx, &store.Doc{ID: id, Data: map[string]any{
		"url": url, "body": string(raw), "status": Pending, "attempts": 0, "next_at": s.o.Now().UnixMilli(),
	}})
	if errors.Is(err, store.ErrDuplicate) {
		return nil
	}
	return err
}

// SigningSecret returns the tenant's signing secret, creating it on first use.
func (s *Service) SigningSecret(ctx context.Context, tenant string) (string, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return "", err
	}
	coll := sc.Collection(KeysCollection)
	d, err := coll.Get(ctx, signingKeyID)
	if err == nil {
		secret, _ := d.Data["secret"].(string)
		return secret, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := "whsec_" + hex.EncodeToString(b)
	err = coll.Insert(ctx, &store.Doc{ID: signingKeyID, Data: map[string]any{"secret": secret}})
	if errors.Is(err, store.ErrDuplicate) {
		return s.SigningSecret(ctx, tenant) // another node created it first
	}
	return secret, err
}

// Sign returns the Credo-Signature header value of body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Run sends due deliveries of the tenants tenants names until ctx ends.
func (s *Service) Run(ctx context.Context, tenants func(context.Context) ([]string, error)) error {
	t := time.NewTicker(s.o.Poll)
	defer t.Stop()
	for {
		if list, err := tenants(ctx); err == nil {
			for _, tenant := range list {
				if _, err := s.SendDue(ctx, tenant); err != nil && ctx.Err() == nil {
					s.o.Logger.Warn("webhook pass failed", "tenant", tenant, "error", err)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// batch is how many deliveries one pass over a tenant sends.
const batch = 50

// SendDue sends the tenant's due deliveries once and returns how many it tried.
func (s *Service) SendDue(ctx context.Context, tenant string) (int, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return 0, err
	}
	now := s.o.Now()
	coll := sc.Collection(QueueCollection)
	page, err := coll.Find(ctx, store.Query{
		Filter: store.And(store.Eq("status", Pending), store.Lte("next_at", now.UnixMilli())),
		Sort:   []store.Sort{{Field: "next_at"}}, Limit: batch})
	if err != nil {
		return 0, err
	}
	secret := ""
	if len(page.Docs) > 0 {
		if secret, err = s.SigningSecret(ctx, tenant); err != nil {
			return 0, err
		}
	}
	for _, d := range page.Docs {
		// Claim: push next_at past the request, version-checked, so of several nodes one sends.
		d.Data["next_at"] = now.Add(2 * s.o.Timeout).UnixMilli()
		if err := coll.Update(ctx, d); err != nil {
			if errors.Is(err, store.ErrConflict) {
				continue
			}
			return 0, err
		}
		sendErr := s.send(ctx, d, secret)
		attempts := intOf(d.Data["attempts"]) + 1
		d.Data["attempts"] = attempts
		switch {
		case sendErr == nil:
			d.Data["status"] = Delivered
			delete(d.Data, "error")
		case attempts >= s.o.MaxAttempts:
			d.Data["status"], d.Data["error"] = Failed, sendErr.Error()
		default:
			d.Data["error"] = sendErr.Error()
			d.Data["next_at"] = s.o.Now().Add(backoff(attempts)).UnixMilli()
		}
		if err := coll.Update(ctx, d); err != nil && !errors.Is(err, store.ErrConflict) {
			return 0, err
		}
	}
	return len(page.Docs), nil
}

func (s *Service) send(ctx context.Context, d *store.Doc, secret string) error {
	url, _ := d.Data["url"].(string)
	body := []byte(fmt.Sprint(d.Data["body"]))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Credo-Webhook/1")
	req.Header.Set("Credo-Delivery", d.ID)
	req.Header.Set("Credo-Signature", Sign(secret, s.o.Now(), body))
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// backoff grows from 30 s and doubles, capped at six hours.
func backoff(attempts int) time.Duration {
	return min(30*time.Second<<min(attempts-1, 10), 6*time.Hour)
}

func intOf(v any) int {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	case float64:
		return int(n)
	case int64:
		return int(n)
	case int:
		return n
	}
	return 0
}
