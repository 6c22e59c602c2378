// Package card builds and runs a weight-of-evidence (WoE) logistic-regression
// scorecard: the classic application scorecard of consumer lending.
//
// # Training
//
// ParseGerman reads UCI's german.data into a Dataset of named attributes
// (GermanAttributes is the codebook, with labels in English and Chinese). Train fits a
// scorecard on some of its rows:
//
//  1. binning: numeric attributes start from equal-frequency groups, categorical ones
//     from their categories ordered by bad rate; ChiMerge merges adjacent groups (sparse
//     ones first) down to BinningOpts.MaxBins, and numeric bins are then made monotone;
//  2. WoE per bin with Laplace smoothing, and each attribute's information value;
//  3. selection by IV, then logistic regression on the WoE values (FitLogit: gonum's
//     L-BFGS on the L2-penalised log-likelihood), dropping any wrong-signed feature;
//  4. points scaling (base score at base odds, points to double the odds) and grade
//     cut-offs from the training score distribution.
//
// CrossValidate repeats all of it inside each fold of a stratified k-fold split, so the
// estimate has no leakage; Build trains the final model and runs the evaluations the
// report needs, and WriteReport writes docs/scorecard.md.
//
// # The model file
//
// A Model is a versioned JSON document (Decode, Encode): scaling, intercept points,
// features with bins and points, grade cut-offs, the default credit-limit policy and
// the facts of training. Each feature carries its Input, the bridge from a record of
// Credo's loan application to the feature's value, so mapping another form is a change
// of data, not of code.
//
// # Scoring
//
// Compile validates a Model into a Card, immutable and safe for concurrent use.
// Card.Score resolves each feature from a record through its bridge, adds the points of
// its bin (a missing or unmapped input scores as neutral, WoE 0, and is noted), and
// returns the score, the PD it stands for, the grade and the adverse reasons: the
// features that cost the most points against their best bin. LimitPolicy turns a grade
// and an income into a suggested credit limit.
package card
