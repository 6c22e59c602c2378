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
)

type txKey struct{}

// txState marks a ctx as owning the writer connection for an open transaction.
type txState struct {
	b    *Backend
	done atomic.Bool
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

func (b *Backend) release() { <-b.turn }

// run runs fn on the connection ctx calls for: the transaction's, the read pool for a
// read outside a transaction, or the writer, taken for the duration of fn.
func (b *Backend) run(ctx context.Context, write bool, fn func(r *runner) error) error {
	if st := b.txFrom(ctx); st != nil {
		if st.done.Load() {
			return ErrTxDone
		}
		return fn(b.writer)
	}
	if !write && b.reader != nil {
		select {
		case <-b.closed:
			return ErrClosed
		default:
		}
		return fn(b.reader)
	}
	if err := b.acquire(ctx); err != nil {
		return err
	}
	defer b.release()
	err := fn(b.writer)
	b.maybeOptimize(ctx)
	return err
}

// withTx runs fn in an IMMEDIATE transaction on the writer, or inside the transaction
// ctx already carries. fn's error is returned as it is, after the rollback.
func (b *Backend) withTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if st := b.txFrom(ctx); st != nil {
		if st.done.Load() {
			return ErrTxDone
		}
		return fn(ctx)
	}
	if err := b.acquire(ctx); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer b.release()
	if _, err := b.wconn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	st := &txState{b: b}
	defer st.done.Store(true)
	finished := false
	defer func() {
		if !finished { // fn panicked: leave the connection clean for the next caller
			_ = b.rollback(ctx)
		}
	}()
	fnErr := fn(context.WithValue(ctx, txKey{}, st))
	finished = true
	if fnErr == nil && ctx.Err() != nil {
		fnErr = fmt.Errorf("commit transaction: %w", ctx.Err())
	}
	if fnErr != nil {
		if rbErr := b.rollback(ctx); rbErr != nil {
			return errors.Join(fnErr, rbErr)
		}
		return fnErr
	}
	if _, err := b.wconn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		err = fmt.Errorf("commit transaction: %w", err)
		if rbErr := b.rollback(ctx); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	return nil
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
