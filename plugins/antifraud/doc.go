// Command credo-antifraud is Credo's reference anti-fraud plugin. It checks applications
// of the lending form (schemas/templates/lending/loan_application.json), plus device_id
// and client_ip when a form has them, and answers pass, review or reject with every rule
// that fired explained in English and Chinese.
//
// The rules (rules.go, one list in builtinRules) look values up on the tenant's lists
// and count the tenant's recent applications through the host's read-only service (all
// of a check's questions in one round trip), check emergency contacts, and check the
// resident ID number as GB 11643-1999 defines it. A tenant's configuration
// (config.schema.json) sets thresholds, windows and age bounds and turns rules off. A host lookup that fails fails the check: the host retries
// it rather than recording a pass nobody looked at.
//
// Run without arguments it serves the plugin protocol through sdk.Serve; "version"
// prints its version. README.md lists the rules and the lists a tenant maintains.
package main
