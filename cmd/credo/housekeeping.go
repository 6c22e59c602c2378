package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/credolabs/credo/store"
)

// purgeEvery is how often expired sessions and API tokens are deleted.
const purgeEvery = time.Hour

// purgeSessions deletes expired sessions and tokens of every tenant on a ticker until ctx
// ends, so the session collections do not grow with every login ever made.
func purgeSessions(ctx context.Context, a *app, log *slog.Logger) {
	everyTenant(ctx, a, log, purgeEvery, true, "purged expired sessions and tokens", a.tenants.PurgeSessions)
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
