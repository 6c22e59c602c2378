package flow

import (
	"context"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/store"
)

// FormRecords lets the engine read and write the records it runs on through the form
// service: validated, computed, audited, with their record events, and joined to the
// step's transaction.
func FormRecords(forms *form.Service) Records { return formRecords{forms} }

type formRecords struct{ forms *form.Service }

func (r formRecords) Read(ctx context.Context, tenant, formKey, id string) (map[string]any, error) {
	return r.forms.Stored(ctx, tenant, formKey, id)
}

func (r formRecords) Write(ctx context.Context, w RecordWrite) (map[string]any, error) {
	a, err := r.forms.Apply(ctx, w.Tenant, w.Form, w.RecordID, w.Fields, form.Cause{By: w.Source, Actor: w.Actor})
	if err != nil {
		return nil, err
	}
	return a.Data, nil
}

// QueuedWebhooks queues a webhook action's call with the step's transaction; the
// webhook worker signs and sends it after the commit.
func QueuedWebhooks(hooks *webhook.Service) Webhooks { return queuedWebhooks{hooks} }

type queuedWebhooks struct{ hooks *webhook.Service }

func (h queuedWebhooks) Send(ctx context.Context, w Webhook) error {
	body := map[string]any{"tenant": w.Tenant, "flow": w.Flow, "version": w.Version, "instance": w.Instance,
		"node": w.Node, "form": w.Form, "record": w.RecordID, "data": w.Fields}
	return h.hooks.Enqueue(ctx, w.Tenant, w.URL, store.NewID(), body)
}
