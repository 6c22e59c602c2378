package card

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat"
)

// The German data's cost matrix (german.doc, section 8): accepting a bad applicant costs
// 5, rejecting a good one costs 1. With calibrated PDs the cheapest rule rejects when
// PD > 1/(1+5).
const (
	CostBadAccepted  = 5.0
	CostGoodRejected = 1.0
	// RejectPD is the cost-minimising PD threshold, 1/6.
	RejectPD = CostGoodRejected / (CostGoodRejected + CostBadAccepted)
)

// Metrics are one evaluation of scores against outcomes.
type Metrics struct {
	// AUC is the probability that a random bad scores below a random good (ties half).
	AUC float64 `json:"auc"`
	// KS is the largest gap between the cumulative score distributions of bads and goods.
	KS float64 `json:"ks"`
	// Gini is 2·AUC − 1.
	Gini float64 `json:"gini"`
	// Cost is the mean cost per applicant under the cost matrix, rejecting when
	// PD > RejectPD.
	Cost float64 `json:"cost"`
	// RejectRate is the share rejected by that rule.
	RejectRate float64 `json:"reject_rate"`
}

// FoldResult is one fold of a cross-validation.
type FoldResult struct {
	Fold      int `json:"fold"`
	TrainRows int `json:"train_rows"`
	TestRows  int `json:"test_rows"`
	TestBads  int `json:"test_bads"`
	Features  int `json:"features"`
	Metrics
}

// GradeOutcome is how the applicants of one grade turned out.
type GradeOutcome struct {
	Grade string
	N     int
	Bads  int
	// MeanPD is the mean probability of default the model gave them.
	MeanPD float64
}

// CV is the result of a stratified k-fold cross-validation in which binning, feature
// selection, fitting, scaling and grade cut-offs are all redone inside each fold.
type CV struct {
	K     int
	Seed  uint64
	Folds []FoldResult
	// Mean and SD are over the folds (SD with n−1).
	Mean, SD Metrics
	// Grades pools the out-of-fold applicants of every fold by the grade their fold's
	// model gave them.
	Grades []GradeOutcome
}

// Summary is the headline kept in the model file.
func (cv *CV) Summary() *ValidationSummary {
	return &ValidationSummary{Folds: cv.K, Seed: cv.Seed, AUCMean: round6(cv.Mean.AUC), AUCSD: round6(cv.SD.AUC),
		KSMean: round6(cv.Mean.KS), CostMean: round6(cv.Mean.Cost)}
}

// CrossValidate runs a stratified k-fold cross-validation of Train on all rows of ds.
// The folds depend only on the outcomes, k and seed, so a run is reproducible.
func CrossValidate(ds *Dataset, spec *Spec, k int, seed uint64) (*CV, error) {
	bad := make([]bool, len(ds.Rows))
	for i, r := range ds.Rows {
		bad[i] = r.Bad
	}
	folds, err := StratifiedFolds(bad, k, seed)
	if err != nil {
		return nil, err
	}
	cv := &CV{K: k, Seed: seed}
	byGrade := map[string]*GradeOutcome{}
	for _, g := range Grades {
		byGrade[g] = &GradeOutcome{Grade: g}
	}
	for f, test := range folds {
		var train []int
		for g, other := range folds {
			if g != f {
				train = append(train, other...)
			}
		}
		slices.Sort(train)
		m, err := Train(ds, train, spec, time.Time{})
		if err != nil {
			return nil, fmt.Errorf("cross-validate fold %d: %w", f+1, err)
		}
		c, err := Compile(m)
		if err != nil {
			return nil, fmt.Errorf("cross-validate fold %d: %w", f+1, err)
		}
		scores, err := c.ScoreRows(ds, test)
		if err != nil {
			return nil, fmt.Errorf("cross-validate fold %d: %w", f+1, err)
		}
		testBad := make([]bool, len(test))
		nb := 0
		for i, r := range test {
			testBad[i] = bad[r]
			if bad[r] {
				nb++
			}
			o := byGrade[c.Grade(scores[i])]
			o.N++
			o.MeanPD += m.Scaling.PD(float64(scores[i]))
			if bad[r] {
				o.Bads++
			}
		}
		cv.Folds = append(cv.Folds, FoldResult{Fold: f + 1, TrainRows: len(train), TestRows: len(test),
			TestBads: nb, Features: len(m.Features), Metrics: Evaluate(scores, testBad, m.Scaling)})
	}
	for _, g := range Grades {
		o := byGrade[g]
		if o.N > 0 {
			o.MeanPD /= float64(o.N)
		}
		cv.Grades = append(cv.Grades, *o)
	}
	pick := []func(Metrics) float64{
		func(m Metrics) float64 { return m.AUC }, func(m Metrics) float64 { return m.KS },
		func(m Metrics) float64 { return m.Gini }, func(m Metrics) float64 { return m.Cost },
		func(m Metrics) float64 { return m.RejectRate },
	}
	var means, sds [5]float64
	for i, p := range pick {
		xs := make([]float64, len(cv.Folds))
		for j, fr := range cv.Folds {
			xs[j] = p(fr.Metrics)
		}
		means[i], sds[i] = stat.MeanStdDev(xs, nil)
	}
	cv.Mean = Metrics{AUC: means[0], KS: means[1], Gini: means[2], Cost: means[3], RejectRate: means[4]}
	cv.SD = Metrics{AUC: sds[0], KS: sds[1], Gini: sds[2], Cost: sds[3], RejectRate: sds[4]}
	return cv, nil
}

// StratifiedFolds deals the indices of bad and good outcomes, each shuffled with a PCG
// generator seeded by seed, round-robin into k folds, so every fold keeps the bad rate.
func StratifiedFolds(bad []bool, k int, seed uint64) ([][]int, error) {
	if k < 2 || k > len(bad) {
		return nil, fmt.Errorf("stratified folds: k = %d for %d rows", k, len(bad))
	}
	var bads, goods []int
	for i, b := range bad {
		if b {
			bads = append(bads, i)
		} else {
			goods = append(goods, i)
		}
	}
	src := rand.NewPCG(seed, 0x5eed_c0de)
	folds := make([][]int, k)
	next := 0
	for _, class := range [][]int{bads, goods} {
		shuffle(class, src)
		for _, i := range class {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	for f := range folds {
		slices.Sort(folds[f])
	}
	return folds, nil
}

// shuffle is Fisher–Yates over src with rejection sampling, written out so the folds do
// not depend on how a Go release implements rand.Shuffle.
func shuffle(x []int, src *rand.PCG) {
	for i := len(x) - 1; i > 0; i-- {
		n := uint64(i + 1)
		limit := math.MaxUint64 - math.MaxUint64%n
		v := src.Uint64()
		for v >= limit {
			v = src.Uint64()
		}
		j := int(v % n)
		x[i], x[j] = x[j], x[i]
	}
}

// Evaluate measures integer scores (higher is better) against outcomes.
func Evaluate(scores []int, bad []bool, s Scaling) Metrics {
	var m Metrics
	m.AUC = AUC(scores, bad)
	m.Gini = 2*m.AUC - 1
	m.KS = KS(scores, bad)
	cost, rejected := 0.0, 0
	for i, sc := range scores {
		reject := s.PD(float64(sc)) > RejectPD
		switch {
		case reject && !bad[i]:
			cost += CostGoodRejected
		case !reject && bad[i]:
			cost += CostBadAccepted
		}
		if reject {
			rejected++
		}
	}
	m.Cost = cost / float64(len(scores))
	m.RejectRate = float64(rejected) / float64(len(scores))
	return m
}

// AUC is the Mann–Whitney statistic: the probability that a random bad has a lower score
// than a random good, ties counting one half.
func AUC(scores []int, bad []bool) float64 {
	type obs struct {
		s   int
		bad bool
	}
	o := make([]obs, len(scores))
	for i := range scores {
		o[i] = obs{scores[i], bad[i]}
	}
	slices.SortFunc(o, func(a, b obs) int { return cmp.Compare(a.s, b.s) })
	// Walk from the lowest score; each good beats the bads below it and ties half of
	// the bads at its own score.
	var badsBelow, pairs float64
	var nb, ng float64
	for i := 0; i < len(o); {
		j := i
		var b, g float64
		for ; j < len(o) && o[j].s == o[i].s; j++ {
			if o[j].bad {
				b++
			} else {
				g++
			}
		}
		pairs += g * (badsBelow + b/2)
		badsBelow += b
		nb += b
		ng += g
		i = j
	}
	if nb == 0 || ng == 0 {
		return math.NaN()
	}
	return pairs / (nb * ng)
}

// KS is the Kolmogorov–Smirnov statistic between the score distributions of bads and
// goods, stepping over tied scores together.
func KS(scores []int, bad []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(scores[a], scores[b]) })
	var nb, ng float64
	for _, b := range bad {
		if b {
			nb++
		} else {
			ng++
		}
	}
	var cb, cg, ks float64
	for i := 0; i < len(idx); {
		j := i
		for ; j < len(idx) && scores[idx[j]] == scores[idx[i]]; j++ {
			if bad[idx[j]] {
				cb++
			} else {
				cg++
			}
		}
		ks = max(ks, math.Abs(cb/nb-cg/ng))
		i = j
	}
	return ks
}
