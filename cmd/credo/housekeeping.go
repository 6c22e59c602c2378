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
	t := time.NewTicker(purgeEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ts, err := a.tenants.ListTenants(ctx)
		if err != nil {
			log.Warn("purge sessions: list tenants", "error", err.Error())
			continue
		}
		slugs := []string{store.PlatformTenant}
		for _, tn := range ts {
			slugs = append(slugs, tn.Slug)
		}
		for _, slug := range slugs {
			n, err := a.tenants.PurgeSessions(ctx, slug)
			if err != nil {
				log.Warn("purge sessions", "tenant", slug, "error", err.Error())
				continue
			}
			if n > 0 {
				log.Info("purged expired sessions and tokens", "tenant", slug, "count", n)
			}
		}
	}
}
