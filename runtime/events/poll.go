package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/credolabs/credo/store"
)

// TenantsFunc lists the tenants to poll; it is asked again on every pass, so tenants
// created later are picked up. runtime cannot import the tenant service: the caller
// wires it in.
type TenantsFunc func(ctx context.Context) ([]string, error)

// Defaults of the configuration fields.
const (
	DefaultMaxAttempts    = 10
	DefaultBatchSize      = 100
	DefaultWorkers        = 4
	DefaultPollInterval   = 500 * time.Millisecond
	DefaultLease          = time.Minute
	DefaultHandlerTimeout = 30 * time.Second
)

// DefaultBackoff waits 1 s after the first failure, doubling up to 5 min.
func DefaultBackoff(failures int) time.Duration {
	return min(time.Second<<min(max(failures-1, 0), 16), 5*time.Minute)
}

// maxErrorLength bounds the last error kept on a retried or parked item.
const maxErrorLength = 1000

func errorText(err error) string {
	s := err.Error()
	if len(s) > maxErrorLength {
		s = s[:maxErrorLength]
	}
	return s
}

func defaultNode() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "node"
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), store.NewID()[24:])
}

// positiveOr sets *v to def unless it is positive: a zero option means its default.
func positiveOr[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// forTenants runs fn for every tenant, at most workers at once, and joins the errors.
// One tenant's failure (or slowness, up to workers-1 of them) holds no other back.
func forTenants(ctx context.Context, tenants []string, workers int, fn func(ctx context.Context, tenant string) error) error {
	sem := make(chan struct{}, workers)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, t := range tenants {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return errors.Join(append(errs, ctx.Err())...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, t); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("tenant %s: %w", t, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// loop calls pass until ctx ends: at once again while passes leave work due, otherwise
// after interval or when woken. With gather, a pass that was woken, or that found work
// but left none due, waits that long first, so the work arriving meanwhile joins it:
// under a steady trickle, events one at a time would cost their own commits each.
func loop(ctx context.Context, interval, gather time.Duration, wake <-chan struct{}, log *slog.Logger, pass func(ctx context.Context) (busy, more bool, err error)) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-wake:
			if gather > 0 {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(gather):
				}
			}
		}
		busy, more, err := pass(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("poll pass failed", "error", err)
		}
		next := interval
		switch {
		case err != nil:
		case more:
			next = 0
		case busy:
			next = gather
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(next)
	}
}

// indexes remembers which tenants' indexes this process has ensured.
type indexes struct{ done sync.Map }

func (ix *indexes) ensure(ctx context.Context, sc store.Scope, coll string, idx store.Index) error {
	key := sc.Tenant() + "\x00" + coll + "\x00" + idx.Name
	if _, ok := ix.done.Load(key); ok {
		return nil
	}
	if err := sc.Collection(coll).EnsureIndex(ctx, idx); err != nil {
		return fmt.Errorf("ensure index %s: %w", idx.Name, err)
	}
	ix.done.Store(key, true)
	return nil
}

// recovered turns a handler's panic into an ordinary failure, so one bad handler
// neither kills the worker nor leaves its item leased until expiry.
func recovered(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return fn()
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
