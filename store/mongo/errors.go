package mongo

import (
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
)

// ErrConfig means Open was given an unusable Config.
var ErrConfig = errors.New("mongo: invalid config")

// DataError reports a document body the backend cannot store as given. It matches
// store.ErrInvalid with errors.Is.
type DataError struct {
	// Code is a stable machine-readable reason: "invalid_key", "invalid_number" or
	// "unsupported_value".
	Code string
	// Pointer is the JSON pointer (RFC 6901) of the offending key or value in Data.
	Pointer string
	// Message is a human sentence.
	Message string
}

// Error reports the pointer and the reason.
func (e *DataError) Error() string {
	return fmt.Sprintf("data %s: %s (%s)", pointerOrRoot(e.Pointer), e.Message, e.Code)
}

// Is makes errors.Is(err, store.ErrInvalid) true.
func (e *DataError) Is(target error) bool { return target == store.ErrInvalid }

func pointerOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
