// Package storetest is the one conformance suite every store.Backend passes. A backend's
// test calls Run with a constructor; every case works in freshly named tenants, so one
// backend (one database) may serve all cases. Expectations are computed in Go from the
// same fixtures the case stores (see reference.go), never copied from an engine.
//
// # The contract, where store.go is silent
//
// Where the store package does not say, the suite follows what MongoDB does, and the
// choices below are the contract both engines implement:
//
//   - Insert assigns ID (store.NewID) when empty, Version 1, and CreatedAt = UpdatedAt =
//     now, UTC, millisecond precision. Top-level Data keys must not be empty, start with
//     "_" or "$", or contain "." (store.ErrInvalid). Nil Data is stored as {}. On any
//     error the *Doc is left unchanged and nothing is stored.
//   - store.FindIDs hands over the stored documents among its ids, however many ids
//     there are, projected as asked.
//   - Insert of a doc whose Body is store.EncodeBody of its Data stores what Data alone
//     stores; a Body another engine made is ignored. EncodeBody refuses (store.ErrInvalid)
//     the keys Insert refuses, or, on an engine without store.BodyEncoder, leaves them to it.
//   - Update advances Version by one and sets UpdatedAt; CreatedAt is kept. Delete with
//     version 0 is unconditional, > 0 conditional, < 0 store.ErrInvalid.
//   - A collection with an invalid name fails every method with store.ErrInvalid, and so
//     does Scope with an invalid tenant.
//   - A field holds one JSON type across documents (plus missing and null), as forms
//     declare them. eq ne gt gte lt lte in nin compare within that type: numbers
//     numerically whatever their representation (int, float, json.Number; integers
//     beyond 2^53 exactly), strings byte-wise (case-sensitive), booleans false < true.
//     A number never matches a string bound or the other way round.
//   - ne and nin also match documents where the field is missing or null (MongoDB's $ne
//     and $nin). not matches exactly the documents its operand does not (MongoDB's
//     $nor of one), so not(gt 5) matches documents without the field.
//   - exists true: present and not null; false: missing or null.
//   - contains: a string field holding the value as a substring (case-sensitive), or an
//     array field with an element equal to the value. Array elements are not searched
//     for substrings. prefix: a string field starting with the value (case-sensitive).
//   - Metadata: _id is a string, _version an integer, _created_at and _updated_at compare
//     with time.Time values (truncated to the millisecond).
//   - Sort: missing and null first ascending and last descending, then by value in its
//     type's order; the id ascending breaks every tie, descending sorts included.
//   - Paging: Page.Next is empty exactly on the last page, so no page but the first of
//     an empty result comes back empty; every document appears on exactly one page.
//   - Query.Fields keeps the listed top-level Data keys; a dotted path keeps only that
//     member inside its object ({"a": {"b": 1}}); metadata names are accepted and ignored
//     (ID, Version and times always come back); a missing key stays absent.
//   - Aggregate group keys: by value, a data field gives a string, float64 (any number),
//     bool, or nil (missing or null), _version a float64, and _created_at/_updated_at
//     the RFC 3339 UTC string with milliseconds. Day and month buckets take the first 10
//     or 7 characters of a string starting with a YYYY-MM-DD date, which is the calendar
//     date as written (a date-time's own offset, not converted to UTC); for
//     _created_at/_updated_at the UTC date; anything else gives nil. Range buckets give
//     an int index for numbers and nil for anything else.
//   - Measures: count counts the group's documents; sum, avg, min and max consider
//     numeric values only (strings and booleans are ignored); sum of none is 0; avg, min
//     and max of none are absent from Values.
//   - No GroupBy: exactly one group with an empty Key, even when nothing matched (count
//     0, sum 0). With GroupBy and nothing matched: no groups. Group order is not part of
//     the contract.
//   - EnsureIndex: names match store.ValidIndexName; 1 to 4 distinct valid fields.
//     The same name and definition again is a no-op; the same name with other fields or
//     uniqueness is store.ErrInvalid. A unique index refuses (store.ErrDuplicate) an
//     Insert or Update repeating a key of another document in the same tenant and
//     collection; documents lacking an indexed field are not constrained; creating a
//     unique index over documents that already repeat a key is store.ErrDuplicate and
//     leaves no index behind.
//   - Concurrent Updates carrying the same version: exactly one succeeds, the others get
//     store.ErrConflict.
//   - Increment: a missing document is created with Set and Add (Version 1); an existing
//     one gets each Add amount added to its field (missing counts as 0; Set is ignored)
//     and Version + 1, once per call for repeated ids. Integral amounts keep integral
//     fields integers. Concurrent increments of one document all count. Ids are required;
//     Add keys are letters, digits and underscores, none also in Set, amounts finite
//     (store.ErrInvalid otherwise, and nothing changes). Transactions as for InsertMany.
//   - store.IncrementAcross: each collection's increments as Increment applies them, a
//     collection named twice merged into one part (a repeated id moves its version
//     once), the same id in two collections two documents; all together in the
//     caller's transaction or one of its own, so with Options.Transactions a failure
//     leaves every collection as it was. Invalid input in any part changes nothing in
//     any collection, with or without transactions. The engine's own implementation
//     (store.MultiIncrementer) and the fallback behave alike.
//   - store.IncrementOnCommit: what a transaction holds back is written when it
//     commits, repeats merged, and with Options.Transactions dropped when it fails; an
//     engine that holds them back (store.CommitIncrementer) shows them to no read
//     before; invalid input is refused at once and holds nothing back; concurrent
//     transactions all count, those that fail not.
//   - store.Match and store.GroupKeyOf, the contract evaluated in Go, give what Find and
//     Aggregate give for every filter and group key case.
//   - WithTx returns fn's error as it is (errors.Is holds). With Options.Transactions an
//     error rolls back every write made with the transaction's ctx, in every collection
//     of the scope; a nil error commits; reads with that ctx see the transaction's own
//     writes and a read with another ctx does not see them before the commit; a nested
//     WithTx joins the outer transaction. Without transactions fn's writes persist and
//     its error is still returned.
package storetest
