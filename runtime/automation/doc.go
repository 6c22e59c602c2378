// Package automation carries out what rules decide. It subscribes to the record events
// of the outbox (package events), evaluates the form's published rule set (package rule)
// on each, and executes the actions of every rule that matched: set a field, reject,
// flag, call a plugin, add a value to a list, notify in the app or by signed webhook,
// start a flow or open a task.
//
// # Exactly once
//
// The dispatcher runs a handler inside the store transaction that records its delivery,
// and every effect here is written with that transaction's ctx (record changes through
// form.Service.Apply, which joins it), so on engines with transactions the effects of
// one event commit once, together with the delivery marker. Each matched rule also
// leaves a run document whose id derives from the event and the rule: a delivery that
// finds it skips the rule, which keeps the effects single on engines without
// transactions too (where the run is written after the effects, so a crash repeats
// rather than loses them).
//
// Most record events match no rule. The engine is an events.Sifter: before a batch's
// delivery transaction it reads the batch's records (one query per form, committed
// data, off the SQLite writer) and evaluates their rules, and the transaction handles
// only the events where something matched. A kept event carries the record's version,
// its data and the rules' result: the transaction checks the version (no data read) and,
// unchanged, acts on that result; a record changed meanwhile is read and judged again.
//
// # Lineage
//
// A run records what produced the decision: the rule, the rule set and form versions,
// the event, a SHA-256 of the record as evaluated, and the actions carried out — so a
// decision on a loan can be explained and replayed later. Runs lists them per record.
//
// # Loops
//
// A record change made by a rule's actions carries the match's Origin and Depth (see
// form.Cause), so the rule does not fire on its own change and a chain of rules stops at
// the rule set's MaxDepth.
package automation
