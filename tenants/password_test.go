package tenants

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	hash, err := hashPassword(testPassword, cheapArgon2.withDefaults())
	require.NoError(t, err)

	t.Run("phc format", func(t *testing.T) {
		assert.True(t, strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$"), hash)
		assert.NotContains(t, hash, testPassword)
	})
	t.Run("salted", func(t *testing.T) {
		again, err := hashPassword(testPassword, cheapArgon2.withDefaults())
		require.NoError(t, err)
		assert.NotEqual(t, hash, again)
	})
	cases := []struct {
		name     string
		password string
		want     Argon2Params
		ok       bool
		stale    bool
	}{
		{"right password", testPassword, cheapArgon2.withDefaults(), true, false},
		{"wrong password", testPassword + "!", cheapArgon2.withDefaults(), false, false},
		{"empty password", "", cheapArgon2.withDefaults(), false, false},
		{"stronger parameters wanted", testPassword, Argon2Params{}.withDefaults(), true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ok, stale, err := verifyPassword(tc.password, hash, tc.want)
			require.NoError(t, err)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.stale, stale)
		})
	}
}

func TestPasswordDefaultsAreOWASP(t *testing.T) {
	t.Parallel()
	p := Argon2Params{}.withDefaults()
	assert.Equal(t, Argon2Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}, p)
}

func TestPasswordMalformedHashes(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":        "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"wrong version":  "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"memory bomb":    "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"zero time":      "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"bad salt":       "$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
		"short key":      "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"missing fields": "$argon2id$v=19$m=64,t=1,p=1",
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			ok, _, err := verifyPassword(testPassword, h, cheapArgon2.withDefaults())
			require.ErrorIs(t, err, errBadHash)
			assert.False(t, ok)
		})
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, password, code string
	}{
		{"ok", "0123456789", ""},
		{"unicode counts characters", "密码密码密码密码密码", ""},
		{"empty", "", CodeRequired},
		{"nine characters", "012345678", CodePasswordTooShort},
		{"too long", strings.Repeat("x", MaxPasswordLength+1), CodePasswordTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps problems
			checkPassword(&ps, "/password", tc.password)
			if tc.code == "" {
				assert.Empty(t, ps)
				return
			}
			require.Len(t, ps, 1)
			assert.Equal(t, Problem{Path: "/password", Code: tc.code, Message: ps[0].Message}, ps[0])
		})
	}
}
