package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/credolabs/credo/plugins/sdk"
)

// detector is the plugin's sdk.FraudDetector: it runs the enabled rules on one record
// and returns the worst of their decisions.
type detector struct {
	rules []rule
	known map[string]bool
	// now is the clock ages are reckoned by; tests fix it so birthdays cannot turn over
	// mid-run.
	now func() time.Time
}

// newDetector builds a detector over rules. A duplicate rule id is a programming error.
func newDetector(rules []rule, now func() time.Time) *detector {
	d := &detector{rules: rules, known: map[string]bool{}, now: now}
	for _, r := range rules {
		if d.known[r.id()] {
			panic(fmt.Sprintf("antifraud: rule %s registered twice", r.id()))
		}
		d.known[r.id()] = true
	}
	return d
}

// reads is the union of the fields the rules read, sorted: what Info.Reads declares.
func (d *detector) reads() []string {
	var out []string
	for _, r := range d.rules {
		out = append(out, r.reads()...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Check implements sdk.FraudDetector. Rules run concurrently, since most wait on a host
// lookup; the first failure cancels the rest and fails the check, because a rule that
// could not look is not a rule that found nothing.
func (d *detector) Check(ctx context.Context, call *sdk.Call) (*sdk.Verdict, error) {
	cfg, err := decodeConfig(call.Config, func(id string) bool { return d.known[id] })
	if err != nil {
		return nil, err
	}
	today := d.now().In(chinaTime)
	app, err := readApplication(call.Record, today)
	if err != nil {
		return nil, err
	}
	e := &env{app: app, cfg: &cfg, host: call.Host, form: call.Form, today: today}

	var active []rule
	for _, r := range d.rules {
		if !cfg.disabled(r.id()) {
			active = append(active, r)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]sdk.Hit, len(active))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	fail := func(err error) { once.Do(func() { firstErr = err; cancel() }) }
	for i, r := range active {
		wg.Go(func() {
			// The SDK recovers panics only on the handler's own goroutine.
			defer func() {
				if p := recover(); p != nil {
					fail(fmt.Errorf("rule %s panicked: %v", r.id(), p))
				}
			}()
			hits, err := r.check(ctx, e)
			if err != nil {
				fail(fmt.Errorf("rule %s: %w", r.id(), err))
				return
			}
			results[i] = hits
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}

	v := &sdk.Verdict{Decision: sdk.Pass, ModelVersion: version + "+cfg." + cfg.fingerprint()}
	for _, hits := range results {
		for _, h := range hits {
			v.Hits = append(v.Hits, h)
			v.Decision = v.Decision.Worse(h.Decision)
		}
	}
	// Most severe first, so a reviewer reads the reason for a rejection before the rest.
	slices.SortStableFunc(v.Hits, func(a, b sdk.Hit) int {
		switch {
		case a.Decision == b.Decision:
			return 0
		case a.Decision.Worse(b.Decision) == a.Decision:
			return -1
		}
		return 1
	})
	return v, nil
}

var _ sdk.FraudDetector = (*detector)(nil)
