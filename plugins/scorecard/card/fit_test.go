package card

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// simulateLogit draws n rows from logit P(y=1) = b0 + Σ b[j]·x[j] with standard normal x.
func simulateLogit(n int, b0 float64, b []float64, seed uint64) (*mat.Dense, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, len(b), nil)
	y := make([]float64, n)
	for i := range n {
		eta := b0
		for j, bj := range b {
			v := r.NormFloat64()
			x.Set(i, j, v)
			eta += bj * v
		}
		if r.Float64() < sigmoid(eta) {
			y[i] = 1
		}
	}
	return x, y
}

func TestFitLogitRecoversKnownCoefficients(t *testing.T) {
	want := []float64{1.5, -0.8, 0}
	x, y := simulateLogit(20000, -1, want, 7)
	fit, err := FitLogit(x, y, 0)
	require.NoError(t, err)
	require.Len(t, fit.StdErr, 4)
	assert.InDelta(t, -1, fit.Intercept, 4*fit.StdErr[0])
	for j, w := range want {
		assert.InDelta(t, w, fit.Coef[j], 4*fit.StdErr[j+1], "coefficient %d", j)
		// With 20,000 rows the standard errors are about 0.02.
		assert.Less(t, fit.StdErr[j+1], 0.05)
	}
}

func TestFitLogitPenaltyShrinksTowardsZero(t *testing.T) {
	x, y := simulateLogit(300, 0.5, []float64{2, -2}, 11)
	free, err := FitLogit(x, y, 0)
	require.NoError(t, err)
	ridge, err := FitLogit(x, y, 200)
	require.NoError(t, err)
	for j := range 2 {
		assert.Less(t, math.Abs(ridge.Coef[j]), math.Abs(free.Coef[j]))
	}
	assert.Greater(t, ridge.NegLogLik, free.NegLogLik, "the penalty costs likelihood")
}

func TestFitLogitRejectsMismatchedInput(t *testing.T) {
	_, err := FitLogit(mat.NewDense(3, 1, []float64{1, 2, 3}), []float64{0, 1}, 0)
	assert.Error(t, err)
}

func TestFitLogitReportsCollinearFeatures(t *testing.T) {
	// Two identical columns and no penalty leave the Hessian singular.
	x := mat.NewDense(6, 2, []float64{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3})
	_, err := FitLogit(x, []float64{0, 1, 0, 1, 1, 0}, 0)
	assert.Error(t, err)
}
