package tenants

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// Input bounds.
const (
	maxNameLength  = 200
	maxEmailLength = 254
	maxAttrs       = 50
	maxAttrValue   = 500
	maxRowScopes   = 200
	maxScopeLength = 4000
	maxPermissions = 1000
)

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidKey reports whether k may name a role, form, flow, dashboard, rule or attribute:
// a lowercase letter, then up to 62 lowercase letters, digits or underscores.
func ValidKey(k string) bool { return keyRe.MatchString(k) }

// reservedSlugs are refused as tenant slugs because they name routes, hosts or roles of
// the platform itself and would confuse people reading URLs.
var reservedSlugs = map[string]bool{
	"admin": true, "api": true, "app": true, "assets": true, "auth": true, "credo": true,
	"default": true, "docs": true, "health": true, "internal": true, "login": true,
	"logout": true, "metrics": true, "platform": true, "public": true, "root": true,
	"static": true, "system": true, "www": true,
}

// checkSlug adds a problem at path when slug may not name a new tenant.
func checkSlug(ps *problems, path, slug string) {
	switch {
	case slug == "":
		ps.add(path, CodeRequired, "a tenant slug is required")
	case slug == store.PlatformTenant || reservedSlugs[slug]:
		ps.add(path, CodeReserved, "the slug %q is reserved", slug)
	case !store.ValidTenant(slug):
		ps.add(path, CodeInvalidSlug, "a slug has 3 to 32 lowercase letters, digits or hyphens, starts with a letter and does not end with a hyphen")
	}
}

// normalizeEmail lower-cases and trims an address so lookups do not depend on case.
func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// checkEmail adds a problem at path unless e (already normalized) is a bare address.
func checkEmail(ps *problems, path, e string) {
	if e == "" {
		ps.add(path, CodeRequired, "an email address is required")
		return
	}
	if len(e) > maxEmailLength {
		ps.add(path, CodeTooLong, "an email address has at most %d characters", maxEmailLength)
		return
	}
	a, err := mail.ParseAddress(e)
	at := strings.LastIndexByte(e, '@')
	if err != nil || a.Address != e || at < 1 || !strings.Contains(e[at+1:], ".") {
		ps.add(path, CodeInvalidEmail, "%q is not an email address like name@example.com", e)
	}
}

// checkName adds a problem at path when a display name is too long or has control characters.
func checkName(ps *problems, path, name string, required bool) {
	switch {
	case strings.TrimSpace(name) == "":
		if required {
			ps.add(path, CodeRequired, "a name is required")
		}
	case utf8.RuneCountInString(name) > maxNameLength:
		ps.add(path, CodeTooLong, "a name has at most %d characters", maxNameLength)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		ps.add(path, CodeInvalid, "a name may not contain control characters")
	}
}

// checkAttrs adds problems for bad user attribute keys or values.
func checkAttrs(ps *problems, path string, attrs map[string]string) {
	if len(attrs) > maxAttrs {
		ps.add(path, CodeTooMany, "a user has at most %d attributes", maxAttrs)
		return
	}
	for _, k := range sortedKeys(attrs) {
		p := path + "/" + escapePointer(k)
		switch {
		case !ValidKey(k):
			ps.add(p, CodeInvalidKey, "attribute names are lowercase letters, digits and underscores, starting with a letter")
		case utf8.RuneCountInString(attrs[k]) > maxAttrValue:
			ps.add(p, CodeTooLong, "an attribute value has at most %d characters", maxAttrValue)
		}
	}
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
