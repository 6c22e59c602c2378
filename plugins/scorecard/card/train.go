package card

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// TrainOpts are the modelling choices; they are written into the model file.
type TrainOpts struct {
	Binning BinningOpts `json:"binning"`
	// MinIV leaves out attributes whose information value is below it (0.02 is the
	// usual "not predictive" line).
	MinIV float64 `json:"min_iv"`
	// L2 is the ridge penalty on the coefficients (not the intercept), in units of the
	// log-likelihood summed over rows.
	L2      float64 `json:"l2"`
	Scaling Scaling `json:"scaling"`
	// GradeShares is the share of training applicants each grade, S to D, is cut to
	// hold; they sum to 1.
	GradeShares []float64 `json:"grade_shares"`
	// Exclude names attributes never to use (for example protected attributes).
	Exclude []string `json:"exclude,omitempty"`
	// MaxReasons caps the adverse reasons a score returns.
	MaxReasons int `json:"max_reasons"`
}

// DefaultTrainOpts are the choices the shipped model uses.
func DefaultTrainOpts() TrainOpts {
	return TrainOpts{
		Binning: BinningOpts{FineBins: 20, MaxBins: 6, MinBinShare: 0.03, ChiSquare: 0,
			Monotone: true, Smoothing: 0.5},
		MinIV:       0.02,
		L2:          1,
		Scaling:     Scaling{BaseScore: 600, BaseOdds: 50, PDO: 20},
		GradeShares: []float64{0.10, 0.20, 0.30, 0.25, 0.15},
		MaxReasons:  4,
	}
}

func (o TrainOpts) validate() error {
	b := o.Binning
	if b.FineBins < 2 || b.MaxBins < 2 || b.MinBinShare < 0 || b.MinBinShare >= 0.5 || b.ChiSquare < 0 || !(b.Smoothing > 0) {
		return fmt.Errorf("binning options out of range: %+v", b)
	}
	if o.MinIV < 0 || o.L2 < 0 || o.MaxReasons < 0 {
		return errors.New("min_iv, l2 and max_reasons must not be negative")
	}
	if len(o.GradeShares) != len(Grades) {
		return fmt.Errorf("grade_shares has %d entries, want %d", len(o.GradeShares), len(Grades))
	}
	sum := 0.0
	for _, s := range o.GradeShares {
		if !(s > 0) {
			return errors.New("every grade share must be > 0")
		}
		sum += s
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("grade_shares sum to %g, want 1", sum)
	}
	return o.Scaling.validate()
}

// Spec is what the trainer needs besides the data: the modelling options, the bridge
// from Credo's loan-application record to every attribute, the default credit-limit
// policy, and the facts about the data to record in the model.
type Spec struct {
	Options TrainOpts `json:"options"`
	// Inputs maps each attribute name to its bridge.
	Inputs map[string]Input `json:"inputs"`
	Policy LimitPolicy      `json:"credit_limit_policy"`
	// Data gives the file name, licence and citation; the trainer adds the digest and counts.
	Data DataInfo `json:"data"`
	// Example is an application the report scores to show the bridge and the reasons.
	Example *Example `json:"example,omitempty"`
}

// Example is a record and the day it is scored on.
type Example struct {
	// ScoredOn is a calendar date ("2026-06-01").
	ScoredOn string         `json:"scored_on"`
	Record   map[string]any `json:"record"`
}

// DecodeSpec reads a trainer spec strictly.
func DecodeSpec(r io.Reader) (*Spec, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	dec.UseNumber() // the example record's numbers arrive as the host sends them
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode spec: trailing data")
	}
	if s.Example != nil {
		if _, err := time.Parse(time.DateOnly, s.Example.ScoredOn); err != nil {
			return nil, fmt.Errorf("decode spec: example scored_on: %w", err)
		}
	}
	return &s, nil
}

// Train fits a scorecard on the rows idx of ds: it bins every attribute, keeps the
// predictive ones, fits the logistic regression on their WoE, drops any feature whose
// coefficient comes out with the wrong sign and refits, then scales to points and cuts
// the grades from the training scores.
func Train(ds *Dataset, idx []int, spec *Spec, trainedAt time.Time) (*Model, error) {
	o := spec.Options
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	for name := range spec.Inputs {
		if ds.Attribute(name) < 0 {
			return nil, fmt.Errorf("train: spec has an input for %q, which the data does not have", name)
		}
	}
	for _, name := range o.Exclude {
		if ds.Attribute(name) < 0 {
			return nil, fmt.Errorf("train: cannot exclude %q: no such attribute", name)
		}
	}
	if err := spec.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("train: credit_limit_policy: %w", err)
	}

	type cand struct {
		col  int
		bins []Bin
	}
	var info []Candidate
	var kept []cand
	for col, a := range ds.Attributes {
		if slices.Contains(o.Exclude, a.Name) {
			info = append(info, Candidate{Name: a.Name, Decision: "excluded by the options"})
			continue
		}
		bins := binAttribute(ds, col, idx, o.Binning)
		c := Candidate{Name: a.Name, IV: round6(InformationValue(bins, o.Binning.Smoothing)), Bins: len(bins)}
		switch {
		case len(bins) < 2:
			c.Decision = "one bin after merging: no separation"
		case c.IV < o.MinIV:
			c.Decision = fmt.Sprintf("IV below %g", o.MinIV)
		default:
			c.Decision = "kept"
			kept = append(kept, cand{col, bins})
		}
		info = append(info, c)
	}

	y := make([]float64, len(idx))
	for k, r := range idx {
		if ds.Rows[r].Bad {
			y[k] = 1
		}
	}
	var fit *Logit
	for {
		if len(kept) == 0 {
			return nil, errors.New("train: no attribute is predictive enough to keep")
		}
		x := mat.NewDense(len(idx), len(kept), nil)
		for j, c := range kept {
			a := &ds.Attributes[c.col]
			for k, r := range idx {
				x.Set(k, j, c.bins[binIndex(a, c.bins, ds.Rows[r].Values[c.col])].WoE)
			}
		}
		var err error
		if fit, err = FitLogit(x, y, o.L2); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		// WoE rises with the share of goods, so every coefficient on the log-odds of bad
		// should be negative; a positive one is an artefact of collinearity and would
		// reward a worse bin.
		worst, worstCoef := -1, 0.0
		for j, b := range fit.Coef {
			if b > worstCoef {
				worst, worstCoef = j, b
			}
		}
		if worst < 0 {
			break
		}
		name := ds.Attributes[kept[worst].col].Name
		for i := range info {
			if info[i].Name == name {
				info[i].Decision = "dropped: its coefficient took the wrong sign next to the kept features"
			}
		}
		kept = slices.Delete(kept, worst, worst+1)
	}

	factor := o.Scaling.Factor()
	m := &Model{
		FormatVersion:   FormatVersion,
		TrainedAt:       trainedAt.UTC().Truncate(time.Second),
		Data:            spec.Data,
		Scaling:         o.Scaling,
		InterceptPoints: int(math.Round(o.Scaling.Offset() - factor*fit.Intercept)),
		Policy:          spec.Policy,
		MaxReasons:      o.MaxReasons,
		Training: TrainingInfo{Options: o, Intercept: round6(fit.Intercept),
			InterceptStdErr: round6(fit.StdErr[0]), Candidates: info},
	}
	m.Data.Name, m.Data.SHA256, m.Data.Rows = ds.Name, ds.SHA256, len(idx)
	m.Data.Bads = int(floats.Sum(y))
	for j, c := range kept {
		a := &ds.Attributes[c.col]
		in, ok := spec.Inputs[a.Name]
		if !ok {
			return nil, fmt.Errorf("train: the spec has no input for the kept attribute %s", a.Name)
		}
		f := Feature{Name: a.Name, Kind: a.Kind, Title: a.Title, Coefficient: round6(fit.Coef[j]),
			StdErr: round6(fit.StdErr[j+1]), IV: round6(InformationValue(c.bins, o.Binning.Smoothing)),
			Input: in, Bins: c.bins,
			MissingText: Text{EN: a.Title.EN + ": not provided; scored as neutral",
				ZH: a.Title.ZH + "：未提供，按中性计分"},
			UnmappedText: Text{EN: a.Title.EN + ": value not covered by the scorecard; scored as neutral",
				ZH: a.Title.ZH + "：取值不在评分卡范围内，按中性计分"},
		}
		for _, code := range a.Codes {
			f.Categories = append(f.Categories, Category(code))
		}
		unit, scale := a.Unit, 1.0
		if in.Unit != nil {
			unit = *in.Unit
		}
		if a.Kind == Numeric && in.Scale != 0 {
			scale = in.Scale
		}
		labelBins(a, f.Bins, unit, scale)
		for b := range f.Bins {
			f.Bins[b].WoE = round6(f.Bins[b].WoE)
			f.Bins[b].Points = int(math.Round(-factor * fit.Coef[j] * f.Bins[b].WoE))
		}
		m.Features = append(m.Features, f)
	}

	// Grade cut-offs from the training scores: the best GradeShares[0] get S, and so on.
	m.Grades = make([]GradeCut, len(Grades))
	for i, g := range Grades {
		m.Grades[i] = GradeCut{Grade: g, TrainingShare: o.GradeShares[i]}
	}
	provisional := 0
	for i := range len(Grades) - 1 {
		p := provisional - i
		m.Grades[i].MinScore = &p
	}
	card, err := Compile(m)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	scores, err := card.ScoreRows(ds, idx)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	cuts := gradeCuts(scores, o.GradeShares)
	for i := range cuts {
		c := cuts[i]
		m.Grades[i].MinScore = &c
	}
	if m.ModelVersion, err = m.contentVersion(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return m, nil
}

// gradeCuts returns the lowest score of each grade but the last: the score of the
// applicant at the grade's cumulative share from the top, kept strictly falling.
func gradeCuts(scores []int, shares []float64) []int {
	s := slices.Clone(scores)
	sort.Sort(sort.Reverse(sort.IntSlice(s)))
	cuts := make([]int, len(shares)-1)
	cum := 0.0
	for i := range cuts {
		cum += shares[i]
		k := max(int(math.Ceil(cum*float64(len(s))))-1, 0)
		cuts[i] = s[min(k, len(s)-1)]
		if i > 0 && cuts[i] >= cuts[i-1] {
			cuts[i] = cuts[i-1] - 1
		}
	}
	return cuts
}

// round6 keeps six decimals, so the model file reads cleanly and does not carry noise
// from the last bits of the optimiser.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
