package tenants

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/credolabs/credo/store"
)

// Credential formats. A session cookie is "<tenant>.<id>.<secret>" and an API token
// "crd_<tenant>.<id>.<secret>": the tenant part finds the store scope and the id the
// document without any global lookup; only SHA-256(secret) is stored. The "crd_" prefix
// lets secret scanners recognize a leaked token.
const (
	tokenPrefix  = "crd_"
	secretBytes  = 32
	secretLength = 43 // base64url of 32 bytes, unpadded
)

// newSecret returns 32 random bytes, base64url-encoded.
func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashSecret is what the store keeps of a secret.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// sameHash compares a presented secret with a stored hash in constant time.
func sameHash(secret, stored string) bool {
	return subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(stored)) == 1
}

// csrfToken derives a session's CSRF token from its secret, so it needs no storage and
// the store alone (without the cookie) cannot reproduce it.
func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("credo csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func formatCredential(tenant, id, secret string) string { return tenant + "." + id + "." + secret }

// parseCredential splits "<tenant>.<id>.<secret>" and checks each part's shape.
func parseCredential(v string) (tenant, id, secret string, ok bool) {
	tenant, rest, ok1 := strings.Cut(v, ".")
	id, secret, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || store.CheckScope(tenant) != nil || len(secret) != secretLength || !validID(id) {
		return "", "", "", false
	}
	if _, err := base64.RawURLEncoding.DecodeString(secret); err != nil {
		return "", "", "", false
	}
	return tenant, id, secret, true
}

// validID accepts the ids store.NewID makes (UUID text).
func validID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && r != '-' {
			return false
		}
	}
	return true
}
