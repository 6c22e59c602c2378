package card

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Logit is a fitted logistic regression: logit P(bad) = Intercept + Σ Coef[j]·x[j].
type Logit struct {
	Intercept float64
	Coef      []float64
	// StdErr holds the standard errors of the intercept (first) and the coefficients,
	// from the inverse of the penalised Hessian at the optimum.
	StdErr []float64
	// NegLogLik is the unpenalised negative log-likelihood at the optimum.
	NegLogLik float64
	// Iterations the optimiser took.
	Iterations int
}

// convergedGradient is the largest gradient (infinity norm, summed log-likelihood) at
// which a stalled optimiser is taken to be at the optimum.
const convergedGradient = 1e-4

// FitLogit maximises the L2-penalised log-likelihood of y (1 = bad) on the columns of x
// with gonum's L-BFGS. l2 penalises the coefficients, not the intercept.
func FitLogit(x *mat.Dense, y []float64, l2 float64) (*Logit, error) {
	n, p := x.Dims()
	if n != len(y) || n == 0 {
		return nil, fmt.Errorf("fit logit: %d rows, %d targets", n, len(y))
	}
	// The design gets a leading column of ones for the intercept.
	xa := mat.NewDense(n, p+1, nil)
	for i := range n {
		xa.Set(i, 0, 1)
		for j := range p {
			xa.Set(i, j+1, x.At(i, j))
		}
	}
	eta := mat.NewVecDense(n, nil)
	resid := mat.NewVecDense(n, nil)
	nll := func(w []float64) float64 {
		eta.MulVec(xa, mat.NewVecDense(p+1, w))
		f := 0.0
		for i := range n {
			e := eta.AtVec(i)
			f += softplus(e) - y[i]*e
		}
		return f
	}
	problem := optimize.Problem{
		Func: func(w []float64) float64 {
			f := nll(w)
			for j := 1; j <= p; j++ {
				f += 0.5 * l2 * w[j] * w[j]
			}
			return f
		},
		Grad: func(grad, w []float64) {
			eta.MulVec(xa, mat.NewVecDense(p+1, w))
			for i := range n {
				resid.SetVec(i, sigmoid(eta.AtVec(i))-y[i])
			}
			g := mat.NewVecDense(p+1, grad)
			g.MulVec(xa.T(), resid)
			for j := 1; j <= p; j++ {
				grad[j] += l2 * w[j]
			}
		},
	}
	// The objective sums over rows, so a gradient of 1e-6 is far below what moves a
	// coefficient in its sixth decimal.
	settings := &optimize.Settings{GradientThreshold: 1e-6, MajorIterations: 10000}
	res, err := optimize.Minimize(problem, make([]float64, p+1), settings, &optimize.LBFGS{})
	if err == nil {
		err = res.Status.Err()
	}
	// Next to the optimum the line search can run out of floating-point precision before
	// the gradient threshold; a gradient this small is converged all the same.
	if err != nil && (res == nil || res.Gradient == nil || floats.Norm(res.Gradient, math.Inf(1)) > convergedGradient) {
		return nil, fmt.Errorf("fit logit: %w", err)
	}
	w := res.X
	se, err := stdErrors(xa, w, l2)
	if err != nil {
		return nil, fmt.Errorf("fit logit: %w", err)
	}
	return &Logit{Intercept: w[0], Coef: append([]float64(nil), w[1:]...), StdErr: se,
		NegLogLik: nll(w), Iterations: res.Stats.MajorIterations}, nil
}

// stdErrors inverts the penalised Hessian Xᵀ W X + λI (W = p(1−p)) by Cholesky.
func stdErrors(xa *mat.Dense, w []float64, l2 float64) ([]float64, error) {
	n, k := xa.Dims()
	eta := mat.NewVecDense(n, nil)
	eta.MulVec(xa, mat.NewVecDense(k, w))
	weighted := mat.NewDense(n, k, nil)
	for i := range n {
		p := sigmoid(eta.AtVec(i))
		s := math.Sqrt(p * (1 - p))
		for j := range k {
			weighted.Set(i, j, xa.At(i, j)*s)
		}
	}
	h := mat.NewSymDense(k, nil)
	h.SymOuterK(1, weighted.T())
	for j := 1; j < k; j++ {
		h.SetSym(j, j, h.At(j, j)+l2)
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(h); !ok {
		return nil, errors.New("hessian is not positive definite (collinear features)")
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return nil, err
	}
	se := make([]float64, k)
	for j := range k {
		se[j] = math.Sqrt(inv.At(j, j))
	}
	return se, nil
}

// sigmoid is 1/(1+e^−x).
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is ln(1+e^x), without overflow for large x.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}
