// Package builder owns the life of a definition: a draft is saved (even while it does
// not validate, with its problems), published as an immutable numbered version, listed,
// read back and rolled back.
//
// Lifecycle of one definition (kind "form" today; flow, rule and dashboard kinds plug
// into the same calls):
//
//  1. SaveDraft stores the body as the draft of (kind, key) and returns it with every
//     problem the validator finds, located by JSON pointer. Saving never publishes.
//  2. Publish validates the draft exactly as the runtime will run it (the meta-schema
//     check and form.Compile: what validates is what runs), refuses with a
//     *form.DefinitionError listing every problem, and otherwise, in one transaction,
//     appends version n+1 (note, author, time, body hash), moves the head and appends
//     the publish to the audit log. The store indexes of the form's indexed fields are
//     ensured first; after the commit the runtime's pointer is swapped to the new
//     compiled form (form.Service.Install), so the next request runs it.
//  3. Versions and Version read the history; List summarises every definition of a
//     kind with its latest version and whether the draft differs from it.
//  4. Rollback publishes a new version whose body is an older version's: history is
//     append-only and never rewritten. The draft is left as it is.
//
// Storage: drafts live in the tenant's DraftsCollection (id "<kind>:<key>"); heads and
// versions use the layout runtime/form documents (form.DefinitionsCollection,
// form.VersionsCollection).
package builder
