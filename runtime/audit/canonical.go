package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
)

// canonical is an entry body cut into its members as encoding/json writes them for a
// map (keys in byte order, HTML-escaped), so the hash of the body with its place in the
// chain is a splice of ready bytes: the JSON work stays in Prepare, off the store's single
// writer, and the result equals hashData's over the stored document.
type canonical struct {
	keys    []string
	members [][]byte // `"key":value`, in keys' order
}

func canonicalOf(body map[string]any) (*canonical, error) {
	c := &canonical{keys: make([]string, 0, len(body))}
	for k := range body {
		if k != "seq" && k != "prev" && k != "hash" { // the link fields are hashLinked's
			c.keys = append(c.keys, k)
		}
	}
	slices.Sort(c.keys)
	c.members = make([][]byte, len(c.keys))
	for i, k := range c.keys {
		vb, err := marshalPlain(body[k])
		if err != nil {
			return nil, err
		}
		c.members[i] = append(append(appendString(nil, k), ':'), vb...)
	}
	return c, nil
}

// hashLinked is hashData of the body with seq and prev added.
func (c *canonical) hashLinked(seq int64, prev string) (string, error) {
	pb, err := json.Marshal(prev)
	if err != nil {
		return "", err
	}
	links := []struct {
		key   string
		value []byte
	}{{"prev", pb}, {"seq", strconv.AppendInt(nil, seq, 10)}}
	size := 2 + 16 + len(pb)
	for _, m := range c.members {
		size += len(m) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	write := func(m []byte) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, m...)
	}
	l := 0
	for i, k := range c.keys {
		for l < len(links) && links[l].key < k {
			write(append(append([]byte(strconv.Quote(links[l].key)), ':'), links[l].value...))
			l++
		}
		write(c.members[i])
	}
	for ; l < len(links); l++ {
		write(append(append([]byte(strconv.Quote(links[l].key)), ':'), links[l].value...))
	}
	b = append(b, '}')
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
