// Package sqlite is the embedded default store.Backend, on the pure-Go SQLite of
// modernc.org/sqlite, so Credo runs with no database server.
//
// # Shape
//
// Each tenant's documents live in a table per kind of collection (the part of its name
// before ":"), "docs:<tenant>/<kind>", keyed by (tenant, coll, id), with their version,
// creation and update times in unix milliseconds and body as SQLite JSONB (binary JSON,
// read without parsing; Get and Find turn it back into text). Tables apart, because
// SQLite opens a cursor on every index of a table for each statement that writes to it:
// in one shared table a write's cost grew with the whole platform's indexes (table.go).
// A table is made by the first write to its kind; until then reads run on no_docs,
// which is always empty.
// Filters, sorts and aggregations compile to SQL over json_extract(data, '$.path');
// values are always bound parameters and field paths are checked by store.ValidField
// before they become part of a path literal. Secondary indexes (EnsureIndex) are
// partial expression indexes of the collection's table limited to the collection,
// recorded in the doc_indexes table; statements carry the tenant and collection as
// literals, so SQLite plans each with its own partial indexes.
//
// # Lifecycle
//
// Open opens (or creates) the database file, switches it to WAL, and applies the
// numbered, append-only migrations recorded in schema_migrations (Migrate is idempotent
// and may be called again). All writes go through one writer connection and
// transactions begin IMMEDIATE, so writers never meet SQLITE_BUSY; reads outside a
// transaction use a pool of read-only connections that see every committed write (WAL).
// A caller that finds the writer free uses it at once; callers that find it busy queue
// for a writer loop, started by Open, which runs the queued transactions together in
// one SQLite transaction, each but the first in a savepoint of its own, and commits
// them at once (group commit, group.go): a commit's WAL writes are paid once per group,
// and each caller still gets its own outcome. InsertMany and Increment keep themselves
// whole inside a caller's transaction by undoing what they wrote when they fail, not
// with a savepoint, whose copy of every page changed would cost a large batch a tenth
// of its time. A ":memory:" path opens a private in-memory
// database on a single connection shared by readers and the writer: everything is
// serialized, so a read made with a ctx from outside a running WithTx waits until that
// transaction ends.
//
// The writer never checkpoints: a checkpointer goroutine, started by Open on a
// connection of its own, copies the WAL into the database file with passive
// checkpoints after CheckpointPages pages or CheckpointInterval. Readers never wait for
// them; writes wait only for the short pass that runs between two transactions when the
// WAL holds twice CheckpointPages, so that the WAL starts over (the files are synced
// just before it, so it has little to sync itself). It cuts the WAL file back with a
// TRUNCATE checkpoint when it outgrows WALLimit (checkpoint.go).
//
// WithTx carries the transaction in the ctx it passes to fn; every collection method of
// any scope of the same Backend called with that ctx runs inside it, reads included.
// A nested WithTx joins the outer transaction. Close waits for what the writer is
// running, fails what is still queued with ErrClosed, stops the writer loop and the
// checkpointer, checkpoints the whole WAL into the database file and releases the
// connections.
//
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL. A COMMIT writes the
// transaction to the WAL file without syncing it, so a committed transaction survives
// a crash of the process, and the database is never corrupt; a power loss or an
// operating system crash may lose the last transactions: those committed since the WAL
// was last synced, by a checkpoint (normally at most CheckpointInterval, or
// CheckpointPages pages, ago) or by Close, which checkpoints everything.
package sqlite
