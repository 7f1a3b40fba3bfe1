package stats

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestTQuantiles checks against the table of Student's t in Abramowitz
// and Stegun, Handbook of Mathematical Functions, table 26.10, and the
// normal quantile of table 26.5.
func TestTQuantiles(t *testing.T) {
	tests := []struct{ p, df, want float64 }{
		{0.975, 4, 2.776},
		{0.95, 4, 2.132},
		{0.975, 8, 2.306},
		{0.99, 8, 2.896},
		{0.995, 8, 3.355},
		{0.975, 10, 2.228},
		{0.95, 30, 1.697},
		{0.975, math.Inf(1), 1.960},
	}
	for _, tt := range tests {
		if got := TQuantile(tt.p, tt.df); !near(got, tt.want, 0.0006) {
			t.Errorf("t quantile %v, df %v = %v, want %v", tt.p, tt.df, got, tt.want)
		}
		if got := TSurvival(tt.want, tt.df); !near(got, 1-tt.p, 0.0002) {
			t.Errorf("P(T_%v > %v) = %v, want %v", tt.df, tt.want, got, 1-tt.p)
		}
	}
}

// The fifteen p-values of Benjamini and Hochberg (1995, JRSS B 57(1),
// section 4.1): at 0.05 their procedure rejects the four smallest, the
// Bonferroni-type (Holm) procedure the three smallest.
var bh95 = []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
	0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}

func TestBenjaminiHochberg(t *testing.T) {
	q := BenjaminiHochberg(bh95)
	rejected := 0
	for _, v := range q {
		if v <= 0.05 {
			rejected++
		}
	}
	if rejected != 4 {
		t.Errorf("BH rejects %d, want 4 (the paper's example)", rejected)
	}
	// Adjusted values by the definition, min over j ≥ i of p_j·m/j,
	// worked by hand: 0.0015, 0.003, 0.0095, 0.035625, 0.0603,
	// 0.063857…, 0.063857…, 0.0645.
	want := []float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0298 * 15 / 7, 0.0298 * 15 / 7, 0.0645}
	for i, w := range want {
		if !near(q[i], w, 1e-12) {
			t.Errorf("q[%d] = %v, want %v", i, q[i], w)
		}
	}
}

func TestHolm(t *testing.T) {
	h := Holm(bh95)
	rejected := 0
	for _, v := range h {
		if v <= 0.05 {
			rejected++
		}
	}
	if rejected != 3 {
		t.Errorf("Holm rejects %d, want 3", rejected)
	}
	// 0.0001·15, 0.0004·14, 0.0019·13, 0.0095·12.
	for i, w := range []float64{0.0015, 0.0056, 0.0247, 0.114} {
		if !near(h[i], w, 1e-12) {
			t.Errorf("holm[%d] = %v, want %v", i, h[i], w)
		}
	}
	if q := Holm([]float64{math.NaN(), 0.01}); !math.IsNaN(q[0]) || q[1] != 0.01 {
		t.Errorf("NaN handling: %v", q)
	}
}

// TestRateRatioTest: with equal exposure, 10 of 12 events on the first
// side is binomial(12, 1/2) ≥ 10: (66 + 12 + 1)/4096, an exact sum.
func TestRateRatioTest(t *testing.T) {
	up, two := RateRatioTest(10, 1000, 2, 1000)
	if want := 79.0 / 4096; !near(up, want, 1e-12) || !near(two, 2*want, 1e-12) {
		t.Errorf("upper %v two %v, want %v and %v", up, two, want, 2*want)
	}
	// Equal rates in unequal exposure: 5 of 3000 against 10 of 6000 is
	// the middle of the distribution.
	if up, _ := RateRatioTest(5, 3000, 10, 6000); up < 0.4 || up > 0.7 {
		t.Errorf("equal rates: upper %v", up)
	}
	if up, two := RateRatioTest(0, 100, 0, 100); up != 1 || two != 1 {
		t.Errorf("no events: %v %v", up, two)
	}
}

// TestCompareToRuns works an example by hand: baseline {0, ±0.1, ±0.05}
// has mean 0 and sum of squares 0.025; with the prior 0.0025 on 4
// degrees of freedom, s² = (4·0.0025 + 0.025)/8 = 0.004375 and
// se² = s²(1 + 1/5) = 0.00525.
func TestCompareToRuns(t *testing.T) {
	base := []float64{0, 0.1, -0.1, 0.05, -0.05}
	zero := make([]float64, 5)
	sh, ok := CompareToRuns(0.2, 0, base, zero, Prior{Var: 0.0025, DF: 4}, 0.95)
	if !ok {
		t.Fatal("not ok")
	}
	se := math.Sqrt(0.00525)
	if !near(sh.SE, se, 1e-12) || sh.DF != 8 || !near(sh.T, 0.2/se, 1e-12) {
		t.Errorf("shift = %+v, want se %v df 8", sh, se)
	}
	// t = 2.760 lies between the 0.975 (2.306) and 0.99 (2.896) points of
	// t with 8 df, so the two-sided p is between 0.02 and 0.05.
	if sh.P < 0.02 || sh.P > 0.05 {
		t.Errorf("p = %v", sh.P)
	}
	if !near(sh.Hi-sh.Diff, 2.306*se, 0.001*se) {
		t.Errorf("interval half-width %v, want 2.306·se", sh.Hi-sh.Diff)
	}
	// One baseline run: the prior alone, with its 4 df.
	one, ok := CompareToRuns(0.2, 0.0001, []float64{0}, []float64{0.0001}, Prior{Var: 0.0025, DF: 4}, 0.95)
	if !ok || one.DF != 4 || !near(one.SE, math.Sqrt(0.0025+0.0001+0.0026), 1e-12) {
		t.Errorf("single baseline: %+v", one)
	}
}

// TestLogQuantileVar compares with the asymptotic variance of a sample
// quantile, p(1−p)/(n f(Q)²) (e.g. Serfling, Approximation Theorems of
// Mathematical Statistics, 2.3.3), for the unit exponential: Q(p) =
// −ln(1−p), f(Q) = 1−p, so Var(log Q̂) ≈ p / ((1−p) n Q²).
func TestLogQuantileVar(t *testing.T) {
	var cols []Percentile
	for f := 0.5; f < 0.9995; f += 0.0005 {
		cols = append(cols, Percentile{f, -math.Log(1 - f)})
	}
	for _, p := range []float64{0.5, 0.9, 0.95, 0.99} {
		n := int64(10000)
		q := -math.Log(1 - p)
		want := p / ((1 - p) * float64(n) * q * q)
		got := LogQuantileVar(cols, p, n, 0)
		if math.Abs(got/want-1) > 0.05 {
			t.Errorf("p%v: var %v, want %v", p*100, got, want)
		}
	}
	if v := LogQuantileVar(cols, 0.95, 0, 0); !math.IsNaN(v) {
		t.Errorf("n = 0 gave %v", v)
	}
}
