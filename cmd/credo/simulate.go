package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/lending"
)

// simOptions are the flags of `credo simulate`.
type simOptions struct {
	URL, Tenant, Password string
	Loans, Months         int
	Seed                  uint64
	Concurrency           int
	AsOf                  lending.Date
}

// cmdSimulate drives a running Credo over its HTTP API as a lender's staff would, so
// dashboards and benchmarks have realistic data: applications spread over past months,
// decisions in the approval flow, loan accounts with repayment histories up to as-of,
// and collection cases for the overdue ones.
func cmdSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("simulate", stderr)
	var o simOptions
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "base URL of a running Credo")
	fs.StringVar(&o.Tenant, "tenant", demoSlug, "tenant seeded like the demo (its staff are <role>@<tenant>.credo)")
	fs.StringVar(&o.Password, "password", demoPassword, "the staff's password")
	fs.IntVar(&o.Loans, "loans", 10_000, "applications to submit")
	fs.IntVar(&o.Months, "months", 12, "months before as-of the applications spread over")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed and data give the same applicants and stories")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "requests in flight")
	asOf := fs.String("as-of", "", "the simulated today, YYYY-MM-DD (default: today)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.AsOf = lending.DateOf(time.Now())
	if *asOf != "" {
		d, err := lending.ParseDate(*asOf)
		if err != nil {
			return fmt.Errorf("-as-of: %w", err)
		}
		o.AsOf = d
	}
	switch {
	case o.Loans < 1 || o.Loans > 1_000_000:
		return errors.New("-loans must be 1..1000000")
	case o.Months < 1 || o.Months > 120:
		return errors.New("-months must be 1..120")
	case o.Concurrency < 1 || o.Concurrency > 512:
		return errors.New("-concurrency must be 1..512")
	}
	s, err := newSimulation(ctx, o, stdout)
	if err != nil {
		return err
	}
	return s.run(ctx)
}

// simulation is one run of `credo simulate`.
type simulation struct {
	opts  simOptions
	asOf  lending.Date
	api   *simAPI
	staff *simStaff
	out   io.Writer
	loans []*simLoan
	// inboxes watch the task inboxes the staff act from: the first reviewer's (every
	// reviewer sees the same review tasks), each approver's, the officer's, finance's.
	inboxes map[*simUser]*inbox
}

// simStaff are the demo users the simulation acts as, one or two per role.
type simStaff struct {
	admin      *simUser
	reviewers  []*simUser
	approvers  []*simUser
	officer    *simUser
	finance    *simUser
	collectors map[string]*simUser // by collection stage
}

func newSimulation(ctx context.Context, o simOptions, out io.Writer) (*simulation, error) {
	s := &simulation{opts: o, asOf: o.AsOf, api: newSimAPI(o.URL, o.Tenant, o.Concurrency), out: &lockedWriter{w: out}}
	login := func(name string) (*simUser, error) {
		return s.api.login(ctx, name+"@"+o.Tenant+".credo", o.Password)
	}
	st := &simStaff{reviewers: make([]*simUser, 2), approvers: make([]*simUser, 2), collectors: map[string]*simUser{}}
	var m1, m2, m3 *simUser
	for _, who := range []struct {
		name string
		dst  **simUser
	}{
		{"admin", &st.admin}, {"reviewer", &st.reviewers[0]}, {"reviewer2", &st.reviewers[1]},
		{"approver", &st.approvers[0]}, {"approver2", &st.approvers[1]}, {"officer", &st.officer},
		{"finance", &st.finance}, {"collector", &m1}, {"collector2", &m2}, {"legal", &m3},
	} {
		u, err := login(who.name)
		if err != nil {
			return nil, err
		}
		*who.dst = u
	}
	st.collectors["m1"], st.collectors["m2"], st.collectors["m3"] = m1, m2, m3
	s.staff = st
	return s, nil
}

func (s *simulation) run(ctx context.Context) error {
	start := time.Now()
	if err := s.prepare(ctx); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(s.out, "Simulating %d applications for tenant %s over the %d months to %s (seed %d, %d in flight)\n",
		len(s.loans), s.opts.Tenant, s.opts.Months, s.asOf, s.opts.Seed, s.opts.Concurrency)
	if err := s.phase(ctx, "applications", s.loans, s.opts.Concurrency, s.apply); err != nil {
		return err
	}
	if s.allPending() {
		_, _ = fmt.Fprintf(s.out, "\nDECISIONS PENDING: no application was scored or fraud-checked, so none can pass the approval flow's risk gate.\n"+
			"Bind a scorer and a fraud detector to tenant %s (start Credo with CREDO_PLUGIN_DIR, as `make run` does), then run again.\n", s.opts.Tenant)
	} else if err := s.afterIntake(ctx); err != nil {
		return err
	}
	sum := summarize(s.loans)
	sum.print(s.out)
	_, _ = fmt.Fprintf(s.out, "Done in %s: %.1f applications/s end to end.\n", time.Since(start).Round(time.Millisecond),
		float64(len(s.loans))/time.Since(start).Seconds())
	return nil
}

// afterIntake takes the scored applications through the decisions, services the
// disbursed loans and opens the collection cases.
func (s *simulation) afterIntake(ctx context.Context) error {
	// Waiting for tasks dominates the decisions: many more loans wait than requests fly.
	err := s.watchInboxes(ctx, func(ctx context.Context) error {
		return s.phase(ctx, "decisions", s.with(func(l *simLoan) bool { return l.outcome == "" }), s.opts.Concurrency*8, s.decide)
	})
	if err != nil {
		return err
	}
	if err := s.phase(ctx, "servicing", s.with(func(l *simLoan) bool { return l.outcome == outDisbursed }), s.opts.Concurrency, s.service); err != nil {
		return err
	}
	return s.phase(ctx, "collections", s.with(func(l *simLoan) bool { return l.perf != nil && l.perf.dpd > 0 }), s.opts.Concurrency, s.openCase)
}

// prepare draws the applications. The streams start after the applications already
// stored, so a second run with the same seed adds new applicants instead of repeating.
func (s *simulation) prepare(ctx context.Context) error {
	existing := 0
	if err := s.staff.reviewers[0].searchRecords(ctx, formApplication, nil, []string{"applied_on"}, func(rs []*form.Record) error {
		existing += len(rs)
		return nil
	}); err != nil {
		return fmt.Errorf("count existing applications: %w", err)
	}
	blacklist, err := s.staff.admin.listValues(ctx, "blacklist.phone")
	if err != nil && !isStatus(err, http.StatusNotFound) {
		return fmt.Errorf("read the phone blacklist: %w", err)
	}
	gen := &applicants{r: rand.New(rand.NewPCG(s.opts.Seed, uint64(existing))), blacklist: blacklist}
	first := s.asOf.AddMonths(-s.opts.Months)
	span := first.DaysUntil(s.asOf)
	s.loans = make([]*simLoan, s.opts.Loans)
	for i := range s.loans {
		seq := existing + i
		appliedOn := first.AddDays(1 + gen.r.IntN(span))
		s.loans[i] = &simLoan{seq: seq, r: rand.New(rand.NewPCG(s.opts.Seed^0x9e3779b97f4a7c15, uint64(seq))),
			appliedOn: appliedOn, data: gen.next(seq, appliedOn)}
	}
	return nil
}

// apply submits one application as a credit reviewer does at intake; the scorer and
// the fraud detector run on create.
func (s *simulation) apply(ctx context.Context, l *simLoan) error {
	rec, err := s.staff.reviewers[l.seq%len(s.staff.reviewers)].createRecord(ctx, formApplication, l.data)
	if err != nil {
		return err
	}
	l.readDecisions(rec)
	if l.pendingDecs {
		l.outcome = outPending
	}
	return nil
}

// watchInboxes runs fn while the staff's inboxes are watched.
func (s *simulation) watchInboxes(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	users := append([]*simUser{s.staff.reviewers[0], s.staff.officer, s.staff.finance}, s.staff.approvers...)
	s.inboxes = map[*simUser]*inbox{}
	var wg sync.WaitGroup
	for _, u := range users {
		in := newInbox(u)
		s.inboxes[u] = in
		wg.Add(1)
		go func() { defer wg.Done(); in.run(ctx) }()
	}
	err := fn(ctx)
	cancel()
	wg.Wait()
	return err
}

func (s *simulation) allPending() bool {
	for _, l := range s.loans {
		if l.id != "" && !l.pendingDecs {
			return false
		}
	}
	return true
}

func (s *simulation) with(keep func(*simLoan) bool) []*simLoan {
	var out []*simLoan
	for _, l := range s.loans {
		if l.outcome != outStuck && keep(l) {
			out = append(out, l)
		}
	}
	return out
}
