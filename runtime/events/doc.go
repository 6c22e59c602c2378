// Package events carries what a change causes beyond itself: events through a per-tenant
// outbox to their handlers, and durable timers to theirs, on every node sharing a store.
//
// # Outbox
//
// Emit writes an Event into the tenant's "outbox" collection with the ctx of the
// transaction that makes the change, so the change and its event commit or roll back
// together. Event ids are UUID v7: the outbox reads in emission order, give or take
// retries. Nothing is delivered from inside Emit; a Dispatcher does that.
//
// # Dispatcher
//
// A Registry lists the handlers by event type (Subscribe; a name twice for one type is
// refused). Dispatcher.Run polls the outboxes of the tenants its TenantsFunc names, a few
// tenants at once (after PollInterval, or 2 ms after Notify says an event was emitted, so
// that events emitted together are delivered together), and for each due event:
//
//  1. claims it with a version-checked update that sets lease_owner and lease_until, so
//     of several dispatchers exactly one works on it, and one that dies lets it go when
//     the lease runs out;
//  2. for each handler not yet served, runs it in a store transaction that first looks
//     for the delivery's marker in "outbox_done" (eventID~handler), then calls the
//     handler with the transaction's ctx, then inserts the marker. The handler's
//     effects, written with that ctx, commit with the marker or not at all, so a
//     repeated delivery — after a crash between delivering and removing the event, or
//     by a second dispatcher — finds the marker and applies nothing;
//  3. removes the event and its markers once every handler is served or parked, or
//     else writes back each handler's attempts, last error and next due time (backoff)
//     and releases the claim.
//
// That is the path of engines without transactions. Engines with them (SQLite, a
// MongoDB replica set) take a shorter one for events seen for the first time: one
// transaction claims DeliverBatch due events, and one delivers them, every handler of
// each, removing each event at the version claimed in the same transaction. The removal
// records the delivery, as a fired timer's delete does: a lease lost meanwhile fails
// it and rolls the effects back, and a crash leaves neither effects nor removal. Two
// commits per batch instead of two or more per event (see batch.go). A failure in that
// transaction rolls the batch back and its events are served one by one as above, the
// failed call counting as its handler's attempt; retried events always are.
//
// A failing handler holds back only its own event: the pass goes on with the next event
// and the other tenants. After MaxAttempts failures the delivery is parked in
// "events_dead" with its last error (DeadLetters lists them; Requeue puts one back for
// that handler only; Discard drops it). A handler's panic is a failure like any other,
// and an event claimed more often than MaxAttempts times its handlers without finishing
// (its delivery keeps killing the process) is parked too.
//
// # Scheduler
//
// Schedule stores a Timer in "timers" under its key (the document id), so scheduling a
// key again replaces it, and it commits with the caller's transaction. Scheduler.Run
// finds due timers whose lease is free or expired, claims each with a version-checked
// update (owner node, lease_until, attempts+1), and runs its TimerHandler in a
// transaction that deletes the timer at the claimed version: the delete is the record
// that it fired. A timer rescheduled, cancelled or taken over by another node while its
// handler ran fails that delete, and the handler's effects roll back. A failure is
// retried with backoff; a timer claimed MaxAttempts times (failures and takeovers of a
// crashed node's lease alike) is parked. Both workers take a Clock for tests.
//
// # Engines without transactions
//
// On a MongoDB deployment without transactions (a standalone server) a store
// transaction is a plain sequence of writes (see package store/mongo). Claims stay
// exclusive, because version-checked writes are atomic there too, and nothing is lost:
// the marker and the timer delete are written after the effect. But a crash between a
// handler's effect and its marker (or timer delete) repeats the effect on the next
// delivery, so on such a deployment handlers must be idempotent on their own, e.g. by
// writing documents whose id derives from the event id. With transactions (SQLite,
// a replica set) the effect is applied once.
//
// # Handlers and the store's writer
//
// A handler runs inside a store transaction, which on the embedded SQLite store holds
// the single writer for its duration: handlers should write to the store and return.
// One that mostly decides there is nothing to do (the rules, for most record events)
// can be a Sifter: before a batch's delivery transaction it is asked once, outside any
// transaction, which events it would do nothing for, and those are delivered without a
// call; the others are delivered with the note it left for each.
// HandlerTimeout (the Lease for timers) bounds them. A batch commits what it has
// delivered once it has run for 50 ms, so the API's writes wait for no longer than that
// and the handler running then.
package events
