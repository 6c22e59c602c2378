package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// Group commit.
//
// A commit costs the writing of its WAL frames, a few hundred microseconds of system
// calls, and on the one writer connection concurrent transactions would pay it one after
// the other. So top-level transactions queue for the writer loop, which runs those
// waiting at a time in one SQLite transaction and commits them together: BEGIN
// IMMEDIATE once, each caller's fn in a savepoint of its own (but the first, which
// needs none), one COMMIT. Pages that several of them touch are written once.
//
// Errors stay with their caller. An fn that fails or panics is rolled back to its
// savepoint (the first, the whole transaction) and its caller alone gets its error (or
// its panic); the others are released into the shared transaction, and their callers
// wait for the COMMIT and all get its outcome. If SQLite itself rolls the shared
// transaction back (some engine errors do), the callers released before it get
// ErrTxAborted and the loop goes on with a fresh transaction for the rest.
//
// Increments a member holds back to the commit (IncrementOnCommit: the rollups'
// counters) are written after the last member, merged, so a counter that all the
// members move is written once; a failure there fails every member kept.
//
// Nothing waits for a group to fill. A caller that finds the writer free takes it and
// runs alone, as a plain transaction (tx.go), with no hand-off. Callers that find it
// busy queue, and the loop, which takes the writer as soon as it is free, runs them all
// as one group: groups form by themselves while a commit is under way. fn runs in its
// caller's goroutine, the loop only hands out turns, so a panic unwinds where it would
// without the group. A caller whose ctx ends while it waits for its turn leaves the
// queue and is not run; one whose writes were released waits for the COMMIT whatever
// its ctx does, since they can no longer be taken back.

// maxGroup caps how many transactions share a commit: a caller whose writes are kept
// waits for the rest of its group, so the cap bounds that wait.
const maxGroup = 64

// Every member of a group runs in the same savepoint name: they run one at a time and
// each releases or rolls back its savepoint before the next begins.
const (
	sqlBegin      = "BEGIN IMMEDIATE"
	sqlCommit     = "COMMIT"
	sqlSavepoint  = "SAVEPOINT member"
	sqlRelease    = "RELEASE member"
	sqlRollbackTo = "ROLLBACK TO member"
)

// A queued call is taken by the loop or abandoned by its caller, whichever comes first.
const (
	callQueued int32 = iota
	callTaken
	callAbandoned
)

// txEnd is how a member left the group's transaction.
type txEnd int

const (
	// endKept: its savepoint was released; its writes commit with the group.
	endKept txEnd = iota
	// endDropped: rolled back to its savepoint; the group goes on without its writes.
	endDropped
	// endBroken: the shared transaction is gone or in doubt, and with it the writes of
	// the members kept before.
	endBroken
	// endRolledBack: a member that ran without a savepoint failed and the transaction,
	// which held nothing else, was rolled back.
	endRolledBack
)

// txCall is one top-level WithTx between its caller and the writer loop. Its channels
// hold one value each, so neither side ever blocks on sending.
type txCall struct {
	ctx   context.Context
	state atomic.Int32
	// start gives the caller its turn: nil when the group's transaction is open and fn
	// may run, otherwise why it will not run.
	start chan error
	// ended is the caller's report once fn has returned and its savepoint is settled.
	ended chan txEnd
	// result is the outcome of the group's COMMIT, for a caller whose writes were kept.
	result chan error
	// bare is set by the loop, before start, for a member that finds no writes kept in
	// the transaction: it runs without a savepoint, and when it fails the whole
	// transaction is rolled back. A savepoint makes SQLite keep a copy of every page the
	// member changes, which for a large transaction (an import batch) is a tenth of its
	// cost, and the first member of a group needs none.
	bare bool
	// held are fn's increments held back to the group's commit, handed to the loop
	// with endKept.
	held []heldIncrements
}

// enqueue puts a call in the writer's queue and waits for its turn.
func (b *Backend) enqueue(ctx context.Context) (*txCall, error) {
	select {
	case <-b.closed:
		return nil, ErrClosed
	default:
	}
	c := &txCall{ctx: ctx, start: make(chan error, 1), ended: make(chan txEnd, 1), result: make(chan error, 1)}
	select {
	case b.calls <- c:
	case <-b.closed:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the writer: %w", ctx.Err())
	}
	select {
	case err := <-c.start:
		return c, err
	case <-ctx.Done():
		if c.state.CompareAndSwap(callQueued, callAbandoned) {
			return nil, fmt.Errorf("wait for the writer: %w", ctx.Err())
		}
		return c, <-c.start // the loop took it first and answers at once
	}
}

// run runs fn, in the caller's goroutine, inside a savepoint of the group's
// transaction (or, bare, in the transaction itself), tells the loop how it ended and,
// when its writes were kept, waits for the COMMIT.
func (c *txCall) run(b *Backend, fn func(ctx context.Context) error) error {
	// The statements that bracket fn must run to their end whatever c.ctx does.
	ctx := context.WithoutCancel(c.ctx)
	if !c.bare {
		if _, err := b.writer.exec(ctx, sqlSavepoint); err != nil {
			c.ended <- endBroken
			return fmt.Errorf("begin transaction: %w", err)
		}
	}
	st := &txState{b: b}
	returned := false
	defer func() {
		if !returned { // fn panicked: drop its writes and let the group go on, then unwind
			st.done.Store(true)
			end, _ := c.drop(b, ctx)
			b.forgetTables(st.created)
			c.ended <- end
		}
	}()
	err := fn(context.WithValue(c.ctx, txKey{}, st))
	returned = true
	st.done.Store(true)
	if err == nil && c.ctx.Err() != nil {
		err = fmt.Errorf("commit transaction: %w", c.ctx.Err())
	}
	if err != nil {
		end, dropErr := c.drop(b, ctx)
		b.forgetTables(st.created)
		c.ended <- end
		if dropErr != nil {
			return errors.Join(err, dropErr)
		}
		return err
	}
	if !c.bare {
		if _, err := b.writer.exec(ctx, sqlRelease); err != nil {
			c.ended <- endBroken
			return fmt.Errorf("commit transaction: %w", err)
		}
	} else if err := stillOpen(ctx, b); err != nil {
		c.ended <- endBroken
		return fmt.Errorf("commit transaction: %w", err)
	}
	c.held = st.held
	c.ended <- endKept
	return <-c.result
}

// stillOpen checks that the group's transaction survived a bare member, which has no
// savepoint whose release would tell (SQLite rolls the transaction back after some
// engine errors, and fn may have returned nil anyway): BEGIN fails inside a
// transaction; outside one it begins a new one, which the loop rolls back.
func stillOpen(ctx context.Context, b *Backend) error {
	_, err := b.writer.exec(ctx, sqlBegin)
	switch {
	case err == nil:
		return ErrTxAborted
	case strings.Contains(err.Error(), "within a transaction"):
		return nil
	}
	return err
}

// drop undoes a failed member's writes: back to its savepoint, or for a bare member
// the whole transaction, which holds nothing else.
func (c *txCall) drop(b *Backend, ctx context.Context) (txEnd, error) {
	if c.bare {
		if err := b.rollback(ctx); err != nil {
			return endBroken, err // the loop rolls back again before the next member
		}
		return endRolledBack, nil
	}
	return b.drop(ctx)
}

// drop rolls a member back to its savepoint. When SQLite has already rolled back the
// whole transaction the savepoint is gone: the member's writes are gone as wanted, but
// so are those of the members kept before it.
func (b *Backend) drop(ctx context.Context) (txEnd, error) {
	_, err := b.writer.exec(ctx, sqlRollbackTo)
	if err == nil {
		_, err = b.writer.exec(ctx, sqlRelease)
	}
	switch {
	case err == nil:
		return endDropped, nil
	case strings.Contains(err.Error(), "no such savepoint"):
		return endBroken, nil
	default:
		return endBroken, fmt.Errorf("rollback transaction: %w", err)
	}
}

// writeLoop runs the queued transactions, group after group, until the Backend closes.
func (b *Backend) writeLoop() {
	defer close(b.loopDone)
	for {
		select {
		case c := <-b.calls:
			b.runGroup(c)
		case <-b.closed:
			return
		}
	}
}

// runGroup runs first and the calls queued behind it, up to maxGroup, in one
// transaction, then commits it.
func (b *Backend) runGroup(first *txCall) {
	ctx := context.Background()
	if err := b.acquire(ctx); err != nil {
		first.start <- err
		return
	}
	defer b.release()
	var kept []*txCall
	var held []heldIncrements
	open := false
	for c, n := first, 1; c != nil; c, n = b.nextCall(n), n+1 {
		if !c.state.CompareAndSwap(callQueued, callTaken) {
			continue // its caller stopped waiting
		}
		if err := c.ctx.Err(); err != nil {
			c.start <- err
			continue
		}
		if !open {
			if _, err := b.writer.exec(ctx, sqlBegin); err != nil {
				c.start <- err
				continue
			}
			open = true
		}
		c.bare = len(kept) == 0
		c.start <- nil
		switch <-c.ended {
		case endKept:
			kept = append(kept, c)
			held = append(held, c.held...)
		case endRolledBack:
			open = false
			b.settleTables(false)
		case endBroken:
			err := fmt.Errorf("commit transaction: %w", ErrTxAborted)
			if rbErr := b.rollback(ctx); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
			b.settleTables(false)
			settle(kept, err)
			kept, held, open = nil, nil, false
		}
	}
	if open {
		err := b.commitGroup(ctx, held)
		b.settleTables(err == nil)
		settle(kept, err)
	}
	b.maybeOptimize(ctx)
}

// commitGroup writes the increments the kept members held back, then commits; when
// they fail the whole group is rolled back, since they are merged across members.
func (b *Backend) commitGroup(ctx context.Context, held []heldIncrements) error {
	if len(held) > 0 {
		st := &txState{b: b}
		err := b.applyHeld(context.WithValue(ctx, txKey{}, st), held)
		st.done.Store(true)
		if err != nil {
			err = fmt.Errorf("commit transaction: %w", err)
			if rbErr := b.rollback(ctx); rbErr != nil {
				return errors.Join(err, rbErr)
			}
			return err
		}
	}
	return b.commit(ctx)
}

// nextCall takes the next queued call without waiting; nil when none is queued or the
// group already took maxGroup.
func (b *Backend) nextCall(taken int) *txCall {
	if taken >= maxGroup {
		return nil
	}
	select {
	case c := <-b.calls:
		return c
	default:
		return nil
	}
}

// settle tells the kept members of a group the outcome of its end.
func settle(kept []*txCall, err error) {
	for _, c := range kept {
		c.result <- err
	}
}
