package sqlite

import (
	"fmt"
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
	return c, nil
}

func (c Config) memory() bool { return c.Path == MemoryPath }

// dsn builds the driver name of a connection: the writer gets WAL and
// synchronous=NORMAL (durable at checkpoints, never corrupt); readers are query-only.
// Transactions are begun IMMEDIATE by the writer itself.
func (c Config) dsn(reader bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", c.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Bounds the rows ANALYZE (and PRAGMA optimize) reads per index, so refreshing
	// planner statistics stays a matter of milliseconds on any table size.
	q.Add("_pragma", "analysis_limit(1000)")
	if c.memory() {
		return MemoryPath + "?" + q.Encode()
	}
	if reader {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	return "file:" + (&url.URL{Path: c.Path}).EscapedPath() + "?" + q.Encode()
}
