package gate

import (
	"math"
	"strings"
	"testing"

	"github.com/loadgate/loadgate/baselines"
)

func runDoc(t *testing.T, name string) *baselines.Run {
	t.Helper()
	r := baselines.FromReport(analyzeRun(t, "locust-2.12/"+name+"/load-test"))
	r.ID = name
	return r
}

// regressions lists "endpoint metric" of every regression.
func regressions(res *RegressionResult) []string {
	var out []string
	for _, c := range res.Comparisons {
		if c.Verdict == Regression {
			out = append(out, c.Endpoint+" "+c.Metric)
		}
	}
	return out
}

// TestRealRunsAgainstBaseA: the acceptance check on real Locust runs.
// base-b repeats base-a's settings: no regression. slow-25 has every
// server delay 25% longer: POST /submodels regresses, the cached read,
// whose time is mostly the client's own, does not.
func TestRealRunsAgainstBaseA(t *testing.T) {
	cfg := Default()
	a := runDoc(t, "base-a")
	if got := regressions(Compare(cfg, runDoc(t, "base-b"), []*baselines.Run{a}, "main")); len(got) != 0 {
		t.Errorf("base-b against base-a: regressions %v, want none", got)
	}
	res := Compare(cfg, runDoc(t, "slow-25"), []*baselines.Run{a}, "main")
	got := strings.Join(regressions(res), ", ")
	if !strings.Contains(got, "POST /submodels p95") {
		t.Errorf("slow-25: regressions %q, want POST /submodels among them", got)
	}
	if strings.Contains(got, "cached") {
		t.Errorf("slow-25: regressions %q include the cached read", got)
	}
	if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "run-to-run noise is unknown") {
		t.Errorf("single-baseline caveat missing: %v", res.Notes)
	}
	for _, c := range res.Comparisons {
		if c.Endpoint == "POST /submodels" && c.Metric == "p95" {
			if math.Abs(c.Baseline-61) > 1e-9 || c.Current != 73 || math.Abs(c.Change-(73.0/61-1)) > 1e-9 ||
				!(c.Lo > 0 && c.Hi > c.Change) || c.N != "12942 → 11323" {
				t.Errorf("POST /submodels p95 comparison = %+v", c)
			}
		}
	}
}

func TestInconclusiveReasons(t *testing.T) {
	cfg := Default()
	a := runDoc(t, "base-a")
	sat := runDoc(t, "saturated") // 120 users
	res := Compare(cfg, sat, []*baselines.Run{a}, "main")
	if res.Count[Inconclusive] != len(res.Comparisons) || !strings.Contains(res.Notes[len(res.Notes)-1], "load shape differs") {
		t.Errorf("120 users against 40: %v, notes %v", res.Count, res.Notes)
	}

	// An endpoint only in the baseline, one only in the current run.
	cur := runDoc(t, "base-b")
	cur.Endpoints[0].Name = "GET /renamed"
	res = Compare(cfg, cur, []*baselines.Run{a}, "main")
	whys := map[string]string{}
	for _, c := range res.Comparisons {
		if c.Metric == "p50" {
			whys[c.Endpoint] = c.Why
		}
	}
	if !strings.HasPrefix(whys["GET /renamed"], "endpoint new") || !strings.HasPrefix(whys["GET /shells"], "endpoint gone") {
		t.Errorf("new/gone: %v", whys)
	}
	// POST /shells has about 200 requests: too few to place a p99.
	for _, c := range res.Comparisons {
		if c.Endpoint == "POST /shells" && c.Metric == "p99" && !strings.HasPrefix(c.Why, "too few samples") {
			t.Errorf("POST /shells p99: %+v", c)
		}
	}
}

// TestErrorRateRegression: errors-5 fails 5% of writes.
func TestErrorRateRegression(t *testing.T) {
	res := Compare(Default(), runDoc(t, "errors-5"), []*baselines.Run{runDoc(t, "base-a")}, "main")
	got := strings.Join(regressions(res), ", ")
	for _, want := range []string{"POST /submodels error_rate", "Aggregated error_rate"} {
		if !strings.Contains(got, want) {
			t.Errorf("regressions %q, want %s", got, want)
		}
	}
}

func TestRegressionConfig(t *testing.T) {
	cfg := mustConfig(t, `
regression:
  metrics: [p95, error_rate]
  alpha: 0.05
  correction: holm
  thresholds:
    latency: {relative: 20%, absolute: 5ms}
  warn_only: [p95]
`)
	if cfg.regression.Correction != "holm" || cfg.thresholdFor("p95") != (threshold{0.2, 5}) || len(cfg.Criteria) != 0 {
		t.Errorf("resolved %+v %+v", cfg.regression, cfg.thresholdFor("p95"))
	}
	res := Compare(cfg, runDoc(t, "slow-25"), []*baselines.Run{runDoc(t, "base-a")}, "main")
	for _, c := range res.Comparisons {
		if c.Metric != "p95" && c.Metric != "error_rate" {
			t.Fatalf("metric %s compared", c.Metric)
		}
		if c.Verdict == Regression && !c.WarnOnly {
			t.Errorf("%s %s fails; p95 regressions should only warn", c.Endpoint, c.Metric)
		}
	}
	for _, bad := range []string{
		"regression: {alpha: 2}", "regression: {correction: bonferroni}",
		"regression: {metrics: [latency]}", "regression: {thresholds: {p95: {relative: fast}}}",
	} {
		if _, err := ParseConfig([]byte(bad), "x.yaml"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTrendFindsShift(t *testing.T) {
	cfg := Default()
	var runs []*baselines.Run
	for _, name := range []string{"base-a", "base-b", "base-a", "base-b", "slow-25", "slow-25"} {
		runs = append(runs, runDoc(t, name))
	}
	pts, err := Trend(cfg, runs, "POST /submodels", "p50")
	if err != nil {
		t.Fatal(err)
	}
	var shifts []string
	for i, p := range pts {
		if p.Shift != "" {
			shifts = append(shifts, p.Shift+"@"+string(rune('0'+i)))
		}
	}
	if strings.Join(shifts, ",") != "up@4" {
		t.Errorf("shifts %v, want up at run 4", shifts)
	}
	if s := Sparkline([]float64{1, 2, math.NaN(), 3}); s != "▁▅ █" {
		t.Errorf("sparkline %q", s)
	}
	if _, err := Trend(cfg, runs, "GET /nothing", "p50"); err == nil {
		t.Error("unknown endpoint accepted")
	}
}
