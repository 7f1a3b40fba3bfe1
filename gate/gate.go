// Package gate judges a Locust run against performance criteria.
//
// A criterion (see Config) names a metric, a scope of endpoints and two
// levels. Each ends as Pass, Warn (target missed, critical met), Fail
// (critical missed) or NotMeasured (no data, which never passes
// silently). Latency criteria are judged per endpoint of their scope,
// since Locust keeps no histogram from which a combined percentile could
// be computed exactly; error rates, throughput and failure counts are
// judged on the scope's combined counts unless `per: endpoint` is set.
//
//	cfg, _ := gate.ParseConfig(data, "loadgate.yaml")
//	rep, _ := analyze.Analyze(files)
//	res := gate.Evaluate(cfg, gate.Input{Report: rep}, gate.Policy{})
//	if res.Failed() { … }
package gate

import (
	"fmt"
	"math"
	"strings"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/internal/glob"
)

// Verdict is the outcome of a check, a criterion or the gate.
type Verdict int

// The verdicts, in rising order of severity for a measured value.
const (
	Pass Verdict = iota
	NotMeasured
	Warn
	Fail
)

func (v Verdict) String() string {
	switch v {
	case Pass:
		return "pass"
	case Warn:
		return "warn"
	case Fail:
		return "fail"
	}
	return "not measured"
}

// Measurement is the value of an external metric, or why there is none.
type Measurement struct {
	Value  float64 // in the metric's unit; a ratio is a fraction
	Source string  // "--metric", "prometheus"
	Err    string  // set when the value could not be obtained
}

// Input is what a gate judges.
type Input struct {
	Report   *analyze.Report
	External map[string]Measurement
	// Baseline, when set, are the saved runs to compare with, oldest
	// first, saved under BaselineName.
	Baseline     []*baselines.Run
	BaselineName string
}

// Check is the judgement of one criterion on one endpoint, or on the
// combined figure of its scope (Endpoint "").
type Check struct {
	Endpoint string
	Value    float64 // in the metric's unit; NaN when not measured
	Verdict  Verdict
	// Why says why a value is missing, or where it came from.
	Why string
	// NearLimit is set when Locust's rounding of the value spans a level,
	// so the true value could fall on the other side.
	NearLimit bool
}

// CriterionResult is a criterion with its checks. Its verdict is the
// worst measured one; NotMeasured only when nothing was measured.
type CriterionResult struct {
	Criterion *Criterion
	Unit      string
	Verdict   Verdict
	Checks    []Check
}

// Result is the whole gate.
type Result struct {
	Config   *Config
	Run      string // the stats file judged
	Criteria []CriterionResult
	// Verdict is Fail if any criterion failed, else Warn if any warned,
	// else Pass. Criteria not measured do not change it; Count tells how
	// many there were.
	Verdict Verdict
	Count   map[Verdict]int
	Notes   []string
	// Policy decides what fails the gate besides a failed criterion.
	Policy Policy
	// NoData, when set, says why the run cannot be judged at all: it
	// made no requests, or no criterion could be measured.
	NoData string
	// Regression is the comparison with the baseline, nil without one.
	Regression *RegressionResult
	// Report is the analysis of the run judged.
	Report *analyze.Report
	// Baseline are the runs compared with, oldest first.
	Baseline []*baselines.Run
	// BaselineMissing names the baseline asked for when it had no runs.
	BaselineMissing string
}

// Policy is what fails a gate besides a failed criterion.
type Policy struct {
	FailOnWarn       bool // a warning fails the gate
	FailOnUnmeasured bool // a criterion not measured fails the gate
}

// Failed reports whether the gate fails under its policy.
func (r *Result) Failed() bool {
	return r.Verdict == Fail ||
		(r.Policy.FailOnWarn && r.Verdict == Warn) ||
		(r.Policy.FailOnUnmeasured && r.Count[NotMeasured] > 0)
}

// Evaluate judges in against every criterion of cfg.
func Evaluate(cfg *Config, in Input, policy Policy) *Result {
	res := &Result{Config: cfg, Run: in.Report.Files.Stats, Count: map[Verdict]int{}, Policy: policy, Report: in.Report}
	if cfg.File == "" {
		res.Notes = append(res.Notes, "no loadgate.yaml: applied the built-in targets; GET endpoints count as reads, reads whose name contains \"cache\" as cached reads, the other reads as DB reads (write a loadgate.yaml with loadgate init to change this)")
	}
	res.Notes = append(res.Notes, in.Report.Notes...)
	for _, cr := range cfg.Criteria {
		r := evaluateOne(cfg, cr, in)
		res.Criteria = append(res.Criteria, r)
		res.Count[r.Verdict]++
		if r.Verdict > res.Verdict && r.Verdict != NotMeasured {
			res.Verdict = r.Verdict
		}
	}
	if in.Baseline != nil && len(in.Baseline) == 0 {
		res.BaselineMissing = in.BaselineName
		res.Notes = append(res.Notes, fmt.Sprintf("no saved runs under %s to compare with: only the criteria were judged (save one with loadgate baselines save)", in.BaselineName))
	}
	if len(in.Baseline) > 0 {
		res.Baseline = in.Baseline
		res.Regression = Compare(cfg, baselines.FromReport(in.Report), in.Baseline, in.BaselineName)
		failing, warning := res.Regression.Regressions()
		switch {
		case failing > 0:
			res.Verdict = Fail
		case warning > 0 && res.Verdict < Warn:
			res.Verdict = Warn
		}
	}
	compared := res.Regression != nil && len(res.Regression.Comparisons) > res.Regression.Count[Inconclusive]
	switch {
	case in.Report.Requests == 0:
		res.NoData = "the run made no requests"
	case res.Count[NotMeasured] == len(res.Criteria) && !compared:
		res.NoData = "no criterion could be measured"
	}
	return res
}

func evaluateOne(cfg *Config, cr *Criterion, in Input) CriterionResult {
	kind, unit, _, _ := cfg.metricInfo(cr.Metric)
	out := CriterionResult{Criterion: cr, Unit: unit}
	rep := in.Report

	switch {
	case kind == kindExternal:
		out.Checks = []Check{externalCheck(cr, in.External[cr.Metric])}
	case isRunScope(cr.Scope):
		out.Checks = []Check{measure(cr, kind, rep, []*analyze.Endpoint{&rep.Total}, true)}
	default:
		eps := cfg.selectEndpoints(cr.Scope, rep.Endpoints)
		switch {
		case len(eps) == 0:
			out.Checks = []Check{{Value: math.NaN(), Verdict: NotMeasured,
				Why: "no endpoint of the run is in scope " + cr.Scope.String()}}
		case kind == kindLatency || cr.Per == "endpoint":
			for _, e := range eps {
				c := measure(cr, kind, rep, []*analyze.Endpoint{e}, false)
				c.Endpoint = e.Label()
				out.Checks = append(out.Checks, c)
			}
		default:
			out.Checks = []Check{measure(cr, kind, rep, eps, false)}
		}
	}

	out.Verdict = NotMeasured
	measured := false
	for _, c := range out.Checks {
		if c.Verdict == NotMeasured {
			continue
		}
		if !measured || c.Verdict > out.Verdict {
			out.Verdict = c.Verdict
		}
		measured = true
	}
	return out
}

func isRunScope(s Scope) bool {
	return s.Run || (s.Class == "" && len(s.Names) == 0 && len(s.Types) == 0)
}

// judge compares a value with the criterion's levels.
func judge(cr *Criterion, v float64) Verdict {
	switch {
	case cr.Target.met(v):
		return Pass
	case cr.Critical.met(v):
		return Warn
	}
	return Fail
}

func (l Level) met(v float64) bool {
	switch l.Op {
	case "<":
		return v < l.Value
	case "<=":
		return v <= l.Value
	case ">":
		return v > l.Value
	case ">=":
		return v >= l.Value
	}
	return false
}

// measure takes the criterion's metric over the endpoints (combined when
// there are several) and judges it.
func measure(cr *Criterion, kind metricKind, rep *analyze.Report, eps []*analyze.Endpoint, run bool) Check {
	c := Check{Value: math.NaN()}
	var requests, failures int64
	for _, e := range eps {
		requests += e.Requests
		failures += e.Failures
	}
	switch kind {
	case kindLatency:
		c.Value, c.Why = latency(cr.Metric, rep, eps[0])
	case kindErrorRate:
		if requests > 0 {
			c.Value = float64(failures) / float64(requests)
		} else {
			c.Why = "no requests"
		}
	case kindCount:
		c.Value = float64(failures)
	case kindRPS:
		c.Value, c.Why = throughput(rep, eps, run)
	}
	if math.IsNaN(c.Value) {
		c.Verdict = NotMeasured
		return c
	}
	c.Verdict = judge(cr, c.Value)
	if kind == kindLatency && bucketed(cr.Metric) {
		half := Resolution(c.Value) / 2
		for _, l := range []Level{cr.Target, cr.Critical} {
			if l.met(c.Value-half) != l.met(c.Value+half) {
				c.NearLimit = true
			}
		}
	}
	return c
}

// bucketed reports whether Locust stores the metric as a rounded
// histogram bucket (percentiles and the median) rather than exactly.
func bucketed(metric string) bool {
	_, isPct := percentileOf(metric)
	return isPct || metric == "median"
}

// Resolution is the width of Locust's response-time bucket around v
// milliseconds: 1 ms below 100 ms, then two significant digits.
func Resolution(v float64) float64 {
	switch {
	case v < 100:
		return 1
	case v < 1000:
		return 10
	case v < 10000:
		return 100
	}
	return 1000
}

func latency(metric string, rep *analyze.Report, e *analyze.Endpoint) (float64, string) {
	if e.Requests == 0 {
		return math.NaN(), "no requests"
	}
	switch metric {
	case "median":
		return e.Median, ""
	case "avg", "average":
		return e.Average, ""
	case "max":
		return e.Max, ""
	case "min":
		return e.Min, ""
	}
	frac, _ := percentileOf(metric)
	if v, ok := rep.Percentile(e, frac); ok {
		return v, ""
	}
	for _, p := range rep.Percentiles {
		if math.Abs(p.Fraction-frac) < 1e-9 {
			return math.NaN(), "no value in the " + p.Label + " column"
		}
	}
	if frac == 0.5 && !math.IsNaN(e.Median) {
		return e.Median, "Locust's median (no 50% column)"
	}
	return math.NaN(), fmt.Sprintf("this run has no %s column (Locust wrote %s)",
		strings.TrimPrefix(metric, "p")+"%", percentileLabels(rep))
}

func percentileLabels(rep *analyze.Report) string {
	if len(rep.Percentiles) == 0 {
		return "no percentiles"
	}
	var ls []string
	for _, p := range rep.Percentiles {
		ls = append(ls, p.Label)
	}
	return strings.Join(ls, " ")
}

// throughput prefers the steady state, which excludes ramp-up and
// warm-up, and falls back to the whole-run average.
func throughput(rep *analyze.Report, eps []*analyze.Endpoint, run bool) (float64, string) {
	if run && rep.Steady != nil && !math.IsNaN(rep.Steady.RPS) {
		return rep.Steady.RPS, "steady state"
	}
	steady, whole := 0.0, 0.0
	for _, e := range eps {
		steady += e.SteadyRPS
		whole += e.RPS
	}
	if !run && !math.IsNaN(steady) {
		return steady, "steady state"
	}
	if math.IsNaN(whole) {
		return whole, "no throughput in the stats file"
	}
	return whole, "whole run, ramp-up included"
}

func externalCheck(cr *Criterion, m Measurement) Check {
	c := Check{Value: math.NaN(), Verdict: NotMeasured}
	switch {
	case m.Err != "":
		c.Why = m.Err
	case m.Source == "":
		c.Why = fmt.Sprintf("no value: give --metric %s=VALUE, or --metrics-before and --metrics-after scrapes", cr.Metric)
	default:
		c.Value, c.Why = m.Value, m.Source
		c.Verdict = judge(cr, m.Value)
	}
	return c
}

// selectEndpoints returns the endpoints in scope, in report order.
func (c *Config) selectEndpoints(s Scope, eps []analyze.Endpoint) []*analyze.Endpoint {
	var out []*analyze.Endpoint
	for i := range eps {
		e := &eps[i]
		var in bool
		if s.Class != "" {
			in = c.inClass(s.Class, e, 0)
		} else {
			in = matches(s.Names, s.Types, e)
		}
		if in {
			out = append(out, e)
		}
	}
	return out
}

func (c *Config) inClass(name string, e *analyze.Endpoint, depth int) bool {
	cl := c.Classes[name]
	if cl == nil || depth > len(c.Classes) || !matches(cl.Names, cl.Types, e) {
		return false
	}
	for _, ex := range cl.Except {
		if c.inClass(ex, e, depth+1) {
			return false
		}
	}
	return true
}

// matches applies name patterns (to the name or to "TYPE NAME") and
// types; an empty list matches everything.
func matches(names, types []string, e *analyze.Endpoint) bool {
	if len(types) > 0 {
		ok := false
		for _, t := range types {
			ok = ok || strings.EqualFold(t, e.Type)
		}
		if !ok {
			return false
		}
	}
	if len(names) == 0 {
		return true
	}
	for _, p := range names {
		re, err := glob.Compile(p) // checked when the configuration was parsed
		if err == nil && (re.MatchString(e.Name) || re.MatchString(e.Label())) {
			return true
		}
	}
	return false
}
