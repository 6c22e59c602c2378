package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/runtime/lending"
)

// progressEvery is how often a running phase prints how far it got.
const progressEvery = 2 * time.Second

// phase runs fn on every loan with workers goroutines, printing done/total and the rate.
// A loan the platform refused (an API error, a task that never came) is marked stuck
// and the phase goes on; anything else (the server gone, ctx ended) stops the run.
func (s *simulation) phase(ctx context.Context, name string, loans []*simLoan, workers int, fn func(context.Context, *simLoan) error) error {
	total := len(loans)
	if total == 0 {
		_, _ = fmt.Fprintf(s.out, "%-12s 0/0\n", name)
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		done, stuck atomic.Int64
		next        atomic.Int64
		wg          sync.WaitGroup
		fatal       error
		once        sync.Once
	)
	start := time.Now()
	stop, reported := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(reported)
		reportProgress(s.out, name, total, start, &done, stop)
	}()
	for range min(workers, total) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(total) && ctx.Err() == nil; i = next.Add(1) - 1 {
				l := loans[i]
				if err := fn(ctx, l); err != nil {
					if !isStuck(err) {
						once.Do(func() { fatal = fmt.Errorf("%s: %w", name, err); cancel() })
						return
					}
					l.outcome, l.problem = outStuck, err.Error()
					stuck.Add(1)
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-reported // its last line comes before the phase's own
	if fatal != nil {
		return fatal
	}
	elapsed := time.Since(start)
	_, _ = fmt.Fprintf(s.out, "%-12s %d/%d in %s (%.1f/s)", name, done.Load(), total, elapsed.Round(time.Millisecond),
		float64(done.Load())/elapsed.Seconds())
	if n := stuck.Load(); n > 0 {
		_, _ = fmt.Fprintf(s.out, ", %d stuck", n)
	}
	_, _ = fmt.Fprintln(s.out)
	return nil
}

// lockedWriter serialises writes: phases and their progress reporters print from several
// goroutines, and the writer may be a buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func reportProgress(out io.Writer, name string, total int, start time.Time, done *atomic.Int64, stop <-chan struct{}) {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			n := done.Load()
			_, _ = fmt.Fprintf(out, "%-12s %d/%d (%.1f/s)\n", name, n, total, float64(n)/time.Since(start).Seconds())
		}
	}
}

// simSummary is what a run wrote, counted from the loans' stories.
type simSummary struct {
	counts   map[string]int
	problems []string
}

// summaryKeys are the summary's lines, in print order.
var summaryKeys = []string{
	"applications", string(outPending), string(outRuleRejected), string(outGateRejected), string(outInReview),
	string(outReviewReject), string(outLimitReject), "approved", string(outAwaitContract), string(outCancelled),
	string(outDisbursed), "loan_accounts", "closed", "overdue_M1", "overdue_M2", "overdue_M3", "overdue_M3+",
	"fpd", "collection_cases", string(outStuck),
}

func summarize(loans []*simLoan) simSummary {
	s := simSummary{counts: map[string]int{}}
	for _, l := range loans {
		s.counts["applications"]++
		s.counts[string(l.outcome)]++
		switch l.outcome {
		case outAwaitContract, outCancelled, outDisbursed:
			s.counts["approved"]++
		case outStuck:
			if len(s.problems) < 5 {
				s.problems = append(s.problems, l.problem)
			}
		}
		if l.accountID != "" {
			s.counts["loan_accounts"]++
		}
		if p := l.perf; p != nil && l.accountID != "" {
			if p.status == "closed" {
				s.counts["closed"]++
			}
			if p.bucket != lending.BucketCurrent {
				s.counts["overdue_"+string(p.bucket)]++
			}
			if p.fpd {
				s.counts["fpd"]++
			}
			if l.caseOpened {
				s.counts["collection_cases"]++
			}
		}
	}
	return s
}

func (s simSummary) print(out io.Writer) {
	_, _ = fmt.Fprintln(out, "\nSummary (what this run wrote):")
	for _, k := range summaryKeys {
		_, _ = fmt.Fprintf(out, "  %-32s %d\n", k, s.counts[k])
	}
	for _, p := range s.problems {
		_, _ = fmt.Fprintf(out, "  stuck: %s\n", p)
	}
}
