package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// optimizeEvery is how often the writer refreshes planner statistics, as SQLite advises
// for long-lived connections; with analysis_limit set the refresh takes milliseconds.
const optimizeEvery = time.Hour

// Optimize refreshes the statistics the query planner uses to choose indexes, for the
// tables whose data changed enough since the last refresh. Open, Close and the writer
// (at most hourly) call it; call it after a bulk load.
func (b *Backend) Optimize(ctx context.Context) error {
	err := b.exclusive(ctx, func() error { return b.optimize(ctx) })
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}

// optimize runs on the writer, which the caller holds. Connections load statistics
// with the schema and keep them, so the refresh ends with a schema change (recreating
// the stats_epoch view), which makes every reader reload both on its next statement;
// prepared statements re-prepare by themselves.
func (b *Backend) optimize(ctx context.Context) error {
	now := time.Now()
	b.lastOptimize.Store(now.UnixNano())
	for _, stmt := range []string{
		"PRAGMA optimize=0x10002",
		"DROP VIEW IF EXISTS stats_epoch",
		"CREATE VIEW stats_epoch AS SELECT " + strconv.FormatInt(now.UnixMilli(), 10) + " AS refreshed_at",
	} {
		if _, err := b.wconn.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// maybeOptimize refreshes statistics when the last refresh is older than optimizeEvery;
// the writer calls it between transactions. A failure only delays the refresh.
func (b *Backend) maybeOptimize(ctx context.Context) {
	if time.Since(time.Unix(0, b.lastOptimize.Load())) < optimizeEvery {
		return
	}
	_ = b.optimize(ctx)
}
