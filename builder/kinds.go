package builder

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// A Compiler checks the definitions of one kind with the runtime's own compiler, so what
// validates is what runs.
type Compiler interface {
	// Compile checks body, saved as key in tenant. A body that does not validate gives a
	// *form.DefinitionError listing every problem, each located by a JSON pointer; any
	// other error is the compiler's own failure (a store that cannot be read).
	Compile(ctx context.Context, tenant, key string, body []byte) (Compiled, error)
}

// Compiled is a checked definition about to be published.
type Compiled interface {
	// Prepare runs before the publish transaction (forms create their indexes there).
	Prepare(ctx context.Context, sc store.Scope) error
	// Install makes the definition, published as version, current on this node once
	// the publish has committed.
	Install(tenant string, version int)
}

// CompilerFunc adapts a function to Compiler.
type CompilerFunc func(ctx context.Context, tenant, key string, body []byte) (Compiled, error)

// Compile calls fn.
func (fn CompilerFunc) Compile(ctx context.Context, tenant, key string, body []byte) (Compiled, error) {
	return fn(ctx, tenant, key, body)
}

// Register makes the builder handle kind with c. Register every kind at startup, before
// the builder serves.
func (s *Service) Register(kind string, c Compiler) {
	if !keyRe.MatchString(kind) || c == nil {
		panic(fmt.Sprintf("builder.Register: bad kind %q or nil compiler", kind))
	}
	s.kinds[kind] = c
}

// Kinds lists the definition kinds the builder handles, sorted.
func (s *Service) Kinds() []string {
	out := make([]string, 0, len(s.kinds))
	for k := range s.kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkKind refuses kinds the builder does not handle.
func (s *Service) checkKind(kind string) error {
	if _, ok := s.kinds[kind]; ok {
		return nil
	}
	return fmt.Errorf("definition kind %q (known: %s): %w", kind, strings.Join(s.Kinds(), ", "), ErrUnknownKind)
}

// checkKindKey refuses unknown kinds and malformed keys.
func (s *Service) checkKindKey(kind, key string) error {
	if err := s.checkKind(kind); err != nil {
		return err
	}
	if !keyRe.MatchString(key) {
		return fmt.Errorf("definition key %q: %w", key, ErrInvalidKey)
	}
	return nil
}

// compile runs kind's compiler on body.
func (s *Service) compile(ctx context.Context, tenant, kind, key string, body []byte) (Compiled, error) {
	c, err := s.kinds[kind].Compile(ctx, tenant, key, body)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", kind, err)
	}
	return c, nil
}

// KeyMismatch is the problem of a definition whose own key (or named form) is not the
// key it is saved under.
func KeyMismatch(path, says, savedAs string) *form.DefinitionError {
	return &form.DefinitionError{Problems: []form.Problem{{Path: path, Code: "key_mismatch",
		Message: fmt.Sprintf("the definition says %q but is saved as %q", says, savedAs)}}}
}

// Problems converts a compiler's located problems into the builder's error, so every kind
// answers in one shape.
func Problems(ps []form.Problem) *form.DefinitionError {
	return &form.DefinitionError{Problems: slices.Clone(ps)}
}

// formKind compiles forms: the compiled form creates the indexes of its indexed fields
// and is installed into the record service.
type formKind struct{ forms *form.Service }

type compiledForm struct {
	f     *form.Form
	forms *form.Service
}

func (k formKind) Compile(_ context.Context, _, key string, body []byte) (Compiled, error) {
	f, err := form.Compile(body)
	if err != nil {
		return nil, err
	}
	if f.Key() != key {
		return nil, KeyMismatch("/key", f.Key(), key)
	}
	return compiledForm{f: f, forms: k.forms}, nil
}

// Prepare creates the indexes outside the transaction: creating one is idempotent, some
// engines cannot create indexes inside a transaction, and an index left by a publish that
// then fails costs nothing.
func (c compiledForm) Prepare(ctx context.Context, sc store.Scope) error {
	records := sc.Collection(form.RecordsCollection(c.f.Key()))
	for _, field := range c.f.IndexedFields() {
		if err := records.EnsureIndex(ctx, store.Index{Name: IndexName(field), Fields: []string{"data." + field}}); err != nil {
			return fmt.Errorf("index %s: %w", field, err)
		}
	}
	return nil
}

// Install stamps the form with its version; requests holding the old one finish with it.
func (c compiledForm) Install(tenant string, version int) {
	c.forms.Install(tenant, c.f.AtVersion(version))
}

// isDefinitionError reports whether err lists a definition's problems.
func isDefinitionError(err error) (*form.DefinitionError, bool) {
	var de *form.DefinitionError
	return de, errors.As(err, &de)
}
