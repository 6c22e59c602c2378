package list

import (
	"errors"
	"fmt"
	"strings"

	"github.com/credolabs/credo/store"
)

// Errors of the list service. They know nothing of HTTP; the server maps them.
var (
	// ErrInvalidName means a list name is not a lowercase dotted id such as
	// "blacklist.id_number".
	ErrInvalidName = errors.New("list: invalid list name")
	// ErrNotFound means the value is not on the list.
	ErrNotFound = fmt.Errorf("list: value is not on the list: %w", store.ErrNotFound)
)

// Problem is one located fault of an Add request.
type Problem struct {
	// Path is a JSON pointer into the request ("/values/3/value"); "/values" is the whole batch.
	Path string `json:"path"`
	// Code is stable and machine-readable: required, maxLength, maxItems, minItems, control.
	Code string `json:"code"`
	// Message is a sentence a person understands.
	Message string `json:"message"`
}

// ValidationError lists every bad entry of an Add request; nothing was stored.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, min(len(e.Problems), 5))
	for i, p := range e.Problems {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Problems)-5))
			break
		}
		parts = append(parts, p.Path+": "+p.Message)
	}
	return "list: invalid entries: " + strings.Join(parts, "; ")
}
