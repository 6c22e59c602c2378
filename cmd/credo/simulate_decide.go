package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/flow"
)

// The nodes of schemas/templates/lending/flows/loan_approval.json the staff act on.
const (
	nodeReview       = "credit_review"
	nodeLimit        = "limit_approval"
	nodeContract     = "contract"
	nodeDisbursement = "disbursement"
	// countersignAbove is the amount gate's bound: larger loans need every approver.
	countersignAbove = 200_000
)

// How long the simulation waits for the platform: the first task comes through the
// outbox (rules, then the flow), which lags behind a burst of applications; later tasks
// follow a decision at once.
const (
	firstTaskWait = 5 * time.Minute
	nextTaskWait  = time.Minute
)

// decide plays one application's way through the approval flow as its staff would.
func (s *simulation) decide(ctx context.Context, l *simLoan) error {
	if auto := l.automatic(); auto != "" {
		l.outcome = auto
		if auto == outPending {
			return nil
		}
		return s.awaitRejection(ctx, l)
	}
	rv := s.staff.reviewers[l.r.IntN(len(s.staff.reviewers))]
	l.reviewer = rv
	t, err := s.inboxes[s.staff.reviewers[0]].wait(ctx, l.id, nodeReview, firstTaskWait)
	if err != nil {
		return err
	}
	decidedOn, ok := daysLater(l.r, l.appliedOn, 4, s.asOf)
	if !ok {
		l.outcome = outInReview // applied too recently: still in the reviewer's inbox
		return nil
	}
	l.decidedOn = decidedOn
	if l.r.Float64() >= l.approveOdds() {
		if err := rv.act(ctx, t, flow.ActReject, nil, "simulated review: declined"); err != nil {
			return err
		}
		l.outcome = outReviewReject
		return s.stampDecision(ctx, l)
	}
	l.approved = l.approvedLimit()
	if err := rv.act(ctx, t, flow.ActApprove, map[string]any{"approved_limit": l.approved}, ""); err != nil {
		return err
	}
	if numberOf(l.data["amount"]) > countersignAbove {
		for _, ap := range s.staff.approvers {
			t, err := s.inboxes[ap].wait(ctx, l.id, nodeLimit, nextTaskWait)
			if err != nil {
				return err
			}
			if l.r.Float64() < 0.08 {
				if err := ap.act(ctx, t, flow.ActReject, nil, "simulated countersign: declined"); err != nil {
					return err
				}
				l.outcome = outLimitReject
				return s.stampDecision(ctx, l)
			}
			if err := ap.act(ctx, t, flow.ActApprove, nil, ""); err != nil {
				return err
			}
		}
	}
	disbursedOn, ok := daysLater(l.r, decidedOn, 5, s.asOf)
	if !ok {
		l.outcome = outAwaitContract // the contract is signed after as-of
		return s.stampDecision(ctx, l)
	}
	t, err = s.inboxes[s.staff.officer].wait(ctx, l.id, nodeContract, nextTaskWait)
	if err != nil {
		return err
	}
	if err := s.staff.officer.act(ctx, t, flow.ActComplete, nil, ""); err != nil {
		return err
	}
	t, err = s.inboxes[s.staff.finance].wait(ctx, l.id, nodeDisbursement, nextTaskWait)
	if err != nil {
		return err
	}
	if l.r.Float64() < 0.02 {
		if err := s.staff.finance.act(ctx, t, flow.ActReject, nil, "simulated: borrower withdrew"); err != nil {
			return err
		}
		l.outcome = outCancelled
		return s.stampDecision(ctx, l)
	}
	if err := s.staff.finance.act(ctx, t, flow.ActApprove, nil, ""); err != nil {
		return err
	}
	l.disbursedOn = disbursedOn
	l.outcome = outDisbursed // decision dates are written with the loan's performance
	return nil
}

// stampDecision records on the application who decided it and when, dated in the
// simulated past (the flow stamps the day the action is taken).
func (s *simulation) stampDecision(ctx context.Context, l *simLoan) error {
	_, err := l.reviewer.patchRecord(ctx, formApplication, l.id, l.decisionFields())
	return err
}

func (l *simLoan) decisionFields() map[string]any {
	return map[string]any{"approver": l.reviewer.ID, "decided_on": l.decidedOn.String()}
}

// awaitRejection waits until the rule or the risk gate has rejected the application, so
// the summary matches what the API shows.
func (s *simulation) awaitRejection(ctx context.Context, l *simLoan) error {
	deadline := time.Now().Add(firstTaskWait)
	pause := 100 * time.Millisecond
	for {
		rec, err := s.staff.reviewers[0].getRecord(ctx, formApplication, l.id)
		if err != nil {
			return err
		}
		if rec.Data["status"] == "rejected" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("application %s (%s) was not rejected within %s: %w", l.id, l.outcome, firstTaskWait, errNoTask)
		}
		if !sleepCtx(ctx, pause) {
			return ctx.Err()
		}
		pause = min(pause*2, 2*time.Second)
	}
}

// isStuck reports an error that leaves one loan behind but lets the run go on.
func isStuck(err error) bool {
	var ae *apiError
	return errors.Is(err, errNoTask) || errors.As(err, &ae)
}
