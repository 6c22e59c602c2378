package transfer

import (
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/form"
)

// Sentinel errors of imports. They say nothing of HTTP; the server maps them.
var (
	// ErrFileTooLarge means the upload is larger than Options.MaxFileBytes.
	ErrFileTooLarge = errors.New("transfer: file larger than the import limit")
	// ErrUnsupportedFile means the upload is neither CSV text nor an .xlsx workbook.
	ErrUnsupportedFile = errors.New("transfer: not a CSV or .xlsx file")
	// ErrLegacyWorkbook means the upload is an old binary .xls workbook or an encrypted
	// one; it wraps ErrUnsupportedFile.
	ErrLegacyWorkbook = fmt.Errorf("transfer: .xls or password-protected workbook: %w", ErrUnsupportedFile)
	// ErrEmptyFile means the upload holds no rows at all.
	ErrEmptyFile = errors.New("transfer: the file is empty")
	// ErrUnreadableFile means the file has the right type but cannot be read (a damaged
	// workbook, one that expands beyond Options.MaxUnzippedBytes, broken CSV quoting).
	ErrUnreadableFile = errors.New("transfer: the file cannot be read")
	// ErrJobNotFound means the tenant has no import job with that id on that form.
	ErrJobNotFound = errors.New("transfer: import job not found")
)

// SpecError lists what is wrong with an import's mapping against the file's header and
// the form: each problem's Path is a JSON pointer into the mapping ("/columns/Amount").
type SpecError struct {
	Problems []form.Problem `json:"problems"`
}

// Error lists the first problems.
func (e *SpecError) Error() string { return "invalid import mapping: " + form.JoinProblems(e.Problems) }
