package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/events"

	"github.com/credolabs/credo/store"
)

// purgeEvery is how often expired sessions and API tokens are deleted.
const purgeEvery = time.Hour

// purgeSessions deletes expired sessions and tokens of every tenant on a ticker until ctx
// ends, so the session collections do not grow with every login ever made.
func purgeSessions(ctx context.Context, a *app, log *slog.Logger) {
	everyTenant(ctx, a, log, purgeEvery, true, "purged expired sessions and tokens", a.tenants.PurgeSessions)
}

// purgeFiles deletes, for every tenant, the uploaded files no record has held for a
// day, on a ticker until ctx ends.
func purgeFiles(ctx context.Context, a *app, log *slog.Logger) {
	everyTenant(ctx, a, log, purgeEvery, false, "purged unattached files", a.files.PurgeOrphans)
}

// retryEvery is how often pending decisions are looked for.
const retryEvery = 30 * time.Second

// retryDecisions makes the decisions a failed plugin call left pending, for every tenant,
// on a ticker until ctx ends.
func retryDecisions(ctx context.Context, a *app, log *slog.Logger) {
	everyTenant(ctx, a, log, retryEvery, false, "pending decisions made", func(ctx context.Context, slug string) (int, error) {
		return a.forms.RetryDecisions(ctx, slug, 100)
	})
}

// scheduleEvery is how often scheduled rules are looked at; crons have minute precision.
const scheduleEvery = 30 * time.Second

// runSchedules runs the scheduled rules that came due, for every tenant, until ctx ends.
func runSchedules(ctx context.Context, a *app, log *slog.Logger) {
	everyTenant(ctx, a, log, scheduleEvery, false, "scheduled rules fired", func(ctx context.Context, slug string) (int, error) {
		return a.automation.RunSchedules(ctx, slug, time.Now())
	})
}

// everyTenant runs job for each tenant (and the platform scope, if asked) on a ticker
// until ctx ends, logging what it did under done.
func everyTenant(ctx context.Context, a *app, log *slog.Logger, every time.Duration, platform bool, done string,
	job func(ctx context.Context, slug string) (int, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ts, err := a.tenants.ListTenants(ctx)
		if err != nil {
			log.Warn(done+": list tenants", "error", err.Error())
			continue
		}
		var slugs []string
		if platform {
			slugs = append(slugs, store.PlatformTenant)
		}
		for _, tn := range ts {
			slugs = append(slugs, tn.Slug)
		}
		for _, slug := range slugs {
			n, err := job(ctx, slug)
			if err != nil {
				log.Warn(done, "tenant", slug, "error", err.Error())
				continue
			}
			if n > 0 {
				log.Info(done, "tenant", slug, "count", n)
			}
		}
	}
}

// workers starts the background work a node shares with the others on its store: the
// outbox dispatcher (rules and flows react to record events), the durable timer
// scheduler and the webhook sender. They stop when ctx ends.
func workers(ctx context.Context, a *app, log *slog.Logger) error {
	tenants := tenantSlugs(a)
	d, err := events.NewDispatcher(events.DispatcherConfig{Backend: a.backend, Tenants: tenants, Registry: a.events,
		Logger: log.With("component", "dispatcher")})
	if err != nil {
		return err
	}
	s, err := events.NewScheduler(events.SchedulerConfig{Backend: a.backend, Tenants: tenants, Registry: a.events,
		Logger: log.With("component", "scheduler")})
	if err != nil {
		return err
	}
	run := func(name string, fn func(context.Context) error) {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			log.Error(name+" stopped", "error", err.Error())
		}
	}
	a.dispatcher.Store(d)
	go run("dispatcher", d.Run)
	go run("scheduler", s.Run)
	go run("webhooks", func(ctx context.Context) error { return a.hooks.Run(ctx, tenants) })
	return nil
}

// tenantsTTL is how long the tenant list the workers poll is reused.
const tenantsTTL = 5 * time.Second

// tenantSlugs lists the active tenants for the workers, re-read at most every tenantsTTL.
func tenantSlugs(a *app) events.TenantsFunc {
	var (
		mu      sync.Mutex
		slugs   []string
		fetched time.Time
	)
	return func(ctx context.Context) ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		if slugs != nil && time.Since(fetched) < tenantsTTL {
			return slugs, nil
		}
		ts, err := a.tenants.ListTenants(ctx)
		if err != nil {
			return nil, err
		}
		slugs = slugs[:0:0]
		for _, t := range ts {
			slugs = append(slugs, t.Slug)
		}
		fetched = time.Now()
		return slugs, nil
	}
}
