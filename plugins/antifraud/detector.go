package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// Check implements sdk.FraudDetector. Every rule's host questions go to the host in one
// Lookup, a single round trip however many lists and counts the tenant's rules need;
// then each rule judges its own answers. A failed lookup fails the check, because a rule
// that could not look is not a rule that found nothing.
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
	e := &env{app: app, cfg: &cfg, form: call.Form, today: today}

	var active []rule
	for _, r := range d.rules {
		if !cfg.disabled(r.id()) {
			active = append(active, r)
		}
	}
	parts := make([]answers, len(active))
	var all sdk.Lookups
	for i, r := range active {
		if err := guard(r, func() { parts[i].asked = r.ask(e) }); err != nil {
			return nil, err
		}
		all.Lists = append(all.Lists, parts[i].asked.Lists...)
		all.Counts = append(all.Counts, parts[i].asked.Counts...)
	}
	if err := lookup(ctx, call.Host, all, parts); err != nil {
		return nil, err
	}
	results := make([][]sdk.Hit, len(active))
	for i, r := range active {
		if err := guard(r, func() { results[i] = r.check(e, &parts[i]) }); err != nil {
			return nil, err
		}
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

// lookup asks the host all questions at once and hands each rule its share of the
// answers, in the order the rules asked. No questions, no round trip. The error names the
// lists and count fields asked about, never the values.
func lookup(ctx context.Context, host sdk.Host, all sdk.Lookups, parts []answers) error {
	if len(all.Lists) == 0 && len(all.Counts) == 0 {
		return nil
	}
	res, err := host.Lookup(ctx, all)
	if err == nil && (len(res.Lists) != len(all.Lists) || len(res.Counts) != len(all.Counts)) {
		err = fmt.Errorf("%d list and %d count answers to %d and %d questions", len(res.Lists), len(res.Counts),
			len(all.Lists), len(all.Counts))
	}
	if err != nil {
		var names []string
		for _, q := range all.Lists {
			names = append(names, "list "+q.List)
		}
		for _, q := range all.Counts {
			names = append(names, "count "+q.Field)
		}
		return fmt.Errorf("host lookup (%s): %w", strings.Join(names, ", "), err)
	}
	l, c := 0, 0
	for i := range parts {
		nl, nc := len(parts[i].asked.Lists), len(parts[i].asked.Counts)
		parts[i].got = sdk.LookupResults{Lists: res.Lists[l : l+nl], Counts: res.Counts[c : c+nc]}
		l, c = l+nl, c+nc
	}
	return nil
}

// guard runs one step of rule r and turns a panic into an error naming the rule; the SDK
// would recover it too, but without saying which rule it was.
func guard(r rule, step func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rule %s panicked: %v", r.id(), p)
		}
	}()
	step()
	return nil
}

var _ sdk.FraudDetector = (*detector)(nil)
