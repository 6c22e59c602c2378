package card

import (
	"fmt"
	"slices"
	"time"
)

// DefaultSeed seeds the folds of the published cross-validation.
const DefaultSeed = 1

// BuildOpts configures Build.
type BuildOpts struct {
	// TrainedAt is recorded in the model; it does not change the fit.
	TrainedAt time.Time
	// Seed seeds the cross-validation folds (DefaultSeed when 0).
	Seed uint64
	// Folds is the k of the headline cross-validation (5 when 0).
	Folds int
	// RepeatSeeds reruns the headline cross-validation with seeds 1..RepeatSeeds to
	// show how much the result depends on the split (10 when 0).
	RepeatSeeds int
	// Protected names attributes a fair-lending variant leaves out; the report shows
	// what leaving them out costs. Nil means personal_status_sex and foreign_worker.
	Protected []string
}

// Evaluation is everything the report says about a model besides the model itself.
type Evaluation struct {
	// CV is the headline stratified k-fold cross-validation.
	CV *CV
	// CV10 is a 10-fold run with the same seed, the protocol of the published results.
	CV10 *CV
	// Repeated holds the headline cross-validation rerun with seeds 1..n.
	Repeated []*CV
	// WithoutProtected is the headline cross-validation with the protected attributes
	// excluded, and Protected names them.
	WithoutProtected *CV
	Protected        []string
	// TrainGrades is how the final model grades its own training data.
	TrainGrades []GradeOutcome
}

// Build trains the final model on every row of ds and evaluates the procedure by
// cross-validation; the model records the headline result.
func Build(ds *Dataset, spec *Spec, o BuildOpts) (*Model, *Evaluation, error) {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.RepeatSeeds == 0 {
		o.RepeatSeeds = 10
	}
	if o.Protected == nil {
		o.Protected = []string{"personal_status_sex", "foreign_worker"}
	}
	all := make([]int, len(ds.Rows))
	for i := range all {
		all[i] = i
	}
	ev := &Evaluation{Protected: o.Protected}
	var err error
	if ev.CV, err = CrossValidate(ds, spec, o.Folds, o.Seed); err != nil {
		return nil, nil, err
	}
	if ev.CV10, err = CrossValidate(ds, spec, 10, o.Seed); err != nil {
		return nil, nil, err
	}
	for s := range uint64(o.RepeatSeeds) {
		cv, err := CrossValidate(ds, spec, o.Folds, s+1)
		if err != nil {
			return nil, nil, err
		}
		ev.Repeated = append(ev.Repeated, cv)
	}
	fair := *spec
	fair.Options.Exclude = slices.Clone(spec.Options.Exclude)
	for _, p := range o.Protected {
		if !slices.Contains(fair.Options.Exclude, p) {
			fair.Options.Exclude = append(fair.Options.Exclude, p)
		}
	}
	if ev.WithoutProtected, err = CrossValidate(ds, &fair, o.Folds, o.Seed); err != nil {
		return nil, nil, err
	}

	m, err := Train(ds, all, spec, o.TrainedAt)
	if err != nil {
		return nil, nil, err
	}
	m.Training.Validation = ev.CV.Summary()
	if m.ModelVersion, err = m.contentVersion(); err != nil {
		return nil, nil, fmt.Errorf("build: %w", err)
	}
	c, err := Compile(m)
	if err != nil {
		return nil, nil, fmt.Errorf("build: %w", err)
	}
	scores, err := c.ScoreRows(ds, all)
	if err != nil {
		return nil, nil, fmt.Errorf("build: %w", err)
	}
	for _, g := range Grades {
		out := GradeOutcome{Grade: g}
		for i, s := range scores {
			if c.Grade(s) == g {
				out.N++
				out.MeanPD += m.Scaling.PD(float64(s))
				if ds.Rows[i].Bad {
					out.Bads++
				}
			}
		}
		if out.N > 0 {
			out.MeanPD /= float64(out.N)
		}
		ev.TrainGrades = append(ev.TrainGrades, out)
	}
	return m, ev, nil
}
