package events

import "errors"

// Errors of the events package. They know nothing of HTTP.
var (
	// ErrInvalid means an event type, handler name, subject or timer key is malformed.
	ErrInvalid = errors.New("events: invalid argument")
	// ErrDuplicate means a handler is already registered under that name (for that event
	// type, or as a timer handler).
	ErrDuplicate = errors.New("events: duplicate registration")
	// ErrNoHandler means a timer names a handler this node has not registered. The timer
	// is retried and finally parked, so a configuration mistake shows up as a dead letter.
	ErrNoHandler = errors.New("events: no handler registered")
	// ErrNotFound means no dead letter has the given id.
	ErrNotFound = errors.New("events: dead letter not found")
)
