package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"slices"
	"strconv"
)

// canonical is an entry body cut into its members as encoding/json writes them for a
// map (keys in byte order, HTML-escaped), so the hash of the body with its place in the
// chain is a splice of ready bytes: the JSON work stays in Prepare, off the store's single
// writer, and the result equals hashData's over the stored document. The members that
// sort before the link fields (the diff among them, most of an entry) are hashed in
// Prepare too: hashLinked goes on from that state with the link fields and the few
// members after them.
type canonical struct {
	keys    []string
	members [][]byte // `"key":value`, in keys' order
	// head is the hash of '{' and the members before "prev", which are keys[:rest].
	head hash.Hash
	rest int
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
	c.head = sha256.New()
	c.head.Write([]byte{'{'})
	for c.rest < len(c.keys) && c.keys[c.rest] < "prev" {
		if c.rest > 0 {
			c.head.Write([]byte{','})
		}
		c.head.Write(c.members[c.rest])
		c.rest++
	}
	return c, nil
}

// hashLinked is hashData of the body with seq and prev added.
func (c *canonical) hashLinked(seq int64, prev string) (string, error) {
	pb, err := json.Marshal(prev)
	if err != nil {
		return "", err
	}
	cl, err := c.head.(hash.Cloner).Clone() // an append may try several places
	if err != nil {
		return "", err
	}
	h := cl.(hash.Hash)
	links := []struct {
		key   string
		value []byte
	}{{"prev", pb}, {"seq", strconv.AppendInt(nil, seq, 10)}}
	b := make([]byte, 0, 64+len(pb))
	written := c.rest > 0
	write := func(m []byte) {
		if written {
			b = append(b, ',')
		}
		b = append(b, m...)
		written = true
	}
	l := 0
	for i := c.rest; i < len(c.keys); i++ {
		for l < len(links) && links[l].key < c.keys[i] {
			write(append(append([]byte(strconv.Quote(links[l].key)), ':'), links[l].value...))
			l++
		}
		write(c.members[i])
	}
	for ; l < len(links); l++ {
		write(append(append([]byte(strconv.Quote(links[l].key)), ':'), links[l].value...))
	}
	b = append(b, '}')
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}
