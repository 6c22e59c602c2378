// Package list keeps a tenant's value lists — blacklists, watch lists, overdue phones —
// and answers membership questions about them: for people through the admin API, and for
// plugins through the host's read-only ListContains callback.
//
// # Storage
//
// Every list of a tenant lives in the tenant's one "lists" collection, one document per
// (list, value). The document id is a digest of both (EntryID), so adding a value twice
// finds the first document instead of creating a second one, a membership test is a
// primary-key lookup that answers many values in one query, and no unique index is
// needed on either engine. A secondary index on (list, value) serves the paged listing.
// Lists exist implicitly: a list nobody added to is empty, not missing.
//
// # Names and values
//
// A list name is a lowercase dotted id ("blacklist.id_number", "overdue.phone"); values
// are compared exactly after trimming surrounding white space, so callers normalise what
// they look up the way they normalised what they added (upper-case check digits, no
// country prefix…). Values hold at most MaxValueLength characters.
//
// # Audit
//
// Adding and removing are audited in the same transaction as the change, against object
// "list:<name>" (action update for an add, delete for a removal). The entry names each
// value by its EntryID and a masked form, never in full: lists hold identity numbers and
// phones, and the audit log is read by people who may not read the lists themselves.
//
// # Lifecycle
//
// NewService needs the store and the audit log; the Service is safe for concurrent use
// and holds no per-request state beyond the set of tenants whose index it has ensured.
package list
