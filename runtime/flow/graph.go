package flow

// edge links one edge to its nodes and checks the members its source's type allows.
func (c *compiler) edge(fl *Flow, spec *EdgeSpec, i int) {
	at := ptr("/edges", i)
	from, okFrom := fl.nodes[spec.From]
	to, okTo := fl.nodes[spec.To]
	if !okFrom {
		c.ps.Add(ptr(at, "from"), "unknown_node", "names no node of this flow")
	}
	if !okTo {
		c.ps.Add(ptr(at, "to"), "unknown_node", "names no node of this flow")
	}
	if !okFrom || !okTo {
		return
	}
	e := &Edge{spec: spec, index: i, from: from, to: to}
	switch {
	case spec.From == spec.To:
		c.ps.Add(ptr(at, "to"), "self_loop", "an edge cannot lead back to its own node")
		return
	case to.spec.Type == NodeStart:
		c.ps.Add(ptr(at, "to"), "start_in", "no edge may enter the start node")
		return
	case from.spec.Type == NodeEnd:
		c.ps.Add(ptr(at, "from"), "end_out", "no edge may leave an end node")
		return
	}
	gateway := from.spec.Type == NodeGateway
	if spec.Condition != "" && !gateway {
		c.ps.Add(ptr(at, "condition"), "edge_member", "only edges leaving a gateway carry conditions")
	}
	if spec.Default && !gateway {
		c.ps.Add(ptr(at, "default"), "edge_member", "only edges leaving a gateway can be the default")
	}
	if spec.Decision != "" && from.spec.Type != NodeApproval {
		c.ps.Add(ptr(at, "decision"), "edge_member", "only edges leaving an approval node carry a decision")
	}
	if gateway {
		switch {
		case spec.Default && spec.Condition != "":
			c.ps.Add(ptr(at, "condition"), "default_condition", "the default edge is taken when no condition holds; it has none of its own")
		case !spec.Default && spec.Condition == "":
			c.ps.Add(ptr(at, "condition"), "condition_missing", "an edge leaving a gateway needs a condition unless it is the default")
		case spec.Condition != "":
			e.cond = c.compileExpr(spec.Condition, ptr(at, "condition"), "bool", isBool)
		}
	}
	from.out = append(from.out, e)
	to.in = append(to.in, e)
}

// graph checks the shape of the whole flow once every edge is linked.
func (c *compiler) graph(fl *Flow) {
	ends := 0
	for _, spec := range fl.def.Nodes {
		n := fl.nodes[spec.ID]
		if n.spec != spec {
			continue // a duplicate id, reported already
		}
		c.outEdges(n)
		if spec.Type == NodeEnd {
			ends++
		}
	}
	if fl.start == nil {
		c.ps.Add("/nodes", "missing_start", "a flow needs exactly one start node")
		return
	}
	if ends == 0 {
		c.ps.Add("/nodes", "missing_end", "a flow needs at least one end node")
		return
	}
	reached := walk([]*Node{fl.start}, func(n *Node) []*Node { return targets(n.out, true) })
	var ending []*Node
	for _, n := range fl.nodes {
		if n.spec.Type == NodeEnd {
			ending = append(ending, n)
		}
	}
	canEnd := walk(ending, func(n *Node) []*Node { return targets(n.in, false) })
	for _, spec := range fl.def.Nodes {
		n := fl.nodes[spec.ID]
		switch {
		case n.spec != spec:
		case !reached[n]:
			c.ps.Add(n.path, "unreachable", "no path from the start node leads here")
		case !canEnd[n]:
			c.ps.Add(n.path, "no_end", "no path from here leads to an end node")
		}
	}
}

// outEdges checks how many edges leave (and enter) a node for its type.
func (c *compiler) outEdges(n *Node) {
	at, out := n.path, len(n.out)
	switch n.spec.Type {
	case NodeEnd:
		return
	case NodeGateway:
		defaults := 0
		for _, e := range n.out {
			if e.spec.Default {
				defaults++
			}
		}
		if out < 2 {
			c.ps.Add(at, "gateway_edges", "a gateway needs at least two outgoing edges")
		}
		if defaults != 1 {
			c.ps.AddParams(at, "gateway_default", map[string]any{"defaults": defaults}, "a gateway needs exactly one default edge, it has %d", defaults)
		}
	case NodeParallel:
		if out < 2 {
			c.ps.Add(at, "parallel_edges", "a parallel split needs at least two outgoing edges")
		}
	case NodeApproval:
		seen := map[string]int{}
		for _, e := range n.out {
			if e.spec.Decision == "" {
				c.ps.Add(ptr("/edges", e.index, "decision"), "decision_missing", "an edge leaving an approval node names the decision (approve or reject) that takes it")
				continue
			}
			if seen[e.spec.Decision]++; seen[e.spec.Decision] == 2 {
				c.ps.Add(ptr("/edges", e.index, "decision"), "decision_duplicate", "another edge of node %s already takes %s", n.spec.ID, e.spec.Decision)
			}
		}
		for _, d := range []string{DecisionApprove, DecisionReject} {
			if seen[d] == 0 {
				c.ps.Add(at, "decision_edges", "an approval node needs one edge for %s", d)
			}
		}
	default:
		if out != 1 {
			c.ps.AddParams(at, "out_edges", map[string]any{"want": 1, "got": out}, "a %s node needs exactly one outgoing edge, it has %d", n.spec.Type, out)
		}
	}
	if n.spec.Type == NodeJoin && len(n.in) < 2 {
		c.ps.Add(at, "join_edges", "a join needs at least two incoming edges")
	}
}

func targets(es []*Edge, forward bool) []*Node {
	out := make([]*Node, len(es))
	for i, e := range es {
		if forward {
			out[i] = e.to
		} else {
			out[i] = e.from
		}
	}
	return out
}

// walk returns every node reachable from roots through next.
func walk(roots []*Node, next func(*Node) []*Node) map[*Node]bool {
	seen := map[*Node]bool{}
	stack := append([]*Node(nil), roots...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, next(n)...)
	}
	return seen
}
