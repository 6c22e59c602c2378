package card

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Card is a validated model ready to score; it is immutable and safe for concurrent use.
type Card struct {
	m     *Model
	feats []compiledFeature
}

type compiledFeature struct {
	f      *Feature
	attr   Attribute // the kind and bins as binIndex expects them
	catBin map[string]int
	best   int // the most points any bin gives
}

// Compile validates m and prepares it for scoring.
func Compile(m *Model) (*Card, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("compile model: %w", err)
	}
	c := &Card{m: m}
	for i := range m.Features {
		f := &m.Features[i]
		cf := compiledFeature{f: f, attr: Attribute{Name: f.Name, Kind: f.Kind}, best: math.MinInt}
		if f.Kind == Categorical {
			cf.catBin = map[string]int{}
			for j, b := range f.Bins {
				for _, cat := range b.Categories {
					cf.catBin[cat] = j
				}
			}
		}
		for _, b := range f.Bins {
			cf.best = max(cf.best, b.Points)
		}
		c.feats = append(c.feats, cf)
	}
	return c, nil
}

// Model returns the model the card was compiled from; callers must not modify it.
func (c *Card) Model() *Model { return c.m }

// Result is the score of one applicant.
type Result struct {
	Score int
	// PD is the probability of default the score stands for under the model's scaling.
	PD    float64
	Grade string
	// Features holds each feature's contribution, in model order.
	Features []FeatureScore
	// Reasons are the features that cost the most points against their best bin, most
	// costly first, at most the model's MaxReasons.
	Reasons []Reason
	// Notes name the features scored as neutral because their input was missing or
	// had no bin, in model order.
	Notes []Reason
}

// FeatureScore is one feature's part of a score.
type FeatureScore struct {
	Name   string
	Status Status
	// Bin is the index of the bin used, -1 when the feature scored as neutral.
	Bin int
	// Category is the applicant's category code, for a categorical feature.
	Category string
	Points   int
}

// Reason explains one part of a score.
type Reason struct {
	Code string
	Text Text
	// Points is what this part cost against the feature's best bin (negative), or 0
	// for a note.
	Points int
}

// Score scores one record. now is the scoring time (for ages). A field of the wrong
// type is an *InputError.
func (c *Card) Score(rec map[string]any, now time.Time) (*Result, error) {
	res := &Result{Score: c.m.InterceptPoints, Features: make([]FeatureScore, len(c.feats))}
	type loss struct {
		i    int
		lost int
	}
	var losses []loss
	for i := range c.feats {
		cf := &c.feats[i]
		v, st, err := cf.f.Input.resolve(cf.f.Kind, rec, now)
		if err != nil {
			return nil, fmt.Errorf("score %s: %w", cf.f.Name, err)
		}
		fs := FeatureScore{Name: cf.f.Name, Status: st, Bin: -1, Category: v.Cat}
		if st == Found {
			if fs.Bin = cf.bin(v); fs.Bin < 0 {
				fs.Status = Unmapped
			}
		}
		switch fs.Status {
		case Found:
			fs.Points = cf.f.Bins[fs.Bin].Points
			if l := cf.best - fs.Points; l > 0 {
				losses = append(losses, loss{i, l})
			}
		case Missing:
			res.Notes = append(res.Notes, Reason{Code: cf.f.Name + ".missing", Text: cf.f.MissingText})
		case Unmapped:
			res.Notes = append(res.Notes, Reason{Code: cf.f.Name + ".unmapped", Text: cf.f.UnmappedText})
		}
		res.Score += fs.Points
		res.Features[i] = fs
	}
	slices.SortStableFunc(losses, func(a, b loss) int { return cmp.Compare(b.lost, a.lost) })
	for _, l := range losses[:min(len(losses), c.m.MaxReasons)] {
		f := c.feats[l.i].f
		fs := res.Features[l.i]
		code, label := f.Bins[fs.Bin].Code, f.Bins[fs.Bin].Label
		if cat, ok := f.category(fs.Category); ok {
			// Name the applicant's own category rather than the merged bin.
			code, label = f.Name+"."+cat.Slug, cat.Label
		}
		res.Reasons = append(res.Reasons, Reason{Code: code, Points: -l.lost,
			Text: Text{EN: f.Title.EN + ": " + label.EN, ZH: f.Title.ZH + "：" + label.ZH}})
	}
	res.PD = c.m.Scaling.PD(float64(res.Score))
	res.Grade = c.Grade(res.Score)
	return res, nil
}

func (cf *compiledFeature) bin(v Value) int {
	if cf.f.Kind == Categorical {
		if j, ok := cf.catBin[v.Cat]; ok {
			return j
		}
		return -1
	}
	return binIndex(&cf.attr, cf.f.Bins, v)
}

// Grade returns the grade of a score.
func (c *Card) Grade(score int) string {
	for _, g := range c.m.Grades {
		if g.MinScore == nil || score >= *g.MinScore {
			return g.Grade
		}
	}
	return c.m.Grades[len(c.m.Grades)-1].Grade
}

// ScoreRows scores rows of a data set with the dataset's own values (no bridge), as
// training and validation do.
func (c *Card) ScoreRows(ds *Dataset, idx []int) ([]int, error) {
	cols := make([]int, len(c.feats))
	for i, cf := range c.feats {
		if cols[i] = ds.Attribute(cf.f.Name); cols[i] < 0 {
			return nil, fmt.Errorf("score rows: the data has no attribute %s", cf.f.Name)
		}
	}
	out := make([]int, len(idx))
	for k, r := range idx {
		s := c.m.InterceptPoints
		for i := range c.feats {
			if j := c.feats[i].bin(ds.Rows[r].Values[cols[i]]); j >= 0 {
				s += c.feats[i].f.Bins[j].Points
			}
		}
		out[k] = s
	}
	return out, nil
}
