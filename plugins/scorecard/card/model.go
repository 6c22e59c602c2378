package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// FormatVersion is the version of the model file's layout. A reader refuses other
// versions rather than guess.
const FormatVersion = 1

// Model is the model file: everything needed to score an applicant and to explain the
// score, with the facts of how it was made.
type Model struct {
	FormatVersion int `json:"format_version"`
	// ModelVersion names this fit; it is derived from the content (everything but
	// trained_at), so two files with the same version score identically.
	ModelVersion string    `json:"model_version"`
	TrainedAt    time.Time `json:"trained_at"`
	Data         DataInfo  `json:"data"`
	Scaling      Scaling   `json:"scaling"`
	// InterceptPoints is the part of every score that no feature explains.
	InterceptPoints int       `json:"intercept_points"`
	Features        []Feature `json:"features"`
	// Grades holds the grade cut-offs, best first; the last grade takes every lower score.
	Grades []GradeCut `json:"grades"`
	// Policy is the default credit-limit policy; tenants may override it per call.
	Policy LimitPolicy `json:"credit_limit_policy"`
	// MaxReasons caps the adverse reasons returned with a score.
	MaxReasons int          `json:"max_reasons"`
	Training   TrainingInfo `json:"training"`
}

// DataInfo identifies the training data.
type DataInfo struct {
	Name     string `json:"name"`
	File     string `json:"file"`
	SHA256   string `json:"sha256"`
	Rows     int    `json:"rows"`
	Bads     int    `json:"bads"`
	Licence  string `json:"licence"`
	Citation string `json:"citation"`
}

// Scaling turns log-odds into points: BaseScore points at BaseOdds (good:bad), and PDO
// more points for every doubling of the odds.
type Scaling struct {
	BaseScore float64 `json:"base_score"`
	BaseOdds  float64 `json:"base_odds"`
	PDO       float64 `json:"pdo"`
}

// Factor is the points per unit of log-odds, PDO / ln 2.
func (s Scaling) Factor() float64 { return s.PDO / math.Ln2 }

// Offset is the score at even odds.
func (s Scaling) Offset() float64 { return s.BaseScore - s.Factor()*math.Log(s.BaseOdds) }

// PD is the probability of default that a score stands for.
func (s Scaling) PD(score float64) float64 { return 1 / (1 + math.Exp((score-s.Offset())/s.Factor())) }

// ScoreAtPD is the score whose probability of default is pd.
func (s Scaling) ScoreAtPD(pd float64) float64 { return s.Offset() + s.Factor()*math.Log((1-pd)/pd) }

func (s Scaling) validate() error {
	if !(s.BaseOdds > 0) || !(s.PDO > 0) || math.IsNaN(s.BaseScore) || math.IsInf(s.BaseScore, 0) {
		return fmt.Errorf("scaling needs base_odds > 0 and pdo > 0, got %+v", s)
	}
	return nil
}

// Feature is one scored characteristic: where its value comes from in a record, its
// bins, and each bin's points.
type Feature struct {
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
	Title Text   `json:"title"`
	// Categories lists every documented category of a categorical feature, including
	// ones the training data never showed (they score as neutral).
	Categories []Category `json:"categories,omitempty"`
	// Coefficient is the logistic-regression weight on the feature's WoE (log-odds of
	// bad), StdErr its standard error, IV the feature's information value in training.
	Coefficient float64 `json:"coefficient"`
	StdErr      float64 `json:"std_err"`
	IV          float64 `json:"iv"`
	// Input is the bridge from a loan-application record to this feature.
	Input Input `json:"input"`
	Bins  []Bin `json:"bins"`
	// MissingText explains a neutral score when the record lacks the input; UnmappedText
	// when the input holds a value the scorecard has no bin for.
	MissingText  Text `json:"missing_text"`
	UnmappedText Text `json:"unmapped_text"`
}

// Category is one documented category of a categorical feature. Reasons name the
// applicant's own category ("Loan purpose: education"), not the merged bin.
type Category struct {
	Code  string `json:"code"`
	Slug  string `json:"slug"`
	Label Text   `json:"label"`
}

// category returns the feature's category with code c.
func (f *Feature) category(c string) (Category, bool) {
	for _, x := range f.Categories {
		if x.Code == c {
			return x, true
		}
	}
	return Category{}, false
}

// GradeCut is the lowest score of a grade.
type GradeCut struct {
	Grade string `json:"grade"`
	// MinScore is nil for the last grade, which takes every score below the others.
	MinScore *int `json:"min_score,omitempty"`
	// TrainingShare is the share of training applicants the grade was cut to hold.
	TrainingShare float64 `json:"training_share"`
}

// TrainingInfo records how the model was made.
type TrainingInfo struct {
	Options TrainOpts `json:"options"`
	// Intercept is the fitted intercept (log-odds of bad at all-neutral WoE).
	Intercept       float64 `json:"intercept"`
	InterceptStdErr float64 `json:"intercept_std_err"`
	// Candidates lists every attribute considered, with its IV and what became of it.
	Candidates []Candidate `json:"candidates"`
	// Validation summarises the cross-validation run with the same options.
	Validation *ValidationSummary `json:"validation,omitempty"`
}

// Candidate is one attribute the trainer considered.
type Candidate struct {
	Name string  `json:"name"`
	IV   float64 `json:"iv"`
	Bins int     `json:"bins"`
	// Decision is "kept", or why the attribute was left out.
	Decision string `json:"decision"`
}

// ValidationSummary is the headline of a cross-validation.
type ValidationSummary struct {
	Folds   int     `json:"folds"`
	Seed    uint64  `json:"seed"`
	AUCMean float64 `json:"auc_mean"`
	AUCSD   float64 `json:"auc_sd"`
	KSMean  float64 `json:"ks_mean"`
	// CostMean is the mean cost per applicant under the data's 5:1 cost matrix,
	// rejecting when PD > 1/6.
	CostMean float64 `json:"cost_mean"`
}

// Reads lists the record fields the model reads, once each: every bridge field in
// feature order, then the income fields of the limit policy.
func (m *Model) Reads() []string {
	var out []string
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range m.Features {
		for _, x := range f.Input.Fields {
			add(x)
		}
	}
	for _, k := range sortedKeys(m.Policy.IncomeFields) {
		add(k)
	}
	return out
}

// Grades are the grade names, best first.
var Grades = []string{"S", "A", "B", "C", "D"}

// Decode reads a model file strictly: unknown fields, trailing data and other format
// versions are errors.
func Decode(r io.Reader) (*Model, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode model: trailing data after the model")
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("decode model: format_version %d, this reader knows %d", m.FormatVersion, FormatVersion)
	}
	return &m, nil
}

// Encode writes m as indented JSON with a final newline; the output is deterministic.
func (m *Model) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Notes and labels are for people: keep "<" and "&" readable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	return nil
}

// contentVersion derives ModelVersion from everything except trained_at and the
// version itself.
func (m *Model) contentVersion() (string, error) {
	c := *m
	c.ModelVersion, c.TrainedAt = "", time.Time{}
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return "german-woe-lr-" + hex.EncodeToString(sum[:6]), nil
}

// Validate checks that m is complete and consistent: the scaling, every feature's
// bins and bridge, the grade ladder and the limit policy.
func (m *Model) Validate() error {
	if err := m.Scaling.validate(); err != nil {
		return err
	}
	if len(m.Features) == 0 {
		return errors.New("model has no features")
	}
	seen := map[string]bool{}
	for i := range m.Features {
		f := &m.Features[i]
		if seen[f.Name] {
			return fmt.Errorf("feature %q appears twice", f.Name)
		}
		seen[f.Name] = true
		if err := f.validate(); err != nil {
			return fmt.Errorf("feature %s: %w", f.Name, err)
		}
	}
	if len(m.Grades) != len(Grades) {
		return fmt.Errorf("model has %d grades, want %d (S, A, B, C, D)", len(m.Grades), len(Grades))
	}
	for i, g := range m.Grades {
		if g.Grade != Grades[i] {
			return fmt.Errorf("grade %d is %q, want %q", i, g.Grade, Grades[i])
		}
		last := i == len(m.Grades)-1
		if last != (g.MinScore == nil) {
			return fmt.Errorf("grade %s: only the last grade has no min_score", g.Grade)
		}
		if i > 0 && !last && *g.MinScore >= *m.Grades[i-1].MinScore {
			return fmt.Errorf("grade %s: min_score %d is not below grade %s's %d", g.Grade, *g.MinScore,
				m.Grades[i-1].Grade, *m.Grades[i-1].MinScore)
		}
	}
	if m.MaxReasons < 0 {
		return errors.New("max_reasons is negative")
	}
	if err := m.Policy.Validate(); err != nil {
		return fmt.Errorf("credit_limit_policy: %w", err)
	}
	return nil
}

func (f *Feature) validate() error {
	if len(f.Bins) == 0 {
		return errors.New("no bins")
	}
	switch f.Kind {
	case Categorical:
		owner := map[string]bool{}
		for _, b := range f.Bins {
			if len(b.Categories) == 0 || b.Lower != nil || b.Upper != nil {
				return fmt.Errorf("bin %s: a categorical bin has categories and no bounds", b.Code)
			}
			for _, c := range b.Categories {
				if owner[c] {
					return fmt.Errorf("category %s is in two bins", c)
				}
				if _, ok := f.category(c); !ok {
					return fmt.Errorf("bin %s: category %s is not among the feature's codes", b.Code, c)
				}
				owner[c] = true
			}
		}
	case Numeric:
		for i, b := range f.Bins {
			if len(b.Categories) > 0 {
				return fmt.Errorf("bin %s: a numeric bin has no categories", b.Code)
			}
			if (i == 0) != (b.Lower == nil) || (i == len(f.Bins)-1) != (b.Upper == nil) {
				return fmt.Errorf("bin %s: only the first bin is open below and only the last open above", b.Code)
			}
			if i > 0 && (f.Bins[i-1].Upper == nil || *f.Bins[i-1].Upper != *b.Lower) {
				return fmt.Errorf("bin %s does not start where the previous bin ends", b.Code)
			}
			if b.Lower != nil && b.Upper != nil && !(*b.Lower < *b.Upper) {
				return fmt.Errorf("bin %s is empty", b.Code)
			}
		}
	default:
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	for _, b := range f.Bins {
		if b.Code == "" || b.Label.EN == "" || b.Label.ZH == "" {
			return fmt.Errorf("a bin lacks its code or label")
		}
	}
	for _, c := range f.Categories {
		if c.Code == "" || c.Slug == "" || c.Label.EN == "" || c.Label.ZH == "" {
			return fmt.Errorf("category %q lacks its code, slug or label", c.Code)
		}
	}
	if f.Title.EN == "" || f.Title.ZH == "" || f.MissingText.EN == "" || f.MissingText.ZH == "" ||
		f.UnmappedText.EN == "" || f.UnmappedText.ZH == "" {
		return errors.New("the feature lacks its title or neutral-score texts")
	}
	return f.Input.validate(f)
}
