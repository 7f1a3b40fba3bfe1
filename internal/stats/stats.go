// Package stats holds the statistics loadgate's regression gate rests
// on: a moderated t-test for a value against a few baseline runs, the
// sampling error of a percentile read from Locust's percentile columns,
// an exact test for two counts of rare events, and the
// Benjamini–Hochberg and Holm corrections for many tests at once.
//
// Each function states its assumptions; the tests check them against
// published tables or exact computations, cited where they are made.
package stats

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// TSurvival is P(T > t) for Student's t with df degrees of freedom
// (df > 0; df = +Inf gives the normal distribution).
func TSurvival(t, df float64) float64 {
	if math.IsInf(df, 1) {
		return distuv.UnitNormal.Survival(t)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(t)
}

// TQuantile is the p quantile of Student's t with df degrees of freedom,
// 0 < p < 1.
func TQuantile(p, df float64) float64 {
	if math.IsInf(df, 1) {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// MeanVar returns the mean and the sample variance (n−1 in the
// denominator) of v, which needs two values or more.
func MeanVar(v []float64) (mean, variance float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(v)-1)
}

// Shift is the comparison of one current value with baseline values, on
// a scale where changes add (the logarithm for latency and throughput).
type Shift struct {
	Diff float64 // current minus the baseline mean
	SE   float64 // standard error of Diff
	DF   float64 // degrees of freedom of the t reference distribution
	T    float64 // Diff / SE
	// P is the two-sided p-value of Diff = 0.
	P float64
	// Lo and Hi bound Diff with the requested confidence.
	Lo, Hi float64
}

// Prior is what is known of run-to-run variation before looking at the
// baseline: its variance on the comparison scale, and how many degrees
// of freedom that knowledge is worth (how many baseline runs it counts
// as). Calibration measures it on repeated real runs.
type Prior struct {
	Var float64
	DF  float64
}

// CompareToRuns tests whether current differs from baseline runs beyond
// their run-to-run spread, with the empirical-Bayes moderated t of Smyth
// (2004, "Linear models and empirical Bayes methods for assessing
// differential expression in microarray experiments", SAGMB 3(1)):
//
//	s²  = (prior.DF·(prior.Var + w̄) + (K−1)·sample variance of baseline) / (prior.DF + K − 1)
//	se² = s² − w̄ + w_current + s²/K
//
// where w are the within-run sampling variances of each value (0 if
// unknown). The statistic is referred to t with prior.DF + K − 1 degrees
// of freedom. With a single baseline run (K = 1) the prior alone gives
// the run-to-run variance. conf is the confidence of [Lo, Hi], such as
// 0.95. It returns ok = false without baseline values or with no
// variance at all.
func CompareToRuns(current, wCurrent float64, baseline, wBaseline []float64, prior Prior, conf float64) (Shift, bool) {
	k := len(baseline)
	if k == 0 || len(wBaseline) != k {
		return Shift{}, false
	}
	mean, wbar := 0.0, 0.0
	for i, v := range baseline {
		mean += v
		wbar += wBaseline[i]
	}
	mean /= float64(k)
	wbar /= float64(k)
	ss := 0.0
	for _, v := range baseline {
		ss += (v - mean) * (v - mean)
	}
	df := prior.DF + float64(k-1)
	if df <= 0 {
		return Shift{}, false
	}
	s2 := (prior.DF*(prior.Var+wbar) + ss) / df
	between := math.Max(s2-wbar, 0)
	se2 := between + wCurrent + s2/float64(k)
	if !(se2 > 0) {
		return Shift{}, false
	}
	sh := Shift{Diff: current - mean, SE: math.Sqrt(se2), DF: df}
	sh.T = sh.Diff / sh.SE
	sh.P = math.Min(1, 2*TSurvival(math.Abs(sh.T), df))
	q := TQuantile(0.5+conf/2, df)
	sh.Lo, sh.Hi = sh.Diff-q*sh.SE, sh.Diff+q*sh.SE
	return sh, true
}

// BenjaminiHochberg returns the BH-adjusted p-values (q-values) of ps,
// in the same order: a test is significant at false discovery rate α when
// its adjusted value is ≤ α. NaN entries are left out of the count and
// stay NaN.
func BenjaminiHochberg(ps []float64) []float64 {
	idx := sortedIndex(ps)
	m := float64(len(idx))
	out := nanSlice(len(ps))
	running := 1.0
	for r := len(idx) - 1; r >= 0; r-- {
		i := idx[r]
		running = math.Min(running, ps[i]*m/float64(r+1))
		out[i] = running
	}
	return out
}

// Holm returns Holm's step-down adjusted p-values of ps, in the same
// order; NaN entries are left out and stay NaN.
func Holm(ps []float64) []float64 {
	idx := sortedIndex(ps)
	m := len(idx)
	out := nanSlice(len(ps))
	running := 0.0
	for r, i := range idx {
		running = math.Max(running, math.Min(1, ps[i]*float64(m-r)))
		out[i] = running
	}
	return out
}

func sortedIndex(ps []float64) []int {
	var idx []int
	for i, p := range ps {
		if !math.IsNaN(p) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	return idx
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// RateRatioTest compares two counts of rare events, x1 in n1 trials and
// x2 in n2 (failures in requests), with the exact conditional test: given
// x1 + x2 events, x1 is binomial with p = n1/(n1+n2) when the rates are
// equal. It returns the one-sided p-value of the first rate being higher
// (P(X ≥ x1)) and the two-sided p-value (twice the smaller tail, at most
// 1).
func RateRatioTest(x1, n1, x2, n2 int64) (upper, two float64) {
	total := x1 + x2
	if total == 0 || n1 <= 0 || n2 <= 0 {
		return 1, 1
	}
	p := float64(n1) / float64(n1+n2)
	b := distuv.Binomial{N: float64(total), P: p}
	upper = 1.0
	if x1 > 0 {
		upper = b.Survival(float64(x1) - 0.5)
	}
	lower := b.CDF(float64(x1) + 0.5)
	two = math.Min(1, 2*math.Min(upper, lower))
	return upper, two
}

// Percentile is one percentile column of a run: its fraction in (0, 1]
// and its value.
type Percentile struct {
	Fraction float64
	Value    float64
}

// LogQuantileVar estimates the sampling variance of log Q(p), the log of
// the p quantile of n requests, from the run's percentile columns (an
// empirical distribution known at a few points, sorted by fraction). It
// uses the order-statistic argument: the rank of the sample quantile has
// standard deviation √(p(1−p)/n) on the probability scale, which the
// distribution maps to the value scale; the slope comes from the columns
// on either side, interpolated on a log scale. resolution, the width of
// Locust's bucket at the value, adds rounding error (uniform, width²/12).
// It returns NaN when the columns cannot bracket p.
func LogQuantileVar(cols []Percentile, p float64, n int64, resolution float64) float64 {
	if n <= 0 || len(cols) < 2 {
		return math.NaN()
	}
	const z = 1.0 // one standard deviation of rank either side
	d := z * math.Sqrt(p*(1-p)/float64(n))
	lo, hi := math.Max(p-d, cols[0].Fraction), math.Min(p+d, cols[len(cols)-1].Fraction)
	qlo, ok1 := logInterp(cols, lo)
	qhi, ok2 := logInterp(cols, hi)
	qp, ok3 := logInterp(cols, p)
	if !ok1 || !ok2 || !ok3 || hi <= lo {
		return math.NaN()
	}
	// Slope of log Q over the interval, times the rank's spread.
	slope := (qhi - qlo) / (hi - lo)
	v := slope * slope * d * d
	if resolution > 0 {
		rel := resolution / math.Exp(qp)
		v += rel * rel / 12
	}
	return v
}

// logInterp interpolates log Q at fraction f between the columns.
func logInterp(cols []Percentile, f float64) (float64, bool) {
	for i := 1; i < len(cols); i++ {
		a, b := cols[i-1], cols[i]
		if f < a.Fraction-1e-12 || f > b.Fraction+1e-12 {
			continue
		}
		if a.Value <= 0 || b.Value <= 0 {
			return 0, false
		}
		la, lb := math.Log(a.Value), math.Log(b.Value)
		if b.Fraction == a.Fraction {
			return la, true
		}
		return la + (lb-la)*(f-a.Fraction)/(b.Fraction-a.Fraction), true
	}
	return 0, false
}
