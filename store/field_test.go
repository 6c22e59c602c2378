package store

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

var fieldRe = regexp.MustCompile(`^([a-z][a-zA-Z0-9_]{0,63})(\.[a-zA-Z0-9_]{1,64}){0,7}$`)

// validPath must accept exactly what fieldRe matches.
func TestValidPathMatchesTheExpression(t *testing.T) {
	fixed := []string{"", "a", "A", "_a", "1a", "a.", ".a", "a..b", "a.B", "a.1", "a-b", "a b", "é",
		"amount", "contacts.phone", "a.b.c.d.e.f.g.h", "a.b.c.d.e.f.g.h.i", strings.Repeat("a", 64),
		strings.Repeat("a", 65), "a." + strings.Repeat("b", 64), "a." + strings.Repeat("b", 65), "a\n", "a.b\x00"}
	for _, f := range fixed {
		if got, want := validPath(f), fieldRe.MatchString(f); got != want {
			t.Errorf("validPath(%q) = %v, want %v", f, got, want)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := "aZ_9.-é "
	for range 200000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		f := string(b)
		if got, want := validPath(f), fieldRe.MatchString(f); got != want {
			t.Fatalf("validPath(%q) = %v, want %v", f, got, want)
		}
	}
}
