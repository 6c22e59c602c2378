package sqlite

import (
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"time"
)

// MemoryPath is the Config.Path that opens a private in-memory database.
const MemoryPath = ":memory:"

// Config says where the database lives and how to reach it. The zero value of every
// field but Path selects the documented default.
type Config struct {
	// Path is the database file, created when missing, or MemoryPath for a private
	// in-memory database (tests).
	Path string
	// BusyTimeout is how long a statement waits for a lock held by another process
	// before failing. Default 5s.
	BusyTimeout time.Duration
	// MaxReaders caps the pool of read-only connections. Default: the number of CPUs,
	// at least 2. Ignored for MemoryPath, which has one connection.
	MaxReaders int
	// StatementCache caps how many prepared statements each connection pool keeps.
	// Default 256.
	StatementCache int
	// CheckpointPages is how many pages the writer may add to the WAL before the
	// checkpointer copies them into the database file (checkpoint.go); the WAL file
	// stays within a few times that. Default 1000, SQLite's own automatic checkpoint
	// threshold (4 MiB of 4 KiB pages).
	CheckpointPages int
	// CheckpointInterval is the longest the checkpointer lets writes wait in the WAL
	// when fewer than CheckpointPages pages came after them. A checkpoint syncs the WAL
	// to disk, so it also bounds what a power loss may take (see Durability in the
	// package documentation). Default 2s.
	CheckpointInterval time.Duration
	// WALLimit is the size in bytes past which the WAL file is cut back: when passive
	// checkpoints cannot keep it small (readers holding old snapshots, a very large
	// transaction), the checkpointer takes the writer between two transactions and
	// runs a TRUNCATE checkpoint, and logs when readers still prevent it. Default
	// 64 MiB.
	WALLimit int64
	// CacheSize is the most page cache, in bytes, each read connection keeps (SQLite's
	// cache_size). Dashboards aggregate over whole collections: a cache smaller than the
	// pages they read sends every row lookup back to the file. Pages are cached as they
	// are read, so this is a ceiling, not an allocation. Default 256 MiB.
	CacheSize int64
	// WriterCacheSize is the most page cache, in bytes, the writer connection keeps. A
	// large write transaction (an import batch with its indexes, events and dashboard
	// rollups) modifies tens of megabytes of pages: in a smaller cache they are written
	// to the WAL before the commit and read back. A TRUNCATE checkpoint makes the
	// writer drop its cache, which costs little next to that. Default 64 MiB.
	WriterCacheSize int64
	// MmapSize is how many bytes of the database file readers map into memory
	// (SQLite's mmap_size): mapped pages are read without a system call and shared by
	// every connection through the operating system's cache. Default 1 GiB; a negative
	// value turns mapping off.
	MmapSize int64
	// Logger receives what the checkpointer has to report: a WAL it cannot bound, a
	// checkpoint that fails. Default slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Path == "" {
		return c, fmt.Errorf("sqlite config: path is required (a file, or %q)", MemoryPath)
	}
	if c.BusyTimeout <= 0 {
		c.BusyTimeout = 5 * time.Second
	}
	if c.MaxReaders <= 0 {
		c.MaxReaders = max(2, runtime.NumCPU())
	}
	if c.StatementCache <= 0 {
		c.StatementCache = 256
	}
	if c.CheckpointPages <= 0 {
		c.CheckpointPages = 1000
	}
	if c.CheckpointInterval <= 0 {
		c.CheckpointInterval = 2 * time.Second
	}
	if c.WALLimit <= 0 {
		c.WALLimit = 64 << 20
	}
	if c.CacheSize <= 0 {
		c.CacheSize = 256 << 20
	}
	if c.WriterCacheSize <= 0 {
		c.WriterCacheSize = 64 << 20
	}
	switch {
	case c.MmapSize == 0:
		c.MmapSize = 1 << 30
	case c.MmapSize < 0:
		c.MmapSize = 0
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

func (c Config) memory() bool { return c.Path == MemoryPath }

// connRole is what a connection is opened for; each role gets its own pragmas.
type connRole int

const (
	roleWriter connRole = iota
	roleReader
	roleCheckpointer
)

// checkpointBusyTimeout is how long a TRUNCATE checkpoint waits for readers to leave
// the WAL, at each of its two waits, while writes queue behind it: long enough for the
// short reads of a request to end, short enough that a reader pinning an old snapshot
// holds the writes up only briefly (the attempt is then retried later).
const checkpointBusyTimeout = 20 * time.Millisecond

// dsn builds the driver name of a connection. Every connection uses
// synchronous=NORMAL: a commit writes the WAL without syncing it, checkpoints sync it
// (see Durability in the package documentation), and the database is never corrupt.
// The writer switches the file to WAL and does not checkpoint (the checkpointer does,
// off the commit path); readers are query-only. Transactions are begun IMMEDIATE by the
// writer itself.
func (c Config) dsn(role connRole) string {
	q := url.Values{}
	busy := c.BusyTimeout
	if role == roleCheckpointer {
		busy = min(busy, checkpointBusyTimeout)
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Bounds the rows ANALYZE (and PRAGMA optimize) reads per index, so refreshing
	// planner statistics stays a matter of milliseconds on any table size.
	q.Add("_pragma", "analysis_limit(1000)")
	// Sorts and GROUP BY B-trees of aggregates stay in memory rather than temp files.
	q.Add("_pragma", "temp_store(MEMORY)")
	// Negative: a size in KiB rather than in pages.
	switch {
	case role == roleReader || c.memory():
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -max(c.CacheSize>>10, 1)))
	case role == roleWriter:
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -max(c.WriterCacheSize>>10, 1)))
	}
	if c.memory() {
		return MemoryPath + "?" + q.Encode()
	}
	switch role {
	case roleReader:
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", c.MmapSize))
	case roleWriter:
		q.Add("_pragma", "journal_mode(WAL)")
		// SQLite's automatic checkpoint runs inside a COMMIT, on the connection that
		// committed: one commit in a thousand pages would copy the WAL into the
		// database file and sync it while holding the writer.
		q.Add("_pragma", "wal_autocheckpoint(0)")
	case roleCheckpointer:
		q.Add("_pragma", "wal_autocheckpoint(0)")
	}
	return "file:" + (&url.URL{Path: c.Path}).EscapedPath() + "?" + q.Encode()
}
