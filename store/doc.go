// Package store is Credo's storage interface and query model.
//
// Every access goes through a tenant-bound Scope obtained from a Backend: there is no
// handle that can read or write without a tenant, so no query can forget it. Platform-wide
// data lives in the reserved PlatformTenant scope. A Scope holds named collections of
// JSON documents with optimistic concurrency (Doc.Version), a filter tree, sorts, cursor
// pagination (engine-neutral: AfterCursor turns a cursor into a filter), aggregation,
// atomic counter upserts (Increment, IncrementAcross for several collections in one
// call, IncrementOnCommit to apply them at the transaction's commit, merged) and
// secondary indexes. EncodeBody encodes a document's body ahead of the transaction that
// inserts it, where the engine can (Doc.Body), and ExtendBody adds the few fields known
// only inside it. Match and GroupKeyOf evaluate the query model on a document in Go
// exactly as the engines do, for figures kept beside the documents they count. Backends:
// store/sqlite (embedded default) and store/mongo; both pass the one conformance suite
// in store/storetest.
package store
