package builder

import (
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
)

// Sentinel errors of the builder.
var (
	// ErrUnknownKind means the definition kind is not one the builder handles.
	ErrUnknownKind = errors.New("builder: unknown definition kind")
	// ErrInvalidKey means the definition key is not ^[a-z][a-z0-9_]{0,62}$.
	ErrInvalidKey = errors.New("builder: invalid definition key")
	// ErrDraftNotFound means (kind, key) has no draft to publish or read.
	ErrDraftNotFound = errors.New("builder: draft not found")
	// ErrVersionNotFound means the requested published version does not exist.
	ErrVersionNotFound = errors.New("builder: version not found")
	// ErrUnchanged means the body to publish is the current version's: nothing to do.
	ErrUnchanged = errors.New("builder: body equals the current published version")
	// ErrConflict means another publish of the same definition committed first; retry.
	ErrConflict = fmt.Errorf("builder: another publish came first: %w", store.ErrConflict)
	// ErrNoteTooLong means a publish note is longer than MaxNoteLength.
	ErrNoteTooLong = errors.New("builder: note too long")
)
