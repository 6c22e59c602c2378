package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/tenants"
)

// FieldProblem is one located problem in an error body.
type FieldProblem struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Params carries the values the message quotes (a limit, the allowed values…) so a
	// client can word the message in its own language.
	Params map[string]any `json:"params,omitempty"`
}

// ErrorBody is the one error shape every route answers with.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the content of ErrorBody.
type ErrorDetail struct {
	Code      string         `json:"code"`
	Message   string         `json:"message"`
	Fields    []FieldProblem `json:"fields,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	ErrorID   string         `json:"error_id,omitempty"`
}

// apiError is an error raised by the server itself (bad request shape, missing route…).
type apiError struct {
	status  int
	code    string
	message string
	fields  []FieldProblem
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func newAPIError(status int, code, message string, fields ...FieldProblem) *apiError {
	return &apiError{status: status, code: code, message: message, fields: fields}
}

var (
	errNotFound        = newAPIError(fiber.StatusNotFound, "not_found", "No such resource.")
	errUnauthenticated = newAPIError(fiber.StatusUnauthorized, "unauthenticated", "Log in or present a valid API token.")
	errForbidden       = newAPIError(fiber.StatusForbidden, "forbidden", "You are not allowed to do this.")
	errCSRF            = newAPIError(fiber.StatusForbidden, "csrf_failed", "Missing or wrong X-CSRF-Token header for this session.")
)

// errorHandler maps every error to a status and a stable public code, in one place.
// Anything not recognised is a 500 whose detail is logged under an error id.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, detail := classify(err)
		detail.RequestID = requestID(c)
		if status >= 500 && status != fiber.StatusServiceUnavailable {
			detail.ErrorID = newErrorID()
			loggerFrom(c, log).Error("request failed", "error_id", detail.ErrorID, "error", err.Error())
		}
		var rl *tenants.RateLimitError
		if errors.As(err, &rl) {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		}
		return c.Status(status).JSON(ErrorBody{Error: detail})
	}
}

func classify(err error) (int, ErrorDetail) {
	var ae *apiError
	var fe *fiber.Error
	var ve *form.ValidationError
	var de *form.DefinitionError
	var re *rule.RuleError
	var te *tenants.ValidationError
	var rl *tenants.RateLimitError
	if status, detail, ok := classifyPluginsAndLists(err); ok {
		return status, detail
	}
	if status, detail, ok := classifyFlows(err); ok {
		return status, detail
	}
	if status, detail, ok := classifyReports(err); ok {
		return status, detail
	}
	switch {
	case errors.As(err, &ae):
		return ae.status, ErrorDetail{Code: ae.code, Message: ae.message, Fields: ae.fields}
	case errors.As(err, &ve):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "validation_failed",
			Message: "Some fields are not valid; see fields.", Fields: formProblems(ve.Problems)}
	case errors.As(err, &de):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_definition",
			Message: "The definition is not valid; see fields.", Fields: formProblems(de.Problems)}
	case errors.As(err, &re):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_definition",
			Message: "The rule set is not valid; see fields.", Fields: formProblems(re.Problems)}
	case errors.As(err, &te):
		fields := make([]FieldProblem, 0, len(te.Problems))
		for _, p := range te.Problems {
			fields = append(fields, FieldProblem{Path: p.Path, Code: p.Code, Message: p.Message})
		}
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "validation_failed", Message: "The request is not valid; see fields.", Fields: fields}
	case errors.As(err, &rl):
		return fiber.StatusTooManyRequests, ErrorDetail{Code: "rate_limited", Message: "Too many attempts; try again later."}
	case errors.Is(err, tenants.ErrInvalidCredentials):
		return fiber.StatusUnauthorized, ErrorDetail{Code: "invalid_credentials", Message: "Wrong tenant, email or password."}
	case errors.Is(err, tenants.ErrUnauthenticated):
		return errUnauthenticated.status, ErrorDetail{Code: errUnauthenticated.code, Message: errUnauthenticated.message}
	case errors.Is(err, tenants.ErrForbidden), errors.Is(err, form.ErrForbidden):
		return errForbidden.status, ErrorDetail{Code: errForbidden.code, Message: errForbidden.message}
	case errors.Is(err, tenants.ErrStale):
		return fiber.StatusConflict, ErrorDetail{Code: "stale_permissions",
			Message: "The permissions were changed by someone else since you read them; read them again and redo your change."}
	case errors.Is(err, tenants.ErrExists), errors.Is(err, store.ErrDuplicate):
		return fiber.StatusConflict, ErrorDetail{Code: "already_exists", Message: "It already exists."}
	case errors.Is(err, form.ErrConflict), errors.Is(err, store.ErrConflict):
		return fiber.StatusConflict, ErrorDetail{Code: "version_conflict",
			Message: "Someone changed this since you read it; reload and apply your change again."}
	case errors.Is(err, form.ErrFormNotFound), errors.Is(err, builder.ErrDraftNotFound),
		errors.Is(err, builder.ErrVersionNotFound), errors.Is(err, builder.ErrUnknownKind):
		return fiber.StatusNotFound, ErrorDetail{Code: "not_found", Message: "No such form, definition or version."}
	case errors.Is(err, builder.ErrInvalidKey):
		return fiber.StatusBadRequest, ErrorDetail{Code: "invalid_key", Message: "A definition key is a lowercase letter followed by lowercase letters, digits or underscores.",
			Fields: []FieldProblem{{Path: "key", Code: "pattern", Message: "must match ^[a-z][a-z0-9_]{0,62}$"}}}
	case errors.Is(err, builder.ErrUnchanged):
		return fiber.StatusConflict, ErrorDetail{Code: "unchanged", Message: "The draft is identical to the current published version; nothing to publish."}
	case errors.Is(err, builder.ErrNoteTooLong):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "validation_failed", Message: "The note is too long.",
			Fields: []FieldProblem{{Path: "/note", Code: "maxLength", Message: "is too long"}}}
	case errors.Is(err, tenants.ErrNotFound), errors.Is(err, form.ErrNotFound), errors.Is(err, store.ErrNotFound):
		return errNotFound.status, ErrorDetail{Code: errNotFound.code, Message: errNotFound.message}
	case errors.Is(err, store.ErrInvalid):
		return fiber.StatusBadRequest, ErrorDetail{Code: "invalid_query", Message: "The query is not valid: " + err.Error()}
	case errors.As(err, &fe):
		return fe.Code, ErrorDetail{Code: fiberCode(fe.Code), Message: fe.Message}
	}
	return fiber.StatusInternalServerError, ErrorDetail{Code: "internal", Message: "Something went wrong on our side; quote the error id when reporting it."}
}

// classifyPluginsAndLists maps the plugin host's and the list service's errors. Plugin
// faults keep whose fault it was: the configuration or choice of plugin is the caller's
// (4xx), a plugin that is down is 503, slow 504, answering nonsense 502.
func classifyPluginsAndLists(err error) (int, ErrorDetail, bool) {
	var ce *host.ConfigError
	var me *host.ManifestError
	var lv *list.ValidationError
	switch {
	case errors.As(err, &lv):
		fields := make([]FieldProblem, 0, len(lv.Problems))
		for _, p := range lv.Problems {
			fields = append(fields, FieldProblem{Path: p.Path, Code: p.Code, Message: p.Message})
		}
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "validation_failed", Message: "Some values are not valid; nothing was added. See fields.", Fields: fields}, true
	case errors.Is(err, list.ErrInvalidName):
		return fiber.StatusBadRequest, ErrorDetail{Code: "invalid_list_name", Message: "A list name is a lowercase dotted id such as blacklist.id_number.",
			Fields: []FieldProblem{{Path: "list", Code: "pattern", Message: "must be lowercase letters, digits and underscores in dot-separated parts, each starting with a letter, at most 64 characters"}}}, true
	case errors.As(err, &ce):
		// The host locates problems inside the configuration; the request body holds it under /config.
		fields := make([]FieldProblem, 0, len(ce.Problems))
		for _, p := range ce.Problems {
			fields = append(fields, FieldProblem{Path: "/config" + p.Path, Code: "schema", Message: p.Message})
		}
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_config", Message: "The configuration does not match the plugin's schema; see fields.", Fields: fields}, true
	case errors.Is(err, host.ErrUnknownKind):
		return fiber.StatusNotFound, ErrorDetail{Code: "unknown_kind", Message: "Plugin kinds are scorer and fraud_detector."}, true
	case errors.Is(err, host.ErrNotBound):
		return fiber.StatusNotFound, ErrorDetail{Code: "not_bound", Message: "This tenant has bound no plugin of this kind."}, true
	case errors.Is(err, host.ErrUnknownPlugin):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "unknown_plugin", Message: "No such plugin version is installed, or it does not provide this kind."}, true
	// Checksum and protocol come before unavailability: a start that failed for either is
	// reported as unavailable too while the host waits to retry.
	case errors.Is(err, host.ErrChecksum):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "plugin_checksum", Message: "The plugin's executable does not match the checksum of its manifest; reinstall it."}, true
	case errors.Is(err, host.ErrIncompatible):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "plugin_incompatible", Message: "The plugin speaks a protocol version this server does not."}, true
	case errors.As(err, &me):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "plugin_manifest", Message: "The running plugin does not match its manifest; reinstall it."}, true
	case errors.Is(err, host.ErrPluginTimeout):
		return fiber.StatusGatewayTimeout, ErrorDetail{Code: "plugin_timeout", Message: "The plugin did not answer in time."}, true
	case errors.Is(err, host.ErrPluginUnavailable), errors.Is(err, host.ErrPluginShutdown):
		return fiber.StatusServiceUnavailable, ErrorDetail{Code: "plugin_unavailable", Message: "The plugin is not running; try again shortly."}, true
	case errors.Is(err, host.ErrBadInput):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "plugin_bad_input", Message: "The plugin refused its input."}, true
	case errors.Is(err, host.ErrPluginFailed):
		return fiber.StatusBadGateway, ErrorDetail{Code: "plugin_failed", Message: "The plugin failed or answered something invalid; quote the error id when reporting it."}, true
	}
	return 0, ErrorDetail{}, false
}

func formProblems(ps []form.Problem) []FieldProblem {
	out := make([]FieldProblem, 0, len(ps))
	for _, p := range ps {
		out = append(out, FieldProblem{Path: p.Path, Code: p.Code, Message: p.Message, Params: p.Params})
	}
	return out
}

// fiberCode names fiber's own errors (unknown route, body too large, bad method…).
func fiberCode(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusRequestEntityTooLarge:
		return "body_too_large"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestTimeout, fiber.StatusServiceUnavailable:
		return "unavailable"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}

func newErrorID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// classifyFlows maps the flow engine's errors.
func classifyFlows(err error) (int, ErrorDetail, bool) {
	var ae *flow.ActError
	var fe *flow.FlowError
	switch {
	case errors.As(err, &ae):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_action", Message: "The task action is not valid; see fields.",
			Fields: formProblems(ae.Problems)}, true
	case errors.As(err, &fe):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "invalid_definition", Message: "The flow is not valid; see fields.",
			Fields: formProblems(fe.Problems)}, true
	case errors.Is(err, flow.ErrFlowNotFound):
		return fiber.StatusNotFound, ErrorDetail{Code: "not_found", Message: "No such flow is published."}, true
	case errors.Is(err, flow.ErrForbidden):
		return errForbidden.status, ErrorDetail{Code: errForbidden.code, Message: "You are not among those who may act on this task."}, true
	case errors.Is(err, flow.ErrClosed):
		return fiber.StatusConflict, ErrorDetail{Code: "task_closed", Message: "The task is already closed."}, true
	case errors.Is(err, flow.ErrAlreadyRunning):
		return fiber.StatusConflict, ErrorDetail{Code: "flow_running", Message: "This flow is already running on the record."}, true
	case errors.Is(err, flow.ErrNoCandidates):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "no_candidates", Message: "Nobody can take the task: no user holds its role or the field naming its assignee is empty."}, true
	case errors.Is(err, flow.ErrStep):
		return fiber.StatusUnprocessableEntity, ErrorDetail{Code: "flow_step_failed", Message: "A step of the flow failed: " + err.Error()}, true
	case errors.Is(err, flow.ErrNotConfigured):
		return fiber.StatusServiceUnavailable, ErrorDetail{Code: "flows_unavailable", Message: "This server cannot run that step (a plugin host or webhook sender is missing)."}, true
	}
	return 0, ErrorDetail{}, false
}
