package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

var (
	// ErrTxDone means a transaction's ctx was used after its WithTx returned.
	ErrTxDone = errors.New("sqlite: transaction already ended")
	// ErrClosed means the Backend was closed.
	ErrClosed = errors.New("sqlite: backend closed")
	// ErrTxAborted means SQLite rolled back the transaction a WithTx shared with others
	// in its group commit (see group.go), because a statement of another member failed
	// in a way that ends the whole transaction; fn succeeded but nothing was committed.
	ErrTxAborted = errors.New("sqlite: shared transaction rolled back by the engine")
)

type txKey struct{}

// txState marks a ctx as owning the writer connection for an open transaction.
type txState struct {
	b    *Backend
	done atomic.Bool
	// created lists the documents tables the transaction made (ensureTable).
	created []string
	// held are the increments held back to the commit (IncrementOnCommit).
	held []heldIncrements
}

func (b *Backend) txFrom(ctx context.Context) *txState {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.b == b {
		return st
	}
	return nil
}

// acquire takes the writer's turn, or gives up when ctx ends.
func (b *Backend) acquire(ctx context.Context) error {
	select {
	case <-b.closed:
		return ErrClosed
	default:
	}
	select {
	case b.turn <- struct{}{}:
		return nil
	case <-b.closed:
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("wait for the writer: %w", ctx.Err())
	}
}

// tryAcquire takes the writer's turn only if it is free at once.
func (b *Backend) tryAcquire() bool {
	select {
	case <-b.closed:
		return false
	default:
	}
	select {
	case b.turn <- struct{}{}:
		return true
	default:
		return false
	}
}

func (b *Backend) release() { <-b.turn }

// run runs fn on the connection ctx calls for: the transaction's, the read pool for a
// read outside a transaction, or the writer for a write outside one: at once when the
// writer is free, otherwise in a transaction that shares a commit with the others
// queued meanwhile (see group.go). fn gets the ctx its statements must use.
func (b *Backend) run(ctx context.Context, write bool, fn func(ctx context.Context, r *runner) error) error {
	if st := b.txFrom(ctx); st != nil {
		if st.done.Load() {
			return ErrTxDone
		}
		if write {
			// A write interrupted by its ctx makes SQLite roll back the whole
			// transaction, and with it the work of the callers grouped before this one:
			// a write starts only while ctx lives, then runs to its end.
			if err := ctx.Err(); err != nil {
				return err
			}
			ctx = context.WithoutCancel(ctx)
		}
		return fn(ctx, b.writer)
	}
	switch {
	case write && b.tryAcquire():
		defer b.release()
		err := fn(ctx, b.writer)
		b.maybeOptimize(ctx)
		return err
	case write:
		return b.withTx(ctx, func(ctx context.Context) error { return b.run(ctx, true, fn) })
	case b.reader != nil:
		select {
		case <-b.closed:
			return ErrClosed
		default:
		}
		return fn(ctx, b.reader)
	default: // a memory database reads on the writer
		return b.exclusive(ctx, func() error { return fn(ctx, b.writer) })
	}
}

// exclusive runs fn on the writer outside any transaction (VACUUM, planner statistics),
// holding the writer's turn for its duration. With a transaction's ctx fn runs inside
// that transaction, and SQLite refuses what cannot run there.
func (b *Backend) exclusive(ctx context.Context, fn func() error) error {
	if st := b.txFrom(ctx); st != nil {
		if st.done.Load() {
			return ErrTxDone
		}
		return fn()
	}
	if err := b.acquire(ctx); err != nil {
		return err
	}
	defer b.release()
	err := fn()
	b.maybeOptimize(ctx)
	return err
}

// withTx runs fn in an IMMEDIATE transaction on the writer, or inside the transaction
// ctx already carries. When the writer is free the transaction is fn's alone;
// otherwise the call queues for the writer loop, which runs it in a savepoint of a
// transaction it may share with the other callers queued (see group.go). Either way fn
// runs in this goroutine and its error is returned as it is, after the rollback.
func (b *Backend) withTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if st := b.txFrom(ctx); st != nil {
		if st.done.Load() {
			return ErrTxDone
		}
		return fn(ctx)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if b.tryAcquire() {
		defer b.release()
		return b.txAlone(ctx, fn)
	}
	c, err := b.enqueue(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	return c.run(b, fn)
}

// txAlone runs fn in a transaction of its own on the writer, which the caller holds.
func (b *Backend) txAlone(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, err := b.writer.exec(context.WithoutCancel(ctx), sqlBegin); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	st := &txState{b: b}
	defer st.done.Store(true)
	returned := false
	defer func() {
		if !returned { // fn panicked: leave the connection clean for the next caller
			_ = b.rollback(ctx)
			b.settleTables(false)
		}
	}()
	txCtx := context.WithValue(ctx, txKey{}, st)
	err := fn(txCtx)
	returned = true
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("commit transaction: %w", ctx.Err())
	}
	if err == nil && len(st.held) > 0 {
		err = b.applyHeld(context.WithoutCancel(txCtx), st.held)
	}
	if err != nil {
		rbErr := b.rollback(ctx)
		b.settleTables(false)
		if rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	err = b.commit(ctx)
	b.settleTables(err == nil)
	b.maybeOptimize(ctx)
	return err
}

// commit commits the writer's transaction, or rolls it back when COMMIT fails (a
// deferred constraint, an I/O error), so the writer is left outside any transaction.
func (b *Backend) commit(ctx context.Context) error {
	_, err := b.writer.exec(context.WithoutCancel(ctx), sqlCommit)
	if err == nil {
		return nil
	}
	err = fmt.Errorf("commit transaction: %w", err)
	if rbErr := b.rollback(ctx); rbErr != nil {
		return errors.Join(err, rbErr)
	}
	return err
}

// rollback ends the transaction even when ctx is cancelled; SQLite may already have
// rolled back after some errors, which is what was wanted.
func (b *Backend) rollback(ctx context.Context) error {
	_, err := b.wconn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		return fmt.Errorf("rollback transaction: %w", err)
	}
	return nil
}
