// Package mongo is the MongoDB backend of the store interface.
//
// Open connects to a deployment (replica set, sharded cluster, standalone server, or
// another engine speaking the MongoDB wire protocol), checks that it answers, and
// returns a Backend that hands out tenant-bound scopes; Close disconnects it. Nothing
// is created at Open: the indexes of a MongoDB collection are created the first time a
// process uses it. MongoDB 5.0 or later is expected (aggregation operators, and partial
// indexes on the same keys told apart by their filters).
//
// # Storage shape
//
// A store collection "kind" or "kind:sub" lives in the MongoDB collection "kind", so a
// tenant with fifty forms does not create fifty collections. Each document is
//
//	{_id: "<tenant>/<collection>/<id>", t: tenant, c: collection, i: id,
//	 v: version, ca: created, ua: updated, d: {data}, u: {unique keys}}
//
// with a unique index on (t, c, i). Every query this package sends carries t and c, so
// it cannot leave its tenant. For a sharded cluster, shard each collection on
// {t: 1, c: 1} (or {t: 1}): every index this package creates starts with t and c.
//
// Data numbers arrive as json.Number and are stored as BSON int64 when integral and as
// double otherwise, never as strings; they come back as json.Number (exact decimal for
// integers, the shortest representation for doubles). Nested objects come back as
// map[string]any and arrays as []any. Top-level keys must not be empty or start with
// "_", and no key may start with "$" or contain "." or NUL: such a body is refused with
// a DataError (store.ErrInvalid) naming the JSON pointer at fault, and nothing changes.
//
// # Indexes
//
// EnsureIndex records each tenant's definitions in the _credo_indexes collection, so a
// name means one definition per tenant and collection while MongoDB indexes, at most 64
// per collection, are shared by all tenants. A lookup index is (t, c, fields…, i),
// limited to its store collection by a partial filter where the engine keeps one. A
// unique index is enforced through the u document: every write reads the tenant's
// unique definitions for the collection and stores under u.<name> an encoding of the
// document's key (absent when a field of the key is missing or null), and a unique
// index on (t, c, u.<name>) refuses a repeated key. Declaring a unique index writes the
// keys of the documents already stored, refusing with store.ErrDuplicate when two share
// one.
//
// # Engine capabilities
//
// The backend is written for a real MongoDB and learns, once per Backend, what the
// deployment can do; nothing else depends on which engine it talks to:
//
//   - Transactions: WithTx runs fn in a session transaction when the server is a
//     replica-set member or a mongos (the hello reply carries setName or msg
//     "isdbgrid"). On a standalone server or an engine without multi-document
//     transactions, WithTx runs fn without one and each write commits on its own. The
//     driver may run fn again after a transient transaction error, so fn must be safe
//     to repeat.
//   - Version checks: with transactions, Update and Delete put the expected version in
//     their filter. Without them, a version-guarded write first claims its transition
//     in the _credo_claims collection (see claims.go), because an engine may evaluate a
//     filtered update as a read followed by a write.
//   - Aggregation: a probe run once ($documents, then a $group using every operator
//     the native pipeline needs, with its answer checked) decides whether Aggregate runs
//     one pipeline with bucket expressions and $min/$max, or the portable formulations:
//     a $group with one $sum per pipeline for plain keys and count, sum and avg, or a
//     projected scan grouped in Go for buckets, min and max. avg is always sum divided
//     by the number of numeric values.
//   - Partial indexes: the first lookup index created tells whether the engine keeps a
//     partialFilterExpression; where it does not, a lookup index spans every
//     collection of its kind, with (t, c) leading.
//   - Counters: with transactions Increment is one bulk write of {$setOnInsert, $inc}
//     upserts; without them, an engine may apply $inc as a read then a write (FerretDB
//     does, and loses concurrent increments), so each document's $inc is guarded by its
//     version and a version claim, and new documents are inserted in one unordered batch.
//
// Day and month buckets read the date a string starts with, as written, and the UTC
// date of the metadata timestamps, as the store contract says.
package mongo
