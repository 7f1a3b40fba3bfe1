package gate

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locust"
)

const testdata = "../testdata"

func analyzeRun(t *testing.T, prefix string) *analyze.Report {
	t.Helper()
	files, err := locust.FindFiles(filepath.Join(testdata, prefix))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func mustConfig(t *testing.T, text string) *Config {
	t.Helper()
	c, err := ParseConfig([]byte(text), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLevels(t *testing.T) {
	cfg := mustConfig(t, `
metrics:
  hit: {unit: ratio, better: higher}
criteria:
  - {metric: p50, target: 10ms, critical: 0.05s}
  - {metric: error_rate, target: 0.1%, critical: 0.01}
  - {metric: rps, target: 1000rps, critical: 500}
  - {metric: failures, target: 1, critical: 10}
  - {metric: hit, target: 95%, critical: ">=0.8"}
  - {metric: max, target: "<=100ms", critical: "< 1s"}
`)
	want := []struct {
		op1, op2 string
		v1, v2   float64
	}{
		{"<", "<", 10, 50},
		{"<", "<", 0.001, 0.01},
		{">", ">", 1000, 500},
		{"<", "<", 1, 10},
		{">", ">=", 0.95, 0.8},
		{"<=", "<", 100, 1000},
	}
	for i, w := range want {
		c := cfg.Criteria[i]
		if c.Target.Op != w.op1 || c.Critical.Op != w.op2 ||
			math.Abs(c.Target.Value-w.v1) > 1e-12 || math.Abs(c.Critical.Value-w.v2) > 1e-12 {
			t.Errorf("criterion %d: %s %v / %s %v, want %s %v / %s %v", i+1,
				c.Target.Op, c.Target.Value, c.Critical.Op, c.Critical.Value, w.op1, w.v1, w.op2, w.v2)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"", "test.yaml: file is empty"},
		{"criteria: []", "test.yaml: no criteria"},
		{"criteria:\n  - {metric: p50, target: 10, critical: 50ms}", `test.yaml: line 2: p50 (run): level "10": want a time such as 10ms or 0.5s`},
		{"criteria:\n  - {metric: p50, target: fast, critical: 50ms}", `test.yaml: line 2: level "fast": want a number with a unit`},
		{"criteria:\n  - {metric: p50, target: 50ms, critical: 10ms}", `critical "10ms" is stricter than target "50ms"`},
		{"criteria:\n  - {metric: error_rate, target: 2, critical: 5%}", `level "2": want a fraction from 0 to 1 or a percentage`},
		{"criteria:\n  - {metric: latency, target: 1ms, critical: 2ms}", `metric "latency": want p50…p99.9`},
		{"criteria:\n  - {metric: p50, scope: nosuch, target: 1ms, critical: 2ms}", `scope "nosuch": no such class`},
		{"criteria:\n  - {metric: p50, target: 1ms}", "want both target and critical levels"},
		{"criteria:\n  - {metric: p50, target: 1ms, critical: 2ms, colour: red}", "field colour not found"},
		{"criteria:\n  - {metric: rps, target: \"<100rps\", critical: \">50rps\"}", "compare in opposite directions"},
		{"classes:\n  a: {except: [b]}\ncriteria:\n  - {metric: p50, target: 1ms, critical: 2ms}", `classes.a.except: no other class named "b"`},
		{"metrics:\n  hit: {unit: percent, better: higher}\ncriteria:\n  - {metric: p50, target: 1ms, critical: 2ms}", `metrics.hit: unit "percent"`},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.yaml), "test.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseConfig(%q)\n err = %v\nwant it to contain %q", tt.yaml, err, tt.want)
		}
	}
}

func TestDefaultConfigParses(t *testing.T) {
	c := Default()
	if len(c.Criteria) != 7 {
		t.Fatalf("%d default criteria, want the 7 rows of the table", len(c.Criteria))
	}
}

// TestVerdictBoundaries checks strict and inclusive comparisons at and
// around the levels.
func TestVerdictBoundaries(t *testing.T) {
	cfg := mustConfig(t, `
criteria:
  - {metric: p50, target: 10ms, critical: 50ms}
  - {metric: rps, target: 1000rps, critical: 500rps}
  - {metric: p99, target: "<=10ms", critical: "<=50ms"}
`)
	tests := []struct {
		crit int
		v    float64
		want Verdict
	}{
		{0, 9, Pass}, {0, 10, Warn}, {0, 49.9, Warn}, {0, 50, Fail}, {0, 0, Pass},
		{1, 1001, Pass}, {1, 1000, Warn}, {1, 501, Warn}, {1, 500, Fail}, {1, 0, Fail},
		{2, 10, Pass}, {2, 50, Warn}, {2, 51, Fail},
	}
	for _, tt := range tests {
		if got := judge(cfg.Criteria[tt.crit], tt.v); got != tt.want {
			t.Errorf("criterion %d at %v: %v, want %v", tt.crit+1, tt.v, got, tt.want)
		}
	}
}

// TestRealRunsExampleTargets gates the five recorded Locust 2.12 runs
// against the example targets of the stand-in service.
func TestRealRunsExampleTargets(t *testing.T) {
	cfg, err := ParseConfig(mustRead(t, "../examples/loadgate.yaml"), "examples/loadgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ext := map[string]Measurement{"cache_hit_rate": {Value: 0.97, Source: "--metric"}}
	tests := []struct {
		run     string
		verdict Verdict
		failing []string // criteria that fail
	}{
		{"base-a", Pass, nil},
		{"base-b", Pass, nil},
		{"slow-25", Warn, nil},
		{"errors-5", Fail, []string{"Error rate"}},
		{"saturated", Fail, []string{"p50 latency (cached read)", "p99 latency (cached read)", "p50 latency (DB read)", "p95 latency (writes)"}},
	}
	for _, tt := range tests {
		res := Evaluate(cfg, Input{Report: analyzeRun(t, "locust-2.12/"+tt.run+"/load-test"), External: ext}, Policy{})
		var failing []string
		for _, c := range res.Criteria {
			if c.Verdict == Fail {
				failing = append(failing, c.Criterion.Name)
			}
		}
		if res.Verdict != tt.verdict || strings.Join(failing, ",") != strings.Join(tt.failing, ",") {
			t.Errorf("%s: %v failing %q, want %v failing %q", tt.run, res.Verdict, failing, tt.verdict, tt.failing)
		}
	}
}

// TestDefaultTargetsOnRealRuns: the built-in table applied to the
// stand-in runs. Their reads run at about 380 requests/s, under the
// table's critical 500, so every run fails on throughput, and errors-5
// fails on its error rate too. The cache hit rate is never measured.
func TestDefaultTargetsOnRealRuns(t *testing.T) {
	for _, run := range []string{"base-a", "errors-5"} {
		res := Evaluate(Default(), Input{Report: analyzeRun(t, "locust-2.12/"+run+"/load-test")}, Policy{})
		got := map[string]Verdict{}
		for _, c := range res.Criteria {
			got[c.Criterion.Name] = c.Verdict
		}
		wantErr := Pass
		if run == "errors-5" {
			wantErr = Fail
		}
		if got["Throughput (reads)"] != Fail || got["Error rate"] != wantErr ||
			got["Cache hit rate"] != NotMeasured || got["p50 latency (cached read)"] != Pass {
			t.Errorf("%s: %v", run, got)
		}
		if res.Count[NotMeasured] != 1 || res.Verdict != Fail {
			t.Errorf("%s: verdict %v, counts %v", run, res.Verdict, res.Count)
		}
	}
}

func TestNotMeasured(t *testing.T) {
	cfg := mustConfig(t, `
criteria:
  - {metric: p99.9, target: 10ms, critical: 50ms}
  - {metric: p50, scope: {names: ["/nothing*"]}, target: 10ms, critical: 50ms}
`)
	// 0.x distribution: nine percentiles, no 99.9%.
	res := Evaluate(cfg, Input{Report: analyzeRun(t, "public/locust/result")}, Policy{})
	for i, wantWhy := range []string{"this run has no 99.9% column", "no endpoint of the run is in scope"} {
		c := res.Criteria[i]
		if c.Verdict != NotMeasured || !strings.Contains(c.Checks[0].Why, wantWhy) {
			t.Errorf("criterion %d: %v %q, want not measured: %q", i+1, c.Verdict, c.Checks[0].Why, wantWhy)
		}
	}
	if res.Verdict != Pass || res.Count[NotMeasured] != 2 {
		t.Errorf("verdict %v counts %v", res.Verdict, res.Count)
	}
}

func TestNearLimitRounding(t *testing.T) {
	// kraftd's POST /api/v1/docs/upload has p95 = 250 (bucket 245–255).
	cfg := mustConfig(t, `
criteria:
  - {metric: p95, scope: {names: ["/api/v1/docs/upload"]}, target: 252ms, critical: 1s}
  - {metric: p95, scope: {names: ["/api/v1/docs/upload"]}, target: 300ms, critical: 1s}
`)
	res := Evaluate(cfg, Input{Report: analyzeRun(t, "public/kraftd/results")}, Policy{})
	if c := res.Criteria[0].Checks[0]; c.Value != 250 || !c.NearLimit {
		t.Errorf("250 vs 252: %+v, want near the limit", c)
	}
	if c := res.Criteria[1].Checks[0]; c.NearLimit {
		t.Errorf("250 vs 300: %+v, not near the limit", c)
	}
}

func TestScopes(t *testing.T) {
	cfg := mustConfig(t, `
classes:
  write: {types: [post, PUT]}
  shells: {names: ["*shells*"], except: [write]}
criteria:
  - {metric: error_rate, scope: write, target: 1%, critical: 5%}
  - {metric: error_rate, scope: write, per: endpoint, target: 1%, critical: 5%}
  - {metric: p50, scope: shells, target: 100ms, critical: 200ms}
  - {metric: rps, scope: {names: ["re:^GET /sub"]}, target: 1rps, critical: 0.5rps}
`)
	res := Evaluate(cfg, Input{Report: analyzeRun(t, "locust-2.12/errors-5/load-test")}, Policy{})
	// Combined writes: (11+661+22) of (POST /shells + POST /submodels + PUT) requests.
	if n := len(res.Criteria[0].Checks); n != 1 {
		t.Fatalf("combined scope gave %d checks", n)
	}
	if n := len(res.Criteria[1].Checks); n != 3 {
		t.Errorf("per endpoint gave %d checks, want 3", n)
	}
	var eps []string
	for _, c := range res.Criteria[2].Checks {
		eps = append(eps, c.Endpoint)
	}
	if got := strings.Join(eps, ","); got != "GET /shells,GET /shells/{id} (cached)" {
		t.Errorf("shells minus writes = %s", got)
	}
	if c := res.Criteria[3].Checks[0]; c.Verdict != Pass || c.Why != "whole run, ramp-up included" {
		t.Errorf("rps without full history: %+v", c)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
