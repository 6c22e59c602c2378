package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// The lending template's forms the simulation writes.
const (
	formApplication = "loan_application"
	formAccount     = "loan_account"
	formCase        = "collection_case"
)

func (u *simUser) createRecord(ctx context.Context, formKey string, data map[string]any) (*form.Record, error) {
	var r form.Record
	if err := u.do(ctx, http.MethodPost, u.tenantPath("/forms/%s/records", formKey), data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func (u *simUser) getRecord(ctx context.Context, formKey, id string) (*form.Record, error) {
	var r form.Record
	if err := u.do(ctx, http.MethodGet, u.tenantPath("/forms/%s/records/%s", formKey, url.PathEscape(id)), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// patchRecord changes fields of a record, reading its version first and reading it
// again when a flow wrote the record in between (409).
func (u *simUser) patchRecord(ctx context.Context, formKey, id string, fields map[string]any) (*form.Record, error) {
	var err error
	for range 5 {
		var cur *form.Record
		if cur, err = u.getRecord(ctx, formKey, id); err != nil {
			return nil, err
		}
		var r form.Record
		body := map[string]any{"version": cur.Version, "data": fields}
		err = u.do(ctx, http.MethodPatch, u.tenantPath("/forms/%s/records/%s", formKey, url.PathEscape(id)), body, &r)
		if err == nil {
			return &r, nil
		}
		if !isStatus(err, http.StatusConflict) {
			return nil, err
		}
	}
	return nil, err
}

// searchRecords pages through the records matching filter, handing each page to fn.
func (u *simUser) searchRecords(ctx context.Context, formKey string, filter *store.Filter, fields []string, fn func([]*form.Record) error) error {
	cursor := ""
	for {
		body := map[string]any{"limit": store.MaxLimit, "fields": fields}
		if filter != nil {
			body["filter"] = filter
		}
		if cursor != "" {
			body["cursor"] = cursor
		}
		var page form.RecordPage
		if err := u.do(ctx, http.MethodPost, u.tenantPath("/forms/%s/records/search", formKey), body, &page); err != nil {
			return err
		}
		if err := fn(page.Records); err != nil {
			return err
		}
		if page.Next == "" {
			return nil
		}
		cursor = page.Next
	}
}

// act decides a task: approve, reject or complete, with the field edits the node allows.
func (u *simUser) act(ctx context.Context, t *flow.Task, kind string, fields map[string]any, comment string) error {
	body := flow.Action{Kind: kind, Fields: fields, Comment: comment}
	return u.do(ctx, http.MethodPost, u.tenantPath("/tasks/%s/actions", url.PathEscape(t.ID)), body, nil)
}

// listValues reads every value of one of the tenant's lists.
func (u *simUser) listValues(ctx context.Context, name string) ([]string, error) {
	var out []string
	cursor := ""
	for {
		var page struct {
			Entries []struct {
				Value string `json:"value"`
			} `json:"entries"`
			Next string `json:"next"`
		}
		path := u.tenantPath("/lists/%s?limit=%d", url.PathEscape(name), store.MaxLimit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		if err := u.do(ctx, http.MethodGet, path, nil, &page); err != nil {
			return nil, err
		}
		for _, e := range page.Entries {
			out = append(out, e.Value)
		}
		if page.Next == "" {
			return out, nil
		}
		cursor = page.Next
	}
}

// numberOf reads a record number (json.Number, float64 or int) as float64; 0 if absent.
func numberOf(v any) float64 {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return 0
}
