package card

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// BinningOpts tunes coarse classing. The zero value of a field takes the default of
// DefaultTrainOpts.
type BinningOpts struct {
	// FineBins is how many quantile groups a numeric attribute starts from (distinct
	// values are never split, so there may be fewer).
	FineBins int `json:"fine_bins"`
	// MaxBins caps the bins of one attribute.
	MaxBins int `json:"max_bins"`
	// MinBinShare is the smallest share of training rows a bin may hold.
	MinBinShare float64 `json:"min_bin_share"`
	// ChiSquare is the ChiMerge threshold: adjacent bins whose good/bad split does not
	// differ at this chi-square (1 degree of freedom) are merged. 3.841 is the 5% level.
	ChiSquare float64 `json:"chi_square"`
	// Monotone makes a numeric attribute's bad rate rise or fall steadily across its
	// bins (the direction the data shows), merging bins that break the trend.
	Monotone bool `json:"monotone"`
	// Smoothing is the pseudo-count added to every bin's goods and bads when computing
	// weight of evidence, so no bin's WoE is infinite.
	Smoothing float64 `json:"smoothing"`
}

// Bin is one coarse class of a feature with its training counts, weight of evidence and
// points.
type Bin struct {
	// Categories holds a categorical bin's codes.
	Categories []string `json:"categories,omitempty"`
	// Lower and Upper bound a numeric bin: lower <= x < upper; nil means unbounded.
	Lower *float64 `json:"lower,omitempty"`
	Upper *float64 `json:"upper,omitempty"`
	// Code is the bin's stable reason code ("checking_status.overdrawn").
	Code string `json:"code"`
	// Label describes the bin to a person ("overdrawn (balance below 0 DM)").
	Label Text `json:"label"`
	// Goods and Bads are the training rows that fell in the bin.
	Goods int `json:"goods"`
	Bads  int `json:"bads"`
	// WoE is ln(share of goods / share of bads), smoothed; above 0 is better than average.
	WoE float64 `json:"woe"`
	// Points is what the bin adds to the score.
	Points int `json:"points"`
}

// contains reports whether a numeric value falls in b.
func (b *Bin) contains(x float64) bool {
	return (b.Lower == nil || x >= *b.Lower) && (b.Upper == nil || x < *b.Upper)
}

// group is a bin under construction.
type group struct {
	cats   []string
	lo, hi float64 // smallest and largest value seen (numeric)
	g, b   int
}

func (g group) n() int { return g.g + g.b }

// badRate orders groups; the half-counts keep tiny groups from sorting to the extremes.
func (g group) badRate() float64 { return (float64(g.b) + 0.5) / (float64(g.n()) + 1) }

// binAttribute coarse-classes one attribute over the rows in idx and returns its bins
// with counts and WoE (no labels or points yet).
func binAttribute(ds *Dataset, col int, idx []int, opts BinningOpts) []Bin {
	a := &ds.Attributes[col]
	var groups []group
	switch a.Kind {
	case Categorical:
		groups = categoricalGroups(ds, col, idx)
	case Numeric:
		groups = fineGroups(ds, col, idx, opts.FineBins)
	}
	minCount := int(math.Ceil(opts.MinBinShare * float64(len(idx))))
	groups = chiMerge(groups, minCount, opts.MaxBins, opts.ChiSquare)
	if a.Kind == Numeric && opts.Monotone {
		groups = monotone(groups)
	}
	bins := make([]Bin, len(groups))
	for i, g := range groups {
		bins[i].Goods, bins[i].Bads = g.g, g.b
		switch a.Kind {
		case Categorical:
			bins[i].Categories = slices.Clone(g.cats)
			slices.SortFunc(bins[i].Categories, func(x, y string) int { return codeOrder(a, x) - codeOrder(a, y) })
		case Numeric:
			if i > 0 {
				lo := g.lo
				bins[i].Lower = &lo
			}
			if i < len(groups)-1 {
				hi := groups[i+1].lo
				bins[i].Upper = &hi
			}
		}
	}
	if a.Kind == Categorical {
		// Present categorical bins in codebook order, so the report and the model file
		// read like the codebook.
		slices.SortStableFunc(bins, func(x, y Bin) int {
			return codeOrder(a, x.Categories[0]) - codeOrder(a, y.Categories[0])
		})
	}
	setWoE(bins, opts.Smoothing)
	return bins
}

func codeOrder(a *Attribute, code string) int {
	for i, c := range a.Codes {
		if c.Code == code {
			return i
		}
	}
	return len(a.Codes)
}

// categoricalGroups starts one group per observed category, ordered by bad rate so that
// ChiMerge merges categories of similar risk.
func categoricalGroups(ds *Dataset, col int, idx []int) []group {
	byCat := map[string]*group{}
	for _, i := range idx {
		r := ds.Rows[i]
		c := r.Values[col].Cat
		g := byCat[c]
		if g == nil {
			g = &group{cats: []string{c}}
			byCat[c] = g
		}
		if r.Bad {
			g.b++
		} else {
			g.g++
		}
	}
	groups := make([]group, 0, len(byCat))
	for _, g := range byCat {
		groups = append(groups, *g)
	}
	slices.SortFunc(groups, func(x, y group) int {
		if c := cmp.Compare(x.badRate(), y.badRate()); c != 0 {
			return c
		}
		return strings.Compare(x.cats[0], y.cats[0])
	})
	return groups
}

// fineGroups splits a numeric attribute into about n groups of equal size, never
// splitting one value across two groups.
func fineGroups(ds *Dataset, col int, idx []int, n int) []group {
	type point struct {
		x   float64
		bad bool
	}
	pts := make([]point, len(idx))
	for k, i := range idx {
		pts[k] = point{ds.Rows[i].Values[col].Num, ds.Rows[i].Bad}
	}
	slices.SortFunc(pts, func(p, q point) int { return cmp.Compare(p.x, q.x) })
	var groups []group
	target := float64(len(pts)) / float64(max(n, 1))
	cur := group{lo: pts[0].x}
	for k, p := range pts {
		if k > 0 && p.x != pts[k-1].x && float64(k) >= target*float64(len(groups)+1) && cur.n() > 0 {
			groups = append(groups, cur)
			cur = group{lo: p.x}
		}
		cur.hi = p.x
		if p.bad {
			cur.b++
		} else {
			cur.g++
		}
	}
	return append(groups, cur)
}

// chiMerge merges adjacent groups, first every group smaller than minCount, then the
// pair whose good/bad split differs least while that difference is below threshold or
// there are more than maxBins groups.
func chiMerge(groups []group, minCount, maxBins int, threshold float64) []group {
	for len(groups) > 1 {
		small, smallest := -1, minCount
		for i, g := range groups {
			if g.n() < smallest {
				small, smallest = i, g.n()
			}
		}
		if small >= 0 {
			// Merge the small group into the neighbour it differs from least.
			j := small - 1
			if j < 0 || (small+1 < len(groups) && chi2(groups[small], groups[small+1]) < chi2(groups[j], groups[small])) {
				j = small
			}
			groups = merge(groups, j)
			continue
		}
		best, bestChi := -1, math.Inf(1)
		for i := 0; i+1 < len(groups); i++ {
			if c := chi2(groups[i], groups[i+1]); c < bestChi {
				best, bestChi = i, c
			}
		}
		if bestChi >= threshold && len(groups) <= maxBins {
			break
		}
		groups = merge(groups, best)
	}
	return groups
}

// monotone merges adjacent groups until the bad rate moves in one direction only: the
// direction of the count-weighted trend of the groups' bad rates.
func monotone(groups []group) []group {
	var n, sx, sr, sxr, sxx float64
	for i, g := range groups {
		w, x, r := float64(g.n()), float64(i), g.badRate()
		n += w
		sx += w * x
		sr += w * r
		sxr += w * x * r
		sxx += w * x * x
	}
	rising := sxr*n-sx*sr >= 0
	for {
		worst, worstChi := -1, math.Inf(1)
		for i := 0; i+1 < len(groups); i++ {
			a, b := groups[i].badRate(), groups[i+1].badRate()
			if (rising && b < a) || (!rising && b > a) {
				if c := chi2(groups[i], groups[i+1]); c < worstChi {
					worst, worstChi = i, c
				}
			}
		}
		if worst < 0 {
			return groups
		}
		groups = merge(groups, worst)
	}
}

// merge joins groups i and i+1.
func merge(groups []group, i int) []group {
	a, b := groups[i], groups[i+1]
	m := group{cats: append(slices.Clone(a.cats), b.cats...), lo: a.lo, hi: b.hi, g: a.g + b.g, b: a.b + b.b}
	out := append(slices.Clone(groups[:i]), m)
	return append(out, groups[i+2:]...)
}

// chi2 is Pearson's chi-square of the 2×2 table (group × good/bad); 0 when a whole row
// or column is empty, since then the two groups cannot be told apart.
func chi2(x, y group) float64 {
	obs := [2][2]float64{{float64(x.g), float64(x.b)}, {float64(y.g), float64(y.b)}}
	rows := [2]float64{obs[0][0] + obs[0][1], obs[1][0] + obs[1][1]}
	cols := [2]float64{obs[0][0] + obs[1][0], obs[0][1] + obs[1][1]}
	total := rows[0] + rows[1]
	var c float64
	for i := range 2 {
		for j := range 2 {
			e := rows[i] * cols[j] / total
			if e == 0 {
				return 0
			}
			d := obs[i][j] - e
			c += d * d / e
		}
	}
	return c
}

// setWoE fills each bin's weight of evidence with Laplace smoothing s.
func setWoE(bins []Bin, s float64) {
	var goods, bads int
	for _, b := range bins {
		goods += b.Goods
		bads += b.Bads
	}
	k := float64(len(bins))
	for i := range bins {
		pg := (float64(bins[i].Goods) + s) / (float64(goods) + k*s)
		pb := (float64(bins[i].Bads) + s) / (float64(bads) + k*s)
		bins[i].WoE = math.Log(pg / pb)
	}
}

// InformationValue is Σ (share of goods − share of bads) × WoE over the bins, with the
// same smoothing as the WoE: how well the feature alone separates goods from bads.
func InformationValue(bins []Bin, s float64) float64 {
	var goods, bads int
	for _, b := range bins {
		goods += b.Goods
		bads += b.Bads
	}
	k := float64(len(bins))
	iv := 0.0
	for _, b := range bins {
		pg := (float64(b.Goods) + s) / (float64(goods) + k*s)
		pb := (float64(b.Bads) + s) / (float64(bads) + k*s)
		iv += (pg - pb) * math.Log(pg/pb)
	}
	return iv
}

// labelBins names each bin for people (Label) and machines (Code). unit and scale
// describe how a numeric value is shown: the model's value divided by scale, in unit
// (a loan amount binned in DM shown in CNY).
func labelBins(a *Attribute, bins []Bin, unit Text, scale float64) {
	for i := range bins {
		b := &bins[i]
		switch {
		case a.Kind == Categorical:
			var slugs []string
			var en, zh []string
			for _, c := range b.Categories {
				code, _ := a.code(c)
				slugs = append(slugs, code.Slug)
				en = append(en, code.Label.EN)
				zh = append(zh, code.Label.ZH)
			}
			b.Code = a.Name + "." + strings.Join(slugs, "_or_")
			b.Label = Text{EN: joinOr(en, ", ", " or "), ZH: joinOr(zh, "、", "或")}
		case len(a.Levels) > 0:
			var en, zh []string
			for _, l := range a.Levels {
				if b.contains(l.Value) {
					en = append(en, l.Label.EN)
					zh = append(zh, l.Label.ZH)
				}
			}
			b.Code = a.Name + "." + rangeCode(b)
			b.Label = Text{EN: joinOr(en, ", ", " or "), ZH: joinOr(zh, "、", "或")}
		default:
			b.Code = a.Name + "." + rangeCode(b)
			b.Label = rangeLabel(b, unit, scale)
		}
	}
}

func joinOr(parts []string, sep, last string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], sep) + last + parts[len(parts)-1]
}

func rangeCode(b *Bin) string {
	num := func(x float64) string { return strings.ReplaceAll(strconv.FormatFloat(x, 'f', -1, 64), ".", "p") }
	switch {
	case b.Lower == nil && b.Upper == nil:
		return "any"
	case b.Lower == nil:
		return "lt_" + num(*b.Upper)
	case b.Upper == nil:
		return "ge_" + num(*b.Lower)
	}
	return num(*b.Lower) + "_to_" + num(*b.Upper)
}

func rangeLabel(b *Bin, unit Text, scale float64) Text {
	show := func(x float64) string { return thousands(x / scale) }
	en := func(s string) string {
		if unit.EN == "" {
			return s
		}
		return s + " " + unit.EN
	}
	switch {
	case b.Lower == nil && b.Upper == nil:
		return Text{EN: "any value", ZH: "任意取值"}
	case b.Lower == nil:
		return Text{EN: "under " + en(show(*b.Upper)), ZH: "不满" + show(*b.Upper) + unit.ZH}
	case b.Upper == nil:
		return Text{EN: en(show(*b.Lower)) + " or more", ZH: show(*b.Lower) + unit.ZH + "及以上"}
	}
	return Text{EN: show(*b.Lower) + " to under " + en(show(*b.Upper)),
		ZH: show(*b.Lower) + "至不满" + show(*b.Upper) + unit.ZH}
}

// thousands formats x rounded to a whole number with comma separators.
func thousands(x float64) string {
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// binIndex returns the bin a value falls in, or -1 when no bin holds it (a category
// the training data never showed).
func binIndex(a *Attribute, bins []Bin, v Value) int {
	for i := range bins {
		if a.Kind == Categorical {
			if slices.Contains(bins[i].Categories, v.Cat) {
				return i
			}
		} else if bins[i].contains(v.Num) {
			return i
		}
	}
	return -1
}
