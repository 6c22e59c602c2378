package automation

import (
	"context"
	"errors"

	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
)

// FlowsOf lets rules start flows and open tasks through the flow engine.
func FlowsOf(engine *flow.Engine, forms *form.Service) Flows { return engineFlows{engine, forms} }

type engineFlows struct {
	engine *flow.Engine
	forms  *form.Service
}

// StartFlow starts the flow's current version on the record; a flow already running
// there is left alone, so a repeated rule does not start a second one.
func (f engineFlows) StartFlow(ctx context.Context, tenant, key, formKey, id string, c form.Cause) error {
	rec, err := f.forms.Stored(ctx, tenant, formKey, id)
	if err != nil {
		return err
	}
	_, err = f.engine.Start(ctx, form.Actor{Tenant: tenant, UserID: form.SystemActor, Origin: c.Origin, Depth: c.Depth}, key, id, rec)
	if errors.Is(err, flow.ErrAlreadyRunning) {
		return nil
	}
	return err
}

// CreateTask opens a task a rule asked for, outside any flow.
func (f engineFlows) CreateTask(ctx context.Context, tenant string, t Task) error {
	_, err := f.engine.CreateTask(ctx, tenant, flow.NewTask{Form: t.Form, RecordID: t.RecordID, Role: t.Role, User: t.User,
		Title: flow.Localized(t.Title), Due: t.Due, Source: t.Cause.By, ID: t.ID})
	return err
}
