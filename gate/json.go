package gate

import (
	"encoding/json"
	"io"
	"math"
)

// JSONVersion is the version of the gate's JSON document; its JSON
// Schema is docs/schema/gate-v1.schema.json. It changes when a field
// changes meaning or goes away.
const JSONVersion = 1

// JSONResult is the gate as a JSON document. Unknown numbers are null;
// latency is in milliseconds, rates per second, error rates and changes
// fractions.
type JSONResult struct {
	Version    int             `json:"version"`
	Tool       string          `json:"tool"`
	Run        string          `json:"run"`
	Verdict    string          `json:"verdict"` // pass, warn, fail or no_data
	Failed     bool            `json:"failed"`  // the gate fails, --fail-on included
	ExitCode   int             `json:"exit_code"`
	Headline   string          `json:"headline"`
	Counts     map[string]int  `json:"counts"`
	Criteria   []JSONCriterion `json:"criteria"`
	Regression *JSONRegression `json:"regression"`
	Notes      []string        `json:"notes"`
}

// JSONCriterion is one criterion with its checks.
type JSONCriterion struct {
	Name     string      `json:"name"`
	Metric   string      `json:"metric"`
	Scope    string      `json:"scope"`
	Unit     string      `json:"unit"`
	Target   JSONLevel   `json:"target"`
	Critical JSONLevel   `json:"critical"`
	Verdict  string      `json:"verdict"`
	Checks   []JSONCheck `json:"checks"`
}

// JSONLevel is a level: a comparison and a value in the metric's unit.
type JSONLevel struct {
	Op    string  `json:"op"`
	Value float64 `json:"value"`
}

// JSONCheck is one endpoint's (or the scope's) value and verdict.
type JSONCheck struct {
	Endpoint  string   `json:"endpoint"` // "" for the run or the whole scope
	Value     *float64 `json:"value"`
	Verdict   string   `json:"verdict"`
	Note      string   `json:"note,omitempty"`
	NearLimit bool     `json:"near_limit"`
}

// JSONRegression is the comparison with the baseline.
type JSONRegression struct {
	Baseline string   `json:"baseline"`
	Runs     []string `json:"runs"`
	// Counts counts the comparisons by verdict.
	Counts      map[string]int   `json:"counts"`
	Comparisons []JSONComparison `json:"comparisons"`
	Notes       []string         `json:"notes"`
}

// JSONComparison is one endpoint's metric against the baseline.
type JSONComparison struct {
	Endpoint  string     `json:"endpoint"`
	Metric    string     `json:"metric"`
	Unit      string     `json:"unit"`
	Baseline  *float64   `json:"baseline"`
	Current   *float64   `json:"current"`
	Change    *float64   `json:"change"`
	CI        []*float64 `json:"ci95"`
	P         *float64   `json:"p"`
	PAdjusted *float64   `json:"p_adjusted"`
	Test      string     `json:"test"`
	Samples   string     `json:"samples"`
	Verdict   string     `json:"verdict"`
	Reason    string     `json:"reason,omitempty"`
	WarnOnly  bool       `json:"warn_only"`
}

func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// verdictKey is the JSON spelling of a verdict.
func verdictKey(v Verdict) string {
	return map[Verdict]string{Pass: "pass", Warn: "warn", Fail: "fail", NotMeasured: "not_measured"}[v]
}

// ExitCode is the process exit code the result calls for: 0 pass or
// warn, 1 failed, 2 no data.
func (r *Result) ExitCode() int {
	switch {
	case r.NoData != "":
		return 2
	case r.Failed():
		return 1
	}
	return 0
}

// JSON converts the result.
func (r *Result) JSON() JSONResult {
	j := JSONResult{
		Version: JSONVersion, Tool: "loadgate", Run: r.Run,
		Verdict: verdictKey(r.Verdict), Failed: r.Failed() && r.NoData == "", ExitCode: r.ExitCode(),
		Headline: r.Headline(), Counts: map[string]int{}, Criteria: []JSONCriterion{},
		Notes: append([]string{}, r.Notes...),
	}
	if r.NoData != "" {
		j.Verdict = "no_data"
	}
	for _, v := range []Verdict{Pass, Warn, Fail, NotMeasured} {
		j.Counts[verdictKey(v)] = r.Count[v]
	}
	for _, cr := range r.Criteria {
		jc := JSONCriterion{
			Name: cr.Criterion.Name, Metric: cr.Criterion.Metric, Scope: cr.Criterion.Scope.String(),
			Unit:     cr.Unit,
			Target:   JSONLevel{cr.Criterion.Target.Op, cr.Criterion.Target.Value},
			Critical: JSONLevel{cr.Criterion.Critical.Op, cr.Criterion.Critical.Value},
			Verdict:  verdictKey(cr.Verdict), Checks: []JSONCheck{},
		}
		for _, c := range cr.Checks {
			jc.Checks = append(jc.Checks, JSONCheck{Endpoint: c.Endpoint, Value: num(c.Value),
				Verdict: verdictKey(c.Verdict), Note: c.Why, NearLimit: c.NearLimit})
		}
		j.Criteria = append(j.Criteria, jc)
	}
	if rg := r.Regression; rg != nil {
		jr := &JSONRegression{Baseline: rg.Name, Runs: append([]string{}, rg.Runs...),
			Comparisons: []JSONComparison{}, Notes: append([]string{}, rg.Notes...), Counts: map[string]int{}}
		for _, v := range []Change{NoChange, Improvement, Inconclusive, Regression} {
			jr.Counts[changeKey(v)] = rg.Count[v]
		}
		for _, c := range rg.Comparisons {
			jr.Comparisons = append(jr.Comparisons, JSONComparison{
				Endpoint: c.Endpoint, Metric: c.Metric, Unit: c.Unit,
				Baseline: num(c.Baseline), Current: num(c.Current), Change: num(c.Change),
				CI: []*float64{num(c.Lo), num(c.Hi)}, P: num(c.P), PAdjusted: num(c.PAdj),
				Test: c.Test, Samples: c.N, Verdict: changeKey(c.Verdict), Reason: c.Why, WarnOnly: c.WarnOnly,
			})
		}
		j.Regression = jr
	}
	return j
}

func changeKey(c Change) string {
	return [...]string{"no_change", "improvement", "inconclusive", "regression"}[c]
}

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.JSON())
}
