package gate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/internal/locust"
	"github.com/loadgate/loadgate/internal/stats"
)

// RegressionConfig is the `regression:` section of loadgate.yaml: how a
// run is compared with its baseline runs.
type RegressionConfig struct {
	// Metrics compared per endpoint and for the Aggregated row: any of
	// p50…p99.9 (percentile columns), error_rate and rps.
	Metrics []string `yaml:"metrics"`
	// Alpha is the error rate controlled over the whole gate.
	Alpha float64 `yaml:"alpha"`
	// Correction is "bh" (Benjamini–Hochberg, the default) or "holm".
	Correction string `yaml:"correction"`
	// Thresholds are the practical sizes a change must reach, per metric
	// ("p95") or per kind ("latency"), as {relative: 10%, absolute: 2ms}.
	Thresholds map[string]Threshold `yaml:"thresholds"`
	// WarnOnly lists metrics whose regressions warn instead of failing.
	WarnOnly []string `yaml:"warn_only"`
	// Noise overrides the calibrated run-to-run spread per metric, as a
	// standard deviation of the natural log (0.05 is about 5%).
	Noise map[string]float64 `yaml:"noise"`
	// PriorDF is how many baseline runs the calibrated spread counts as.
	PriorDF float64 `yaml:"prior_df"`
}

// Threshold is the practical size of a change.
type Threshold struct {
	Relative Level `yaml:"relative"`
	Absolute Level `yaml:"absolute"`
}

// calibratedNoise is the run-to-run spread of each metric: the standard
// deviation of the natural log of the value between repeated runs of the
// same settings, beyond the sampling error within each run. p50, p95,
// p99 and rps were measured with `loadgate calibrate noise` on five real
// Locust 2.12 runs of the stand-in service (40 users, 45 s, one quiet
// machine; see the README's calibration section); the other percentiles
// are interpolated between those, and p99.9 extrapolated.
var calibratedNoise = map[string]float64{
	"p50": 0.055, "p66": 0.05, "p75": 0.05, "p80": 0.05, "p90": 0.045,
	"p95": 0.045, "p98": 0.07, "p99": 0.095, "p99.9": 0.15,
	"rps": 0.046,
}

// calibrationDF is the degrees of freedom of the pooled calibration
// estimate (7 endpoints × 4). A single baseline run has nothing to say
// about its own endpoints' spread between runs, so the comparison takes
// the pool at its word, with this many degrees of freedom.
const calibrationDF = 28

// calibratedPriorDF is how many baseline runs the calibrated spread
// counts as. The pooled estimate rests on 28 degrees of freedom, but the
// endpoints differ widely (a server-bound write varied by 1–2% between
// runs, a client-bound cached read by 6–7%), so the pool is a weak guide
// to any one endpoint: it counts as four runs.
const calibratedPriorDF = 4

// defaultRegression is the regression section when none is written.
func defaultRegression() RegressionConfig {
	return RegressionConfig{
		Metrics:    []string{"p50", "p95", "p99", "error_rate", "rps"},
		Alpha:      0.10,
		Correction: "bh",
		PriorDF:    calibratedPriorDF,
	}
}

// threshold is a resolved practical size in the metric's unit.
type threshold struct{ rel, abs float64 }

var defaultThresholds = map[string]threshold{
	"latency":    {0.10, 2},     // 10% and 2 ms
	"error_rate": {0.10, 0.001}, // 10% and 0.1 percentage point
	"rps":        {0.10, 1},     // 10% and 1 request/s
}

func kindOf(metric string) string {
	if _, ok := percentileOf(metric); ok {
		return "latency"
	}
	return metric
}

// resolveRegression fills defaults and checks the section.
func (c *Config) resolveRegression() error {
	r := defaultRegression()
	if c.Regression != nil {
		in := c.Regression
		if len(in.Metrics) > 0 {
			r.Metrics = in.Metrics
		}
		if in.Alpha != 0 {
			r.Alpha = in.Alpha
		}
		if in.Correction != "" {
			r.Correction = in.Correction
		}
		if in.PriorDF != 0 {
			r.PriorDF = in.PriorDF
		}
		r.Thresholds, r.WarnOnly, r.Noise = in.Thresholds, in.WarnOnly, in.Noise
	}
	if r.Alpha <= 0 || r.Alpha >= 1 {
		return fmt.Errorf("regression.alpha %v: want a value between 0 and 1", r.Alpha)
	}
	if r.Correction != "bh" && r.Correction != "holm" {
		return fmt.Errorf("regression.correction %q: want bh or holm", r.Correction)
	}
	if r.PriorDF < 0 {
		return fmt.Errorf("regression.prior_df %v: want 0 or more", r.PriorDF)
	}
	for _, m := range append(append([]string{}, r.Metrics...), r.WarnOnly...) {
		if _, ok := percentileOf(m); !ok && m != "error_rate" && m != "rps" {
			return fmt.Errorf("regression: metric %q: want p50…p99.9, error_rate or rps", m)
		}
	}
	c.thresholds = map[string]threshold{}
	for name, t := range r.Thresholds {
		kind := kindOf(name)
		unit := map[string]string{"latency": "ms", "error_rate": "ratio", "rps": "rps"}[kind]
		if unit == "" {
			return fmt.Errorf("regression.thresholds.%s: want a metric or latency", name)
		}
		th := defaultThresholds[kind]
		if t.Relative.Text != "" {
			if err := t.Relative.resolve(kindErrorRate, "ratio", false); err != nil {
				return fmt.Errorf("regression.thresholds.%s.relative: %w", name, err)
			}
			th.rel = t.Relative.Value
		}
		if t.Absolute.Text != "" {
			if err := t.Absolute.resolve(kindLatency, unit, false); err != nil {
				return fmt.Errorf("regression.thresholds.%s.absolute: %w", name, err)
			}
			th.abs = t.Absolute.Value
		}
		c.thresholds[name] = th
	}
	for m, v := range r.Noise {
		if v < 0 || v > 2 {
			return fmt.Errorf("regression.noise.%s %v: want a log-scale spread from 0 to 2", m, v)
		}
	}
	c.regression = r
	return nil
}

func (c *Config) thresholdFor(metric string) threshold {
	if t, ok := c.thresholds[metric]; ok {
		return t
	}
	if t, ok := c.thresholds[kindOf(metric)]; ok {
		return t
	}
	return defaultThresholds[kindOf(metric)]
}

func (c *Config) noiseFor(metric string) float64 {
	if v, ok := c.regression.Noise[metric]; ok {
		return v
	}
	if v, ok := calibratedNoise[metric]; ok {
		return v
	}
	return calibratedNoise["p99.9"]
}

// Change is the verdict of one comparison.
type Change int

// The outcomes of a comparison.
const (
	NoChange Change = iota
	Improvement
	Inconclusive
	Regression
)

func (c Change) String() string {
	return [...]string{"no significant change", "improvement", "inconclusive", "regression"}[c]
}

// Comparison is one endpoint's metric against the baseline.
type Comparison struct {
	Endpoint string // label; "Aggregated" for the whole run
	Metric   string
	Unit     string // "ms", "ratio", "rps"
	// Baseline is the baseline's level: the geometric mean of its runs
	// for latency and throughput, the pooled rate for errors.
	Baseline, Current float64
	// Change is Current/Baseline − 1; Lo and Hi bound it (95%).
	Change, Lo, Hi float64
	// P is the one-sided p-value of the change in the direction it went
	// (worse or better), PAdj the same adjusted over the gate.
	P, PAdj float64
	// pWorse and pBetter are the one-sided p-values of a change for the
	// worse and for the better.
	pWorse, pBetter float64
	Test            string
	N               string // sample sizes
	Verdict         Change
	Why             string
	WarnOnly        bool
}

// RegressionResult is the comparison of a run with its baseline.
type RegressionResult struct {
	Name        string   // the baseline's name
	Runs        []string // IDs of the baseline runs, oldest first
	Comparisons []Comparison
	Notes       []string
	Count       map[Change]int
}

// Regressions counts the regressions that fail (failing) and that only
// warn.
func (r *RegressionResult) Regressions() (failing, warning int) {
	for _, c := range r.Comparisons {
		if c.Verdict == Regression {
			if c.WarnOnly {
				warning++
			} else {
				failing++
			}
		}
	}
	return failing, warning
}

// Compare judges cur against base runs (oldest first).
func Compare(cfg *Config, cur *baselines.Run, base []*baselines.Run, name string) *RegressionResult {
	rc := cfg.regression
	res := &RegressionResult{Name: name, Count: map[Change]int{}}
	for _, b := range base {
		res.Runs = append(res.Runs, b.ID)
	}
	if len(base) == 1 {
		res.Notes = append(res.Notes, "one baseline run: this service's run-to-run noise is unknown. Latency is judged on the evidence inside the two runs (the spread of their 10 s window percentiles, where both histories have them per endpoint) plus the spread between whole runs that calibration measured on other runs (regression.noise sets it). Save more baseline runs for a sounder comparison.")
	}
	shape := shapeDiffers(cur, base)
	if shape != "" {
		res.Notes = append(res.Notes, "load shape differs: "+shape+"; comparisons are inconclusive")
	}

	// Pair endpoints by type and name, the Aggregated row last.
	curBy := map[string]*baselines.Endpoint{}
	var keys []string
	for i := range cur.Endpoints {
		e := &cur.Endpoints[i]
		curBy[e.Key()] = e
		keys = append(keys, e.Key())
	}
	labels := map[string]string{}
	baseBy := make([]map[string]*baselines.Endpoint, len(base))
	for j, b := range base {
		baseBy[j] = map[string]*baselines.Endpoint{}
		for i := range b.Endpoints {
			e := &b.Endpoints[i]
			baseBy[j][e.Key()] = e
			if _, ok := curBy[e.Key()]; !ok && labels[e.Key()] == "" {
				keys = append(keys, e.Key())
			}
			labels[e.Key()] = label(e)
		}
	}
	sort.Strings(keys[len(cur.Endpoints):])
	keys = uniq(keys)

	compareOne := func(lab string, c *baselines.Endpoint, bs []*baselines.Endpoint, gone bool) {
		for _, m := range rc.Metrics {
			cmp := Comparison{Endpoint: lab, Metric: m, P: math.NaN(), PAdj: math.NaN(),
				Change: math.NaN(), Lo: math.NaN(), Hi: math.NaN(),
				Baseline: math.NaN(), Current: math.NaN(), WarnOnly: contains(rc.WarnOnly, m)}
			switch {
			case gone:
				cmp.Verdict, cmp.Why = Inconclusive, "endpoint gone: not in this run"
			case len(bs) == 0:
				cmp.Verdict, cmp.Why = Inconclusive, "endpoint new: not in the baseline"
			case shape != "":
				cmp.Verdict, cmp.Why = Inconclusive, "load shape differs"
			default:
				cfg.measureShift(&cmp, c, bs, cur, base)
			}
			res.Comparisons = append(res.Comparisons, cmp)
		}
	}
	for _, k := range keys {
		c := curBy[k]
		var bs []*baselines.Endpoint
		for j := range base {
			if e := baseBy[j][k]; e != nil {
				bs = append(bs, e)
			}
		}
		lab := labels[k]
		if c != nil {
			lab = label(c)
		}
		compareOne(lab, c, bs, c == nil)
	}
	var totals []*baselines.Endpoint
	for _, b := range base {
		totals = append(totals, &b.Total)
	}
	compareOne("Aggregated", &cur.Total, totals, false)

	cfg.decide(res)
	return res
}

func label(e *baselines.Endpoint) string { return locust.Label(e.Type, e.Name) }

func uniq(keys []string) []string {
	seen := map[string]bool{}
	out := keys[:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// shapeDiffers says how the load of cur differs from the baseline's, or
// "" when the runs are comparable: the same peak user count.
func shapeDiffers(cur *baselines.Run, base []*baselines.Run) string {
	for _, b := range base {
		if cur.PeakUsers >= 0 && b.PeakUsers >= 0 && cur.PeakUsers != b.PeakUsers {
			return fmt.Sprintf("%d users against %d in baseline run %s", cur.PeakUsers, b.PeakUsers, b.ID)
		}
	}
	return ""
}

// measureShift fills the test of one metric.
func (cfg *Config) measureShift(cmp *Comparison, c *baselines.Endpoint, bs []*baselines.Endpoint, cur *baselines.Run, base []*baselines.Run) {
	if cmp.Metric == "error_rate" {
		errorRateShift(cmp, c, bs)
		return
	}
	rc := cfg.regression
	// Throughput is the steady state's only when every run has one for
	// the endpoint; otherwise all are whole-run averages, ramp-up
	// included, so that like is compared with like.
	steady := c.Steady != nil
	for _, e := range bs {
		steady = steady && e.Steady != nil
	}
	val := func(e *baselines.Endpoint) (v, w float64, why string) {
		if cmp.Metric == "rps" {
			return rpsOf(e, steady)
		}
		return latencyOf(e, cmp.Metric)
	}
	cv, cw, why := val(c)
	if why != "" {
		cmp.Verdict, cmp.Why = Inconclusive, why
		return
	}
	var bv, bw []float64
	for _, e := range bs {
		v, w, why := val(e)
		if why != "" {
			cmp.Verdict, cmp.Why = Inconclusive, "baseline: "+why
			return
		}
		bv, bw = append(bv, v), append(bw, w)
	}
	if cmp.Metric == "rps" {
		if d := durationMismatch(cur, base); d != "" {
			cmp.Verdict, cmp.Why = Inconclusive, d
			return
		}
	}
	var sh stats.Shift
	ok := false
	tau := cfg.noiseFor(cmp.Metric)
	if len(bs) == 1 {
		// One baseline run: the evidence inside the two runs, plus the
		// calibrated spread between whole runs.
		sh, ok = withinRuns(math.Log(cv), cw, c, math.Log(bv[0]), bw[0], bs[0], cmp.Metric,
			stats.Prior{Var: tau * tau, DF: calibrationDF})
		if ok {
			cmp.Test = fmt.Sprintf("window t, %.0f df", sh.DF)
		}
	}
	if !ok {
		prior := stats.Prior{Var: tau * tau, DF: rc.PriorDF}
		if len(bs) == 1 {
			prior.DF = calibrationDF
		}
		sh, ok = stats.CompareToRuns(math.Log(cv), cw, logs(bv), bw, prior, 0.95)
		cmp.Test = fmt.Sprintf("moderated t, %g df", sh.DF)
	}
	if !ok {
		cmp.Verdict, cmp.Why = Inconclusive, "no spread to test against"
		return
	}
	mean := 0.0
	for _, v := range logs(bv) {
		mean += v
	}
	cmp.Baseline = math.Exp(mean / float64(len(bv)))
	cmp.Current = cv
	cmp.Change = math.Exp(sh.Diff) - 1
	cmp.Lo, cmp.Hi = math.Exp(sh.Lo)-1, math.Exp(sh.Hi)-1
	up, down := stats.TSurvival(sh.T, sh.DF), stats.TSurvival(-sh.T, sh.DF)
	cmp.pWorse, cmp.pBetter = up, down
	if cmp.Metric == "rps" {
		cmp.pWorse, cmp.pBetter = down, up
	}
	cmp.Unit = "ms"
	if cmp.Metric == "rps" {
		cmp.Unit = "rps"
	}
	cmp.N = sizes(c, bs)
	if cmp.Metric == "rps" && !steady {
		cmp.Why = "whole-run throughput, ramp-up included: not every run has this endpoint's steady state (--csv-full-history)"
	}
}

func logs(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log(x)
	}
	return out
}

// sizes lists the request counts: the baseline runs', then the current
// run's, in the order of the value columns.
func sizes(c *baselines.Endpoint, bs []*baselines.Endpoint) string {
	var b strings.Builder
	for i, e := range bs {
		if i > 0 {
			b.WriteString("/")
		}
		fmt.Fprint(&b, e.Requests)
	}
	fmt.Fprintf(&b, " → %d", c.Requests)
	return b.String()
}

// withinRuns compares two single runs. Inside each run, the value varies
// by the spread of its steady-state window percentiles, sampled every
// 10 s so the windows are disjoint: the variance of a run's value is that
// spread over the number of windows (a batch-means estimate), and never
// below the sampling variance from the request counts. Between whole
// runs, which two runs cannot show, it adds the calibrated spread prior
// for each run. The degrees of freedom combine the two parts
// (Welch–Satterthwaite). It needs two windows in each run, and works for
// p50, p95 and p99, which the history samples keep.
func withinRuns(cur, wCur float64, c *baselines.Endpoint, base, wBase float64, b *baselines.Endpoint, metric string, prior stats.Prior) (stats.Shift, bool) {
	samples := func(e *baselines.Endpoint) []float64 {
		if e.Steady == nil {
			return nil
		}
		var vals []baselines.Num
		switch metric {
		case "p50":
			vals = e.Steady.P50
		case "p95":
			vals = e.Steady.P95
		case "p99":
			vals = e.Steady.P99
		}
		var out []float64
		for _, v := range vals {
			if f := float64(v); f > 0 {
				out = append(out, math.Log(f))
			}
		}
		return out
	}
	sc, sb := samples(c), samples(b)
	if len(sc) < 2 || len(sb) < 2 {
		return stats.Shift{}, false
	}
	_, vc := stats.MeanVar(sc)
	_, vb := stats.MeanVar(sb)
	// Pool the two runs' window variances.
	df := float64(len(sc) + len(sb) - 2)
	pooled := (vc*float64(len(sc)-1) + vb*float64(len(sb)-1)) / df
	runVar := func(n int, w float64) float64 { return math.Max(pooled/float64(n), w) }
	inside := runVar(len(sc), wCur) + runVar(len(sb), wBase)
	between := 2 * prior.Var
	se2 := inside + between
	if !(se2 > 0) {
		return stats.Shift{}, false
	}
	if between > 0 && prior.DF > 0 {
		df = se2 * se2 / (inside*inside/df + between*between/prior.DF)
	}
	sh := stats.Shift{Diff: cur - base, SE: math.Sqrt(se2), DF: df}
	sh.T = sh.Diff / sh.SE
	sh.P = math.Min(1, 2*stats.TSurvival(math.Abs(sh.T), df))
	q := stats.TQuantile(0.975, df)
	sh.Lo, sh.Hi = sh.Diff-q*sh.SE, sh.Diff+q*sh.SE
	return sh, true
}

// latencyOf reads a percentile on the log scale with its within-run
// sampling variance.
func latencyOf(e *baselines.Endpoint, metric string) (float64, float64, string) {
	frac, _ := percentileOf(metric)
	v, ok := e.Percentile(frac)
	switch {
	case !ok:
		return 0, 0, fmt.Sprintf("no %s value", metric)
	case v <= 0:
		return 0, 0, fmt.Sprintf("%s is 0 ms", metric)
	case float64(e.Requests)*(1-frac) < 5:
		return 0, 0, fmt.Sprintf("too few samples: %d requests cannot place a %s", e.Requests, metric)
	}
	var cols []stats.Percentile
	for _, p := range e.Percentiles {
		if !math.IsNaN(float64(p.Value)) {
			cols = append(cols, stats.Percentile{Fraction: p.Fraction, Value: float64(p.Value)})
		}
	}
	w := stats.LogQuantileVar(cols, frac, e.Requests, Resolution(v))
	if math.IsNaN(w) {
		rel := Resolution(v) / v
		w = rel * rel / 12
	}
	return v, w, ""
}

// rpsOf reads the steady-state throughput, or the whole run's, with the
// counting variance of its requests.
func rpsOf(e *baselines.Endpoint, steady bool) (float64, float64, string) {
	if s := e.Steady; steady && s != nil && s.Requests > 0 && s.Seconds > 0 {
		return s.RPS(), 1 / float64(s.Requests), ""
	}
	if r := float64(e.RPS); r > 0 && e.Requests > 0 {
		return r, 1 / float64(e.Requests), ""
	}
	return 0, 0, "no throughput"
}

// durationMismatch rejects throughput comparisons between runs whose
// lengths differ by more than a quarter.
func durationMismatch(cur *baselines.Run, base []*baselines.Run) string {
	for _, b := range base {
		c, d := float64(cur.Duration), float64(b.Duration)
		if c > 0 && d > 0 && math.Abs(c/d-1) > 0.25 {
			return fmt.Sprintf("load shape differs: %.0f s against %.0f s", c, d)
		}
	}
	return ""
}

// errorRateShift compares failure counts with the exact rate-ratio test,
// the baseline's runs pooled.
func errorRateShift(cmp *Comparison, c *baselines.Endpoint, bs []*baselines.Endpoint) {
	var x2, n2 int64
	for _, e := range bs {
		x2 += e.Failures
		n2 += e.Requests
	}
	x1, n1 := c.Failures, c.Requests
	cmp.Unit = "ratio"
	cmp.Test = "exact rate ratio"
	cmp.N = fmt.Sprintf("%d/%d → %d/%d", x2, n2, x1, n1)
	if n1 == 0 || n2 == 0 {
		cmp.Verdict, cmp.Why = Inconclusive, "too few samples: no requests"
		return
	}
	cmp.Current = float64(x1) / float64(n1)
	cmp.Baseline = float64(x2) / float64(n2)
	upper, _ := stats.RateRatioTest(x1, n1, x2, n2)
	lower, _ := stats.RateRatioTest(x2, n2, x1, n1)
	cmp.pWorse, cmp.pBetter = upper, lower
	if x1+x2 == 0 {
		cmp.Change, cmp.Lo, cmp.Hi = 0, math.NaN(), math.NaN()
		return
	}
	cmp.Change = cmp.Current/cmp.Baseline - 1
	// Clopper–Pearson bounds for x1's share of the events, turned into
	// bounds for the rate ratio.
	k, n := float64(x1), float64(x1+x2)
	lo, hi := 0.0, 1.0
	if x1 > 0 {
		lo = distuv.Beta{Alpha: k, Beta: n - k + 1}.Quantile(0.025)
	}
	if x1 < x1+x2 {
		hi = distuv.Beta{Alpha: k + 1, Beta: n - k}.Quantile(0.975)
	}
	scale := float64(n2) / float64(n1)
	ratio := func(p float64) float64 {
		if p >= 1 {
			return math.Inf(1)
		}
		return p / (1 - p) * scale
	}
	cmp.Lo, cmp.Hi = ratio(lo)-1, ratio(hi)-1
}

// decide adjusts the p-values for the whole gate and gives each
// comparison its verdict. Regressions and improvements are two families
// of one-sided tests, each adjusted on its own, so a gate that fails on
// regressions controls its false alarms at Alpha.
func (cfg *Config) decide(res *RegressionResult) {
	rc := cfg.regression
	worse := make([]float64, len(res.Comparisons))
	better := make([]float64, len(res.Comparisons))
	for i, c := range res.Comparisons {
		worse[i], better[i] = c.pWorse, c.pBetter
		if c.Verdict == Inconclusive || c.Test == "" {
			worse[i], better[i] = math.NaN(), math.NaN()
		}
	}
	adjust := stats.BenjaminiHochberg
	if rc.Correction == "holm" {
		adjust = stats.Holm
	}
	adjWorse, adjBetter := adjust(worse), adjust(better)
	for i := range res.Comparisons {
		c := &res.Comparisons[i]
		if c.Verdict == Inconclusive || math.IsNaN(worse[i]) {
			res.Count[c.Verdict]++
			continue
		}
		// Report the test in the direction the value moved.
		gotWorse := worse[i] <= better[i]
		c.P, c.PAdj = worse[i], adjWorse[i]
		if !gotWorse {
			c.P, c.PAdj = better[i], adjBetter[i]
		}
		c.Verdict = NoChange
		if !(c.PAdj <= rc.Alpha) {
			res.Count[c.Verdict]++
			continue
		}
		th := cfg.thresholdFor(c.Metric)
		diff := math.Abs(c.Current - c.Baseline)
		switch {
		case c.Unit == "ms" && diff < Resolution(c.Baseline):
			c.Verdict, c.Why = Inconclusive, "below resolution: the change is within one of Locust's buckets"
		case math.Abs(c.Change) < th.rel || diff < th.abs:
			c.Why = "significant, but below the practical size"
		case gotWorse:
			c.Verdict = Regression
		default:
			c.Verdict = Improvement
		}
		res.Count[c.Verdict]++
	}
}

// LogValue is the natural log of an endpoint's latency percentile
// ("p95") or throughput ("rps") with its sampling variance within the
// run; ok is false when the run cannot place it.
func LogValue(e *baselines.Endpoint, metric string) (v, w float64, ok bool) {
	var why string
	if metric == "rps" {
		v, w, why = rpsOf(e, true)
	} else {
		v, w, why = latencyOf(e, metric)
	}
	if why != "" {
		return 0, 0, false
	}
	return math.Log(v), w, true
}
