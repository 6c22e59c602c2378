// Package flow is the flow engine: approval and collection flows, written as JSON
// definitions and interpreted over the records of one form.
//
// # Definitions
//
// A flow (format: schemas/flow.schema.json) is a graph of nodes joined by edges. Compile
// decodes it strictly (unknown members and duplicate keys are problems), validates it
// against the meta-schema and compiles it against the compiled *form.Form it runs on:
// one start node, at least one end, every node reachable from the start and able to
// reach an end, edges between known nodes, each node type with the edges it needs (a
// gateway has exactly one default edge, an approval one edge per decision), fields named
// by candidates, editable lists, timers, set_fields and webhooks exist with usable
// types (computed and decision fields are never editable), and gateway conditions and
// set_fields expressions type-check as CEL over record in the form's own environment
// (form.RecordEnv). Every problem is reported at once in a *FlowError, each located by a
// JSON pointer into the definition. A *Flow is immutable; AtVersion numbers it.
//
// Node types: start and end (an end writes its outcome — approved, rejected… — to the
// instance and ends it, cancelling any other branch); approval (candidates by role,
// user, record field or the starter's manager; mode any is or-sign, one task any
// candidate may claim and decide; mode all is countersign, one task per candidate user,
// every one must approve and one reject rejects; editable fields; an SLA that escalates,
// reassigns or decides the task when it runs out); task (the same with one decision,
// complete); gateway (the first edge whose condition holds, in definition order, else
// the default); parallel (every outgoing edge) and join (waits for a branch on every
// incoming edge); action (score and fraud through a Decider, writing the decision field
// with its lineage — a decision the record already holds is kept unless rerun is set;
// set_fields; start_flow, which starts another flow on the same record without waiting
// for it; webhook, sending only the fields it lists); timer (after a duration, or at a
// record date moved by an offset and set to a time of day: due_date − 1 day at 09:00).
//
// # Instances and tasks
//
// An instance lives in "flow_instances": the flow key and the version it started with
// (it stays on that version when a newer one is published), its status and outcome,
// the nodes it passed, and one token per branch saying where the branch waits: a task,
// a timer, a plugin call or a join. Tasks live in "tasks"; history in "flow_history",
// one document per transaction holding its steps in order; and "flow_running" holds
// one document per running instance, keyed by flow and record, which is how a record
// runs at most one instance of a flow (a start reads it by key, and the store's unique
// ids refuse a second on any engine). Every state change — Start, Act, a timer's Fire
// — runs in one store transaction that writes the instance, its tasks, timers, history
// and events (flow.started, flow.node_entered, flow.node_left, flow.completed,
// task.created, task.claimed, task.assigned, task.escalated, task.commented,
// task.completed, task.cancelled) with events.Emit, so rules react to exactly what
// committed; Options.NodeEvents may limit the node events to the nodes rules listen
// to. Within it the engine advances the instance through automated nodes until every
// branch waits or the instance ends.
//
// A loan application whose record already carries its score and fraud verdicts (the
// form's decisions ran at create) goes from Start to its first review task in one
// transaction: the engine keeps the verdicts and writes, besides the record's claim,
// the instance, its history, the task, its SLA timer and the events.
//
// Plugin and webhook calls are not made inside a write transaction (SQLite has one
// writer): the branch stops at the call, a retry timer is scheduled, and the
// transaction commits; the engine then makes the calls side by side and applies the
// results in a transaction of its own, cancelling the retry timer. A call that fails,
// or a process that dies before making it, leaves the retry timer, which makes the call
// from inside the scheduler's firing (and is parked by the scheduler after its last
// attempt). Timer nodes, SLAs and retries are durable events timers handled by
// Engine.Fire under the handler name TimerHandler.
//
// People act on tasks through Act: claim, approve, reject, complete, return (to an
// approval or task node the instance has passed; other branches are cancelled),
// reassign (to a user, or a role; supervisors may too), delegate (to a user; the task
// remembers its owner) and comment. Field edits ride along with a decision and are
// limited to the node's editable fields; the engine hands them to Records in its
// transaction, and the caller checks field permissions first. Inbox lists tasks (mine,
// team, all; open, overdue) and Counts gives a badge's figures. History lists who did
// what at which node, when, and how long it waited.
//
// # Tasks outside flows
//
// CreateTask opens a task on a record outside any flow, for a role or a user, with a
// title per locale and an optional due time — what a rule's create_task action asks
// for, inside the transaction that delivers the rule's event. Such a task is in Inbox
// and Counts like any other (overdue past its due time; nothing acts on it then), is
// claimed, reassigned, delegated, commented and completed through Act (complete is its
// one decision; it edits no fields), emits the same task events and adds its steps to
// the record's History. A caller-chosen id makes creating it idempotent.
package flow
