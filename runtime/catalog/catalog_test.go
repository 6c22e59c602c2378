package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/catalog"
	"github.com/credolabs/credo/store"
)

// versions is a store of published bodies per key, as builder leaves them.
type versions map[string][]string

func (v versions) Head(_ context.Context, _, _, key string) (int, error) { return len(v[key]), nil }
func (v versions) Body(_ context.Context, _, _, key string, n int) ([]byte, error) {
	if n < 1 || n > len(v[key]) {
		return nil, store.ErrNotFound
	}
	return []byte(v[key][n-1]), nil
}

type compiled struct {
	body  string
	epoch int
}

func TestCatalog(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pub := versions{}
	compiles, epoch := 0, 1
	c := catalog.New(pub, catalog.Options[compiled]{
		Kind: "flow", HeadTTL: time.Second, Now: func() time.Time { return now },
		Compile: func(_ context.Context, _, key string, n int, body []byte) (compiled, error) {
			compiles++
			if string(body) == "broken" {
				return compiled{}, fmt.Errorf("bad body")
			}
			return compiled{body: string(body), epoch: epoch}, nil
		},
		Current: func(_ context.Context, _ string, v compiled) (bool, error) { return v.epoch == epoch, nil },
	})

	_, _, err := c.Latest(ctx, "t", "approval")
	require.ErrorIs(t, err, catalog.ErrNotPublished)

	pub["approval"] = []string{"v1"}
	_, _, err = c.Latest(ctx, "t", "approval")
	require.ErrorIs(t, err, catalog.ErrNotPublished, "the head is trusted for its TTL")
	now = now.Add(time.Second)
	v, n, err := c.Latest(ctx, "t", "approval")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, "v1", v.body)

	c.Install("t", "approval", 2, compiled{body: "v2", epoch: epoch})
	pub["approval"] = append(pub["approval"], "v2")
	v, n, err = c.Latest(ctx, "t", "approval")
	require.NoError(t, err)
	assert.Equal(t, 2, n, "an install is seen at once")
	assert.Equal(t, 1, compiles, "the installed version is not compiled again")

	v, err = c.Version(ctx, "t", "approval", 1)
	require.NoError(t, err)
	assert.Equal(t, "v1", v.body, "old versions stay available for what runs on them")
	assert.Equal(t, 1, compiles)

	epoch++ // the form they read was republished
	_, _, err = c.Latest(ctx, "t", "approval")
	require.NoError(t, err)
	assert.Equal(t, 2, compiles, "recompiled against the new form")

	_, err = c.Version(ctx, "t", "approval", 9)
	require.ErrorIs(t, err, catalog.ErrNotPublished)
	pub["approval"] = append(pub["approval"], "broken")
	_, err = c.Version(ctx, "t", "approval", 3)
	require.ErrorContains(t, err, "no longer compiles")
}
