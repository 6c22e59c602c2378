// Package tenants owns who may do what in Credo: tenants, their users and roles,
// browser sessions, API tokens, passwords and the casbin policies behind every
// permission check. It knows nothing of HTTP and persists everything through
// store.Backend, so it runs unchanged on every storage engine.
//
// # Data
//
// Tenants are documents of the platform scope (store.PlatformTenant), keyed by slug.
// Platform administrators are users of that same scope holding its admin role. Each
// tenant's scope holds its users (argon2id PHC password hashes), roles (name and row
// scopes), casbin rules (collection "policies", written through Adapter), a policy
// revision, sessions and API tokens. Sessions and tokens are stored as SHA-256 hashes of
// their secrets only.
//
// # Authorization
//
// The casbin model (model.conf, embedded) is RBAC with domains: the domain is the tenant,
// subjects are "user:<id>" and "role:<key>", objects such as "form:loan",
// "form:loan/field:id_number" or "flow:approval/node:review" are matched with objMatch so
// "form:loan/*" covers every field of loan, "*" covers everything and a sub-table field
// covers its columns ("form:loan/field:contacts" covers "form:loan/field:contacts.phone"), and an explicit
// deny wins over every allow. Each tenant gets its own enforcer with its own Model, loaded
// from its own scope only, so a rule of one tenant can never match in another. Record
// layers read field rights as: read on a field = see in full, read_masked = see masked,
// update = may write; create/read/update/delete/export on "form:<key>" are record rights.
//
// # Lifecycle
//
// New prepares the platform scope. A tenant's authorization state (enforcer, roles,
// disabled users, decision cache) is loaded on first use and kept. Every change of rules,
// roles or users runs in one store transaction that also bumps the tenant's stored policy
// revision; after the commit the same change is applied in memory and PolicyVersion
// returns the new revision, which callers use to key their own caches. When several
// processes share a store, RunPolicySync (or SyncPolicies on a ticker) reloads tenants
// changed by another process.
//
// Resolved sessions and tokens are cached in memory for Options.PrincipalCacheTTL, so an
// authenticated request reads nothing from the store; logout, revocation, suspension and
// user changes drop this process's entries at once and reach other processes within
// that TTL. Failed logins are counted in memory per account and per client address.
package tenants
