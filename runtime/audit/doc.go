// Package audit is the per-tenant, hash-chained audit log.
//
// Every login, view, list, create, update, delete, export, publish and policy change is
// appended as an Entry in the tenant's "audit" collection. Entry n stores the hash of entry
// n-1 (Prev) and its own hash over its canonical JSON and Prev, so altering or removing any
// entry breaks the chain that Verify walks. Appends are numbered 1, 2, 3…; the sequence
// number is the document id, so two writers racing for the same number collide on the id
// and the loser retries against the new head — the chain stays linear without a lock or a
// multi-document transaction. Callers append inside the store transaction of the change
// they record, so a change and its audit entry commit together.
//
// Removing entries from the tail leaves a shorter but valid chain; Verify therefore
// accepts anchors (a sequence number and hash recorded earlier, e.g. from a previous
// verify-audit run) and reports when an anchored entry is gone or changed.
package audit
