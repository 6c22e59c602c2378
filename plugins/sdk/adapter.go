package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/hashicorp/go-hclog"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginpb "github.com/credolabs/credo/plugins/proto"
)

// This file converts between the protocol's messages and the SDK's types, so vendors
// never see protobuf.

type describeServer struct {
	pluginpb.UnimplementedPluginServer
	opts ServeOpts
}

func (s *describeServer) Describe(context.Context, *pluginpb.DescribeRequest) (*pluginpb.DescribeResponse, error) {
	in := s.opts.Info
	out := &pluginpb.DescribeResponse{
		Name: in.Name, Version: in.Version, Description: in.Description,
		ConfigSchema: in.ConfigSchema, Reads: in.Reads,
	}
	if s.opts.Scorer != nil {
		out.Kinds = append(out.Kinds, pluginpb.Kind_KIND_SCORER)
	}
	if s.opts.FraudDetector != nil {
		out.Kinds = append(out.Kinds, pluginpb.Kind_KIND_FRAUD_DETECTOR)
	}
	return out, nil
}

type scorerServer struct {
	pluginpb.UnimplementedScorerServer
	impl  Scorer
	hosts *hostDialer
}

func (s *scorerServer) Score(ctx context.Context, req *pluginpb.ScoreRequest) (*pluginpb.ScoreResponse, error) {
	call, err := s.hosts.callFrom(req.GetCall())
	if err != nil {
		return nil, err
	}
	var sc *Score
	err = safely(func() (err error) { sc, err = s.impl.Score(ctx, call); return err })
	if err != nil {
		return nil, toStatus(err)
	}
	if sc == nil {
		return nil, status.Error(codes.Internal, "scorer returned no score")
	}
	out := &pluginpb.ScoreResponse{
		Score: int32(sc.Score), ProbabilityOfDefault: sc.ProbabilityOfDefault, Grade: string(sc.Grade),
		SuggestedLimit: sc.SuggestedLimit, Currency: sc.Currency, ModelVersion: sc.ModelVersion,
	}
	for _, r := range sc.Reasons {
		out.Reasons = append(out.Reasons, &pluginpb.Reason{Code: r.Code, Text: r.Text, Points: r.Points})
	}
	return out, nil
}

type fraudServer struct {
	pluginpb.UnimplementedFraudDetectorServer
	impl  FraudDetector
	hosts *hostDialer
}

func (s *fraudServer) Check(ctx context.Context, req *pluginpb.CheckRequest) (*pluginpb.CheckResponse, error) {
	call, err := s.hosts.callFrom(req.GetCall())
	if err != nil {
		return nil, err
	}
	var v *Verdict
	err = safely(func() (err error) { v, err = s.impl.Check(ctx, call); return err })
	if err != nil {
		return nil, toStatus(err)
	}
	if v == nil {
		return nil, status.Error(codes.Internal, "fraud detector returned no verdict")
	}
	out := &pluginpb.CheckResponse{Decision: decisionToPB(v.Decision), ModelVersion: v.ModelVersion}
	for _, h := range v.Hits {
		out.Hits = append(out.Hits, &pluginpb.Hit{Rule: h.Rule, Evidence: h.Evidence, Reason: h.Reason, Decision: decisionToPB(h.Decision)})
	}
	return out, nil
}

func decisionToPB(d Decision) pluginpb.Decision {
	switch d {
	case Pass:
		return pluginpb.Decision_DECISION_PASS
	case Review:
		return pluginpb.Decision_DECISION_REVIEW
	case Reject:
		return pluginpb.Decision_DECISION_REJECT
	}
	return pluginpb.Decision_DECISION_UNSPECIFIED
}

// DecisionFromPB converts the protocol's decision; unknown values become "".
//
// Since: v0.1.0
func DecisionFromPB(d pluginpb.Decision) Decision {
	switch d {
	case pluginpb.Decision_DECISION_PASS:
		return Pass
	case pluginpb.Decision_DECISION_REVIEW:
		return Review
	case pluginpb.Decision_DECISION_REJECT:
		return Reject
	}
	return ""
}

// callFrom decodes the shared part of a request.
func (h *hostDialer) callFrom(c *pluginpb.Call) (*Call, error) {
	if c == nil {
		return nil, status.Error(codes.InvalidArgument, "request carries no call")
	}
	call := &Call{ID: c.CallId, Tenant: c.Tenant, Form: c.Form, RecordID: c.RecordId, Config: c.Config,
		Host: h.host(c.HostBrokerId, c.CallId)}
	if len(c.Record) > 0 {
		dec := json.NewDecoder(bytes.NewReader(c.Record))
		dec.UseNumber()
		if err := dec.Decode(&call.Record); err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "record is not a JSON object: %v", err)
		}
	}
	if call.Record == nil {
		call.Record = map[string]any{}
	}
	return call, nil
}

// toStatus keeps a context's end and bad input distinguishable for the host.
func toStatus(err error) error {
	var bad *BadInputError
	switch {
	case errors.As(err, &bad):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Internal, fmt.Sprint(err))
}

// safely turns a panic in a vendor's handler into an Internal error, so one bad record
// never takes the plugin down.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			hclog.Default().Error("plugin handler panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = status.Errorf(codes.Internal, "plugin panicked: %v", r)
		}
	}()
	return f()
}
