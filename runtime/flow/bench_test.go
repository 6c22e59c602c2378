package flow

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// decidedLoanRecord is a loan application as the record service stores it on create,
// when the form's decisions ran then: score and fraud results with their lineage.
func decidedLoanRecord(amount float64) map[string]any {
	rec := loanRecord(amount)
	rec["credit_score"] = map[string]any{"status": "done", "score": 655, "grade": "B", "plugin": "scorecard",
		"plugin_version": "1.2.0", "model_version": "m7", "input_hash": "sha256:abc", "decided_at": "2025-03-03T08:00:00Z"}
	rec["fraud_check"] = map[string]any{"status": "done", "decision": "pass", "hits": []any{}, "plugin": "antifraud",
		"plugin_version": "0.9.1", "model_version": "r3", "input_hash": "sha256:def", "decided_at": "2025-03-03T08:00:00Z"}
	return rec
}

// onlyReviewEvents is Options.NodeEvents as the rule engine would answer it with one
// rule on the loan approval, triggered by entering the credit review.
func onlyReviewEvents(_, _, node string) bool { return node == "credit_review" }

// startBench prepares n loan applications and starts the loan approval flow on them,
// 16 at a time per CPU when parallel. Every start must end waiting at the credit
// review.
func startBench(b *testing.B, record func(float64) map[string]any, parallel bool, nodeEvents func(_, _, _ string) bool) {
	h := newHarness(b)
	h.engine.opts.NodeEvents = nodeEvents
	h.defs.publish(mustCompile(b, loanForm(b), readTestdata(b, "loan_approval.json")))
	ctx := context.Background()
	ids := make([]string, b.N)
	recs := make([]map[string]any, b.N)
	for i := range ids {
		ids[i], recs[i] = h.records.put(b, h.tenant, "loan_application", record(50000))
	}
	a := h.actor("clerk")
	start := func(i int) {
		in, err := h.engine.Start(ctx, a, "loan_approval", ids[i], recs[i])
		if err != nil || len(in.Positions) != 1 || in.Positions[0].Node != "credit_review" {
			require.NoError(b, err)
			b.Fatalf("instance waits at %+v", in.Positions)
		}
	}
	b.ResetTimer()
	if parallel {
		// Many requests in flight at once, as behind the HTTP server: their
		// transactions share commits (the SQLite store's group commit).
		b.SetParallelism(16)
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				start(int(next.Add(1) - 1))
			}
		})
	} else {
		for i := range b.N {
			start(i)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "starts/s")
}

// BenchmarkStartToFirstTask measures one loan application from Start to its first
// review task on SQLite, one start at a time.
//
// decided: the record service's create already ran score and fraud (the form's
// decisions), so the flow keeps them: one transaction takes the application through
// the checks, the join and the risk gateway to the review task.
//
// calls: the record holds no decision, so the flow calls the Decider (in process here)
// after the start commits, both side by side, and applies the results in a second
// transaction.
//
// The "review-events" variants emit node events only for the credit review
// (Options.NodeEvents), as when one rule listens to the flow, rather than for every node.
func BenchmarkStartToFirstTask(b *testing.B) {
	benchStarts(b, false)
}

// BenchmarkStartToFirstTaskParallel is BenchmarkStartToFirstTask with 16 starts per CPU
// in flight, as many concurrent HTTP requests make them.
func BenchmarkStartToFirstTaskParallel(b *testing.B) {
	benchStarts(b, true)
}

func benchStarts(b *testing.B, parallel bool) {
	b.Run("decided", func(b *testing.B) { startBench(b, decidedLoanRecord, parallel, nil) })
	b.Run("decided-review-events", func(b *testing.B) { startBench(b, decidedLoanRecord, parallel, onlyReviewEvents) })
	b.Run("calls", func(b *testing.B) { startBench(b, loanRecord, parallel, nil) })
	b.Run("calls-review-events", func(b *testing.B) { startBench(b, loanRecord, parallel, onlyReviewEvents) })
}
