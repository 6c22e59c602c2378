package store

// Body is a document's Data in the form one engine stores it, encoded ahead of the
// write that stores it (see BodyEncoder). It is opaque outside the engine that made it;
// the zero Body holds nothing.
type Body struct {
	engine string
	b      []byte
}

// NewBody is the Body an engine encoded: engine names the engine and its format (as
// "sqlite-jsonb"), b the encoding, which the Body keeps and no one may modify after.
func NewBody(engine string, b []byte) Body { return Body{engine: engine, b: b} }

// Encoded returns the encoding when engine made the Body, and false otherwise (another
// engine's Body, or the zero Body).
func (b Body) Encoded(engine string) ([]byte, bool) {
	if b.engine == "" || b.engine != engine {
		return nil, false
	}
	return b.b, true
}

// BodyEncoder is implemented by a Scope whose engine can encode a document's Data
// before the write that stores it, so that work is done outside the transaction rather
// than while the engine's writer is held (SQLite: its single writer connection).
// Callers use the EncodeBody function, which falls back when the engine lacks it.
//
// EncodeBody checks data as Insert does and returns the error Insert would wrap for it
// (store.ErrInvalid for a key Data may not have); the Body goes in Doc.Body.
type BodyEncoder interface {
	EncodeBody(data map[string]any) (Body, error)
}

// EncodeBody encodes data for an Insert into a collection of sc: with the engine's
// BodyEncoder when sc has one, otherwise it returns the zero Body and no error, and the
// Insert encodes Data itself and reports any problem with it then.
func EncodeBody(sc Scope, data map[string]any) (Body, error) {
	if e, ok := sc.(BodyEncoder); ok {
		return e.EncodeBody(data)
	}
	return Body{}, nil
}

// BodyExtender is implemented by a Scope whose engine can add members to a Body it
// encoded, for a document whose few last fields are known only inside the transaction
// (an audit entry's place in its chain): its bulk is encoded before, the rest added
// there. Callers use the ExtendBody function, which falls back when the engine lacks it.
//
// ExtendBody returns a Body that reads back as b's members and extra's together; extra
// must not repeat a key of b. It checks extra's keys as EncodeBody does.
type BodyExtender interface {
	ExtendBody(b Body, extra map[string]any) (Body, error)
}

// ExtendBody adds extra's members to b, a Body EncodeBody made for a collection of sc,
// with the engine's BodyExtender; when sc has none, or the engine cannot extend b, it
// returns the zero Body and no error, and the Insert encodes the document's Data, which
// must then hold b's members and extra's.
func ExtendBody(sc Scope, b Body, extra map[string]any) (Body, error) {
	if e, ok := sc.(BodyExtender); ok {
		return e.ExtendBody(b, extra)
	}
	return Body{}, nil
}
