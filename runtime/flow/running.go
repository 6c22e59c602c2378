package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
)

// RunningCollection holds one document per running instance, keyed by its flow and
// record: a record runs at most one instance of a flow, and the key makes the store
// itself refuse a second, on any engine. A start finds out whether the record is free
// with one read by key rather than a query over the record's instances.
const RunningCollection = "flow_running"

// runningKey is the id of the running document of flow on a record.
func runningKey(flow, recordID string) string {
	k := flow + "/" + recordID
	if len(k) <= 200 {
		return k
	}
	h := sha256.Sum256([]byte(flow + "\x00" + recordID))
	return "sha256:" + hex.EncodeToString(h[:])
}

// claimRecord marks instance as the running instance of flow on a record, in the
// caller's transaction. It returns the id of another instance that runs there already
// (and marks nothing). A mark left by an instance that is no longer running is taken
// over.
func claimRecord(ctx context.Context, sc store.Scope, flow, recordID, instance string) (string, error) {
	coll := sc.Collection(RunningCollection)
	data := map[string]any{"flow": flow, "record_id": recordID, "instance": instance}
	doc, err := coll.Get(ctx, runningKey(flow, recordID))
	switch {
	case isNotFound(err):
		err = coll.Insert(ctx, &store.Doc{ID: runningKey(flow, recordID), Data: data})
		if errors.Is(err, store.ErrDuplicate) {
			err = errRetry // another start got there first: look again
		}
	case err == nil:
		holder, _ := doc.Data["instance"].(string)
		running, lerr := isRunning(ctx, sc, holder)
		if lerr != nil || running {
			return holder, lerr
		}
		doc.Data = data
		if err = coll.Update(ctx, doc); errors.Is(err, store.ErrConflict) {
			err = errRetry
		}
	}
	if err != nil {
		return "", fmt.Errorf("claim record %s for flow %s: %w", recordID, flow, err)
	}
	return "", nil
}

// isRunning reports whether an instance exists and runs.
func isRunning(ctx context.Context, sc store.Scope, id string) (bool, error) {
	_, inst, err := loadInstance(ctx, sc, id)
	if err != nil {
		return false, ignoreMissing(err)
	}
	return inst.Status == StatusRunning, nil
}

// releaseRecord ends the run's claim on its record, as the instance ends.
func (r *run) releaseRecord() error {
	err := r.sc.Collection(RunningCollection).Delete(r.ctx, runningKey(r.fl.Key(), r.inst.RecordID), 0)
	if err = ignoreMissing(err); err != nil {
		return fmt.Errorf("release record %s of instance %s: %w", r.inst.RecordID, r.id, err)
	}
	return nil
}
