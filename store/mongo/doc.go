// Package mongo is the MongoDB backend of the store interface.
//
// Open connects to a deployment (replica set, sharded cluster, standalone server, or any
// server that speaks the MongoDB wire protocol) and returns a Backend that hands out
// tenant-bound scopes. Close disconnects it.
//
// # Storage shape
//
// A store collection "kind" or "kind:sub" lives in the MongoDB collection "kind", so a
// tenant with fifty forms does not create fifty collections. Each document is
//
//	{_id: "<tenant>/<collection>/<id>", t: tenant, c: collection, i: id,
//	 v: version, ca: created, ua: updated, d: {data}}
//
// with a unique index on (t, c, i) created the first time a kind is used. Every query
// this package sends carries t and c, so it cannot leave its tenant. For a sharded
// cluster, shard each collection on {t: 1, c: 1} (or {t: 1}): every index this package
// creates starts with t and c, so unique indexes stay enforceable on a sharded
// collection.
//
// Data numbers arrive as json.Number and are stored as BSON int64 when integral and as
// double otherwise; they come back as json.Number (exact decimal for integers, the
// shortest representation for doubles). Nested objects come back as map[string]any and
// arrays as []any. Data keys must not start with "$" nor contain "." or NUL: such a
// document is rejected with a DataError naming the JSON pointer at fault.
//
// # Engine capabilities
//
// The backend is written for a real MongoDB and asks the deployment, once per Backend,
// what it supports:
//
//   - transactions: WithTx runs fn inside a session transaction when the server is a
//     replica-set member or a mongos (the hello reply carries setName or msg "isdbgrid").
//     On a standalone server, or an engine without multi-document transactions, WithTx
//     runs fn without one: each operation then commits on its own. The driver may run fn
//     more than once when a transaction hits a transient error, so fn must be safe to
//     repeat.
//   - aggregation: Aggregate first tries one $group pipeline that derives day, month and
//     range buckets with aggregation expressions and computes $min and $max. When the
//     engine rejects it as unsupported, that is remembered and aggregations use a
//     portable formulation: a $group with $sum only for plain keys and count, sum and
//     avg measures, or otherwise a projected scan grouped in Go. Averages are always
//     sum divided by the number of numeric values, so both paths agree.
//   - partial indexes: EnsureIndex restricts an index to its store collection with a
//     partialFilterExpression where the engine keeps one; otherwise the index spans
//     the kind with (t, c) leading, which is still correct for uniqueness.
package mongo
