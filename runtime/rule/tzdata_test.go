package rule

// The binary embeds the time zone database (cmd/credo); the tests do the same, so they pass
// on hosts without zoneinfo.
import _ "time/tzdata"
