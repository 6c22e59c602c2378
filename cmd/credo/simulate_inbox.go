package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/store"
)

// The pause between two reads of an inbox while someone waits on it: short while reads
// hand tasks over, longer while they find nothing (the outbox is behind) and never
// shorter than the read took, so reading does not slow down the work it waits for.
const (
	inboxPoll    = 150 * time.Millisecond
	inboxPollMax = 2 * time.Second
)

// errNoTask is a task that did not appear in the inbox in time.
var errNoTask = errors.New("task did not appear")

// inbox watches one user's task inbox for the loans waiting on it. One reader serves
// every waiting loan: reading the whole inbox costs about what one filtered read does
// (the store walks the open tasks either way), so a thousand loans waiting cost one
// read per poll, not a thousand.
type inbox struct {
	user *simUser

	mu      sync.Mutex
	waiting map[string]chan *flow.Task // by record id + "/" + node
	handed  map[string]bool            // task ids already handed to a waiter
	wake    chan struct{}
	err     error // the last read's failure, handed to the next waiters
}

func newInbox(u *simUser) *inbox {
	return &inbox{user: u, waiting: map[string]chan *flow.Task{}, handed: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// run reads the inbox while anyone waits, until ctx ends.
func (in *inbox) run(ctx context.Context) {
	pause := inboxPoll
	for {
		in.mu.Lock()
		idle := len(in.waiting) == 0
		in.mu.Unlock()
		if idle {
			select {
			case <-ctx.Done():
				return
			case <-in.wake:
			}
		}
		began := time.Now()
		handed, err := in.read(ctx)
		in.mu.Lock()
		in.err = err
		in.mu.Unlock()
		if handed > 0 {
			pause = inboxPoll
		} else {
			pause = min(pause*2, inboxPollMax)
		}
		// A long inbox is read at most half the time.
		pause = max(pause, time.Since(began))
		if !sleepCtx(ctx, pause) {
			return
		}
	}
}

// read pages through the open tasks and hands each waiter its task; it returns how
// many it handed.
func (in *inbox) read(ctx context.Context) (int, error) {
	cursor, handed := "", 0
	for {
		path := in.user.tenantPath("/tasks?scope=mine&limit=%d", store.MaxLimit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var page flow.TaskPage
		if err := in.user.do(ctx, http.MethodGet, path, nil, &page); err != nil {
			return handed, err
		}
		in.mu.Lock()
		for _, t := range page.Tasks {
			key := t.RecordID + "/" + t.Node
			if ch, ok := in.waiting[key]; ok && !in.handed[t.ID] {
				in.handed[t.ID] = true
				delete(in.waiting, key)
				ch <- t
				handed++
			}
		}
		idle := len(in.waiting) == 0
		in.mu.Unlock()
		if page.Next == "" || idle {
			return handed, nil
		}
		cursor = page.Next
	}
}

// wait returns the open task at node on the record once the inbox shows it;
// errNoTask after timeout.
func (in *inbox) wait(ctx context.Context, recordID, node string, timeout time.Duration) (*flow.Task, error) {
	key := recordID + "/" + node
	ch := make(chan *flow.Task, 1)
	in.mu.Lock()
	in.waiting[key] = ch
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case t := <-ch:
		return t, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.waiting, key)
	select {
	case t := <-ch: // handed over as the timer fired
		return t, nil
	default:
	}
	if in.err != nil {
		return nil, fmt.Errorf("%s on record %s for %s: %w (last inbox read: %v)", node, recordID, in.user.Email, errNoTask, in.err)
	}
	return nil, fmt.Errorf("%s on record %s for %s within %s: %w", node, recordID, in.user.Email, timeout, errNoTask)
}
