package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// Checkpoints.
//
// A WAL database keeps its commits in the -wal file until a checkpoint copies them into
// the database file. SQLite's automatic checkpoint does it inside a COMMIT, on the
// connection that committed, once the WAL passes a thousand pages: on the one writer
// that meant one commit in a few hundred copying megabytes and syncing the database
// file while every other write waited, the tail of the commit latency. So the writer
// never checkpoints (wal_autocheckpoint(0), config.go) and a checkpointer goroutine,
// started by Open on a connection of its own, does it beside the writer.
//
// Every few milliseconds it reads, and zeroes, the writer's count of pages written (each
// one a WAL frame) and runs a checkpoint cycle when CheckpointPages pages came since the
// last cycle, or when CheckpointInterval has passed since it and anything was written
// or left behind. A cycle is a few PASSIVE checkpoints (checkpointCycle): a passive
// checkpoint takes no lock that writers or readers wait for, and copies the frames no
// reader still needs. Once a pass has copied the whole WAL with no commit coming during
// it, the pass syncs the database file, and the writer starts the WAL over from its
// beginning at its next transaction if that transaction begins after the pass. Under
// back-to-back transactions it seldom does, so whenever the WAL holds twice
// CheckpointPages after a cycle, one more pass runs with the writer held between two
// transactions; it has only the frames of the last milliseconds to copy, and the file
// stops growing at a small multiple of CheckpointPages pages. The WAL and the pages the
// passes copied are synced just before it, with the writer free (presync), so the syncs
// that pass makes have little left to write.
//
// A reader that holds an old snapshot stops a passive checkpoint at that snapshot, and
// readers that keep overlapping can keep the writer from ever starting the WAL over:
// the file then grows. When it passes WALLimit the checkpointer takes the writer's turn
// between two transactions (writes queue meanwhile) and runs a TRUNCATE checkpoint,
// which waits checkpointBusyTimeout for the readers to move on, copies what remains and
// cuts the file to zero bytes. When readers still hold it, it logs a warning and tries
// again later, each time waiting twice as long, up to truncateBackoffMax. Close stops
// the checkpointer after the writer and runs a last TRUNCATE checkpoint, which syncs
// everything committed into the database file.

// The checkpointer reads the writer's page count every checkpointPollBusy while pages
// come, so that a cycle starts close to CheckpointPages even when the writer adds tens
// of thousands of pages a second, and every checkpointPollIdle when none came.
const (
	checkpointPollBusy = 10 * time.Millisecond
	checkpointPollIdle = 100 * time.Millisecond
)

// catchUpPasses is how many short passes follow the first pass of a cycle that commits
// overtook.
const catchUpPasses = 8

// truncateBackoffMax caps the wait between two TRUNCATE checkpoints that readers
// prevented (or CheckpointInterval, when longer).
const truncateBackoffMax = time.Minute

// The checkpoint modes the checkpointer runs.
const (
	sqlCheckpointPassive  = "PRAGMA wal_checkpoint(PASSIVE)"
	sqlCheckpointTruncate = "PRAGMA wal_checkpoint(TRUNCATE)"
)

// checkpointer is the state of the checkpoint loop. The plain fields after done belong
// to the loop goroutine; the atomic counters and lastPass may be read from anywhere.
type checkpointer struct {
	db      *sql.DB
	conn    *sql.Conn
	dbPath  string
	walPath string
	pages   int
	every   time.Duration
	limit   int64
	log     *slog.Logger
	// done is closed when the loop returns.
	done chan struct{}

	// pending counts the pages written since the last cycle began; behind says the last
	// cycle failed or did not leave the WAL ready to start over.
	pending int
	behind  bool
	last    time.Time
	// nextTruncate is the earliest time for the next TRUNCATE checkpoint, and backoff
	// the wait after a failed one.
	nextTruncate time.Time
	backoff      time.Duration
	// frames is the WAL's length in frames at the last pass; statFailing says the last
	// look at the WAL file's size failed.
	frames      int
	statFailing bool

	// written counts the pages the writer wrote, passives the passive checkpoint
	// passes, held those run with the writer held, restarts the times a pass found that
	// the WAL had started over, truncates the TRUNCATE checkpoints that cut the WAL file
	// back.
	written   atomic.Int64
	passives  atomic.Int64
	held      atomic.Int64
	restarts  atomic.Int64
	truncates atomic.Int64
	lastPass  atomic.Pointer[checkpointResult]
}

// checkpointResult is the row of PRAGMA wal_checkpoint: whether the checkpoint was
// stopped by a lock (for TRUNCATE, readers still in the WAL), the frames in the WAL and
// how many of them are now in the database file.
type checkpointResult struct {
	Busy   bool
	Frames int
	Copied int
}

// openCheckpointer opens the checkpointer's dedicated connection; the writer has already
// switched the file to WAL.
func (b *Backend) openCheckpointer(ctx context.Context) error {
	db, err := sql.Open("sqlite", b.cfg.dsn(roleCheckpointer))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	ck := &checkpointer{
		db: db, dbPath: b.cfg.Path, walPath: b.cfg.Path + "-wal", pages: b.cfg.CheckpointPages, every: b.cfg.CheckpointInterval,
		limit: b.cfg.WALLimit, log: b.cfg.Logger.With("component", "sqlite_checkpointer", "path", b.cfg.Path),
		done: make(chan struct{}), last: time.Now(),
	}
	b.ckpt = ck
	if ck.conn, err = db.Conn(ctx); err != nil {
		return fmt.Errorf("open checkpoint connection: %w", err)
	}
	return nil
}

// checkpointLoop runs checkpoints until the Backend closes.
func (b *Backend) checkpointLoop() {
	ck := b.ckpt
	defer close(ck.done)
	// Checkpoints run to their end: Close waits for them rather than leave one half
	// done, and a passive one is short.
	ctx := context.Background()
	t := time.NewTimer(checkpointPollIdle)
	defer t.Stop()
	for {
		select {
		case <-b.closed:
			return
		case now := <-t.C:
			next := checkpointPollIdle
			if b.checkpointTick(ctx, now) {
				next = checkpointPollBusy
			}
			t.Reset(next)
		}
	}
}

// checkpointTick runs a checkpoint cycle when one is due, then bounds the WAL file. It
// reports whether the writer wrote since the last tick.
func (b *Backend) checkpointTick(ctx context.Context, now time.Time) bool {
	ck := b.ckpt
	written, err := b.pagesWritten()
	if err != nil {
		written = 1 // unknown: count it as a write, so the interval still applies
	}
	ck.pending += written
	ck.written.Add(int64(written))
	if ck.pending >= ck.pages || ((ck.pending > 0 || ck.behind) && now.Sub(ck.last) >= ck.every) {
		b.checkpointCycle(ctx, now)
	}
	b.boundWAL(ctx, now)
	return written > 0
}

// checkpointCycle copies the WAL into the database file, so that the writer can start
// it over. A pass copies the frames committed when it began; when commits come while it
// runs it leaves the database file unsynced and the WAL cannot start over, so short
// passes follow, until one finds that nothing was committed during the pass before it.
// When the WAL has grown to twice CheckpointPages, no more short passes: one runs at once
// with the writer held, between two transactions, and has only the frames of the last few
// milliseconds to copy.
func (b *Backend) checkpointCycle(ctx context.Context, now time.Time) {
	ck := b.ckpt
	ck.pending, ck.last = 0, now
	res, err := b.passive(ctx)
	settled := false
	for i := 0; err == nil && !settled && res.Frames < 2*ck.pages && i < catchUpPasses; i++ {
		prev := res.Frames
		res, err = b.passive(ctx)
		settled = err == nil && !res.Busy && res.Frames == prev && res.Copied == res.Frames
	}
	// A pass that copied everything does not make the WAL start over by itself: the
	// writer starts it over at its next transaction only if the WAL was wholly copied
	// when that transaction began, and under back-to-back transactions the pass ends
	// while one is open. The WAL then keeps growing, to WALLimit and a TRUNCATE (which
	// also empties the writer's page cache). So while the WAL holds twice
	// CheckpointPages, settled or not, one pass runs between two transactions.
	if err == nil && res.Frames >= 2*ck.pages {
		ck.presync()
		if b.acquire(ctx) != nil {
			return // closing: Close checkpoints
		}
		res, err = b.passive(ctx)
		b.release()
		ck.held.Add(1)
		settled = err == nil && !res.Busy && res.Copied == res.Frames
	}
	if err != nil {
		// Logged here, then retried after CheckpointInterval (or the next
		// CheckpointPages pages); the WAL keeps the data meanwhile.
		ck.log.Warn("passive checkpoint failed", "error", err)
	}
	ck.behind = !settled
}

// passive runs one passive checkpoint.
func (b *Backend) passive(ctx context.Context) (checkpointResult, error) {
	ck := b.ckpt
	res, err := ck.run(ctx, sqlCheckpointPassive)
	if err != nil {
		return res, err
	}
	ck.passives.Add(1)
	if res.Frames < ck.frames {
		ck.restarts.Add(1)
	}
	ck.frames = res.Frames
	ck.lastPass.Store(&res)
	return res, nil
}

// boundWAL cuts the WAL file back with a TRUNCATE checkpoint when it has grown past
// WALLimit, taking the writer between two transactions.
func (b *Backend) boundWAL(ctx context.Context, now time.Time) {
	ck := b.ckpt
	size, err := ck.walSize()
	if err != nil {
		if !ck.statFailing { // once, not every poll
			ck.log.Warn("read wal size", "error", err)
		}
		ck.statFailing = true
		return
	}
	ck.statFailing = false
	if size <= ck.limit {
		ck.backoff = 0
		return
	}
	if now.Before(ck.nextTruncate) {
		return
	}
	// Copy what can be copied without holding the writer, so that the TRUNCATE below
	// has little left to copy while writes queue.
	_, _ = b.passive(ctx)
	ck.presync()
	if err := b.acquire(ctx); err != nil {
		return // closing: Close runs the last TRUNCATE itself
	}
	res, err := ck.run(ctx, sqlCheckpointTruncate)
	b.release()
	if err == nil && !res.Busy {
		ck.truncates.Add(1)
		ck.backoff, ck.behind, ck.frames = 0, false, 0
		ck.log.Info("wal truncated", "wal_bytes", size, "wal_limit_bytes", ck.limit)
		return
	}
	ck.backoff = min(max(2*ck.backoff, ck.every), max(truncateBackoffMax, ck.every))
	ck.nextTruncate = now.Add(ck.backoff)
	if err != nil {
		ck.log.Warn("truncate checkpoint failed", "error", err, "wal_bytes", size,
			"wal_limit_bytes", ck.limit, "retry_in", ck.backoff)
		return
	}
	ck.log.Warn("wal over its limit: readers hold old snapshots", "wal_bytes", size,
		"wal_limit_bytes", ck.limit, "retry_in", ck.backoff)
}

// finalCheckpoint runs the last TRUNCATE checkpoint, with the writer held and the loop
// stopped. Readers still in the WAL make it give up without error: closing the last
// connection checkpoints again.
func (b *Backend) finalCheckpoint() error {
	res, err := b.ckpt.run(context.Background(), sqlCheckpointTruncate)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if !res.Busy {
		b.ckpt.truncates.Add(1)
	}
	return nil
}

func (ck *checkpointer) close() error {
	var errs []error
	if ck.conn != nil {
		errs = append(errs, ck.conn.Close())
	}
	return errors.Join(append(errs, ck.db.Close())...)
}

// run runs one checkpoint statement on the checkpointer's connection.
func (ck *checkpointer) run(ctx context.Context, stmt string) (checkpointResult, error) {
	var busy, frames, copied int
	if err := ck.conn.QueryRowContext(ctx, stmt).Scan(&busy, &frames, &copied); err != nil {
		return checkpointResult{}, err
	}
	return checkpointResult{Busy: busy != 0, Frames: frames, Copied: copied}, nil
}

// presync writes to disk, while the writer is free, what a checkpoint that holds it
// would otherwise sync: the WAL's frames (a passive checkpoint syncs the WAL before it
// copies) and the pages the passes before it copied into the database file, which a
// pass that commits overtook left unsynced. The checkpoint then has only the last
// milliseconds' frames and pages to sync while writes wait. An extra sync takes nothing
// from durability, so a failure is only logged: the checkpoint syncs anyway.
func (ck *checkpointer) presync() {
	for _, path := range []string{ck.walPath, ck.dbPath} {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = f.Sync()
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			ck.log.Warn("sync before checkpoint", "file", path, "error", err)
		}
	}
}

// walSize is the size of the -wal file, zero when there is none.
func (ck *checkpointer) walSize() (int64, error) {
	fi, err := os.Stat(ck.walPath)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// pagesWritten reads and zeroes the writer connection's count of pages written, which
// in WAL mode are the frames it appended to the WAL. The driver serializes the call with
// the writer's statements; it takes microseconds.
func (b *Backend) pagesWritten() (int, error) {
	var n int
	err := b.wconn.Raw(func(dc any) error {
		st, ok := dc.(sqlite.DBStatus)
		if !ok {
			return fmt.Errorf("read pages written: driver connection %T has no status", dc)
		}
		var err error
		n, _, err = st.Status(sqlite.DBStatusCacheWrite, true)
		return err
	})
	return n, err
}
