// Package form runs form definitions: it compiles them, validates and computes records,
// applies field and row permissions, and is the record service behind every form's API.
//
// # Compiled forms
//
// Compile turns a definition (format: package schemas and schemas/form.schema.json)
// into an immutable *Form: strict JSON decoding (duplicate keys and unknown members are
// problems, a syntax error names its byte offset), validation against the meta-schema,
// the record schema compiled as JSON Schema 2020-12 (remote $ref refused, patterns
// checked for Go's regexp syntax), field metadata matched against the schema's
// properties both ways, and computed fields type-checked as CEL against record types
// built from the schema (record.amount is a double; record.amout does not compile).
// Every problem is reported at once in a *DefinitionError, each located by a JSON
// pointer into the definition. Expressions run with a cost limit (ComputeCostLimit).
//
// Form.Prepare turns caller data into the record to store: limits against hostile input
// (MaxRecordDepth, MaxArrayItems, MaxStringLength, MaxRecordValues), numbers normalised
// (float64 for number, int64 for integer), computed fields evaluated, and the result
// validated; failures are a *ValidationError with one problem per field: the JSON
// pointer of the value, the keyword as code and a sentence a person understands.
//
// # Permissions
//
// The record service asks an Authorizer (tenants.Service implements it) about
// form:<key> (create, read, update, delete, export) and form:<key>/field:<name> (read,
// read_masked, update). The answers for one (tenant, user, form, version) are resolved
// once into a FieldMask and cached under the tenant's PolicyVersion, so a policy change
// drops it and a page of 500 records costs one lookup. A field the user may not read is
// absent from every answer; filtering, sorting or writing it is refused exactly like a
// field the form does not have, and validation problems of fields the user cannot see
// collapse into one problem that names no field. Reading a sensitive field in full is
// noted in the audit entry of the read.
//
// Row scopes are CEL conditions over record and user (user.id, user.roles, user.attrs),
// one per role (Authorizer.RowScopes). Each compiles once into a tree of store filter
// leaves whose values depend on the user only; per request the user's values are filled
// in, conditions on the user alone fold to true or false, and the roles' scopes are
// ORed and ANDed into every get, list, update and delete. A record outside the scope is
// ErrNotFound. A value that cannot be computed for a user (a missing attribute) grants
// nothing. CheckRowScope tells whether an expression can be a scope, for role editing.
//
// # Lifecycle
//
// The Service loads published forms from the store (the layout in published.go, written
// by builder) and caches them per (tenant, key, version); Install swaps a tenant's
// current form at once after a publish, and HeadTTL bounds how long a publish on another
// node goes unseen. Records live in collection "records:<key>" as documents holding
// form_version, created_by, updated_by and the data object; each keeps the form version
// it was last written with. Every create, update and delete is appended to the audit log
// in the same transaction as the write, with a diff whose sensitive values are masked;
// every get is a "view" entry and every list a "list" entry.
package form
