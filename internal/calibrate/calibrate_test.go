package calibrate

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/locust"

	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/loadgate/loadgate/generate"
)

func options(t *testing.T) SimOptions {
	sc := generate.DefaultScenario()
	return SimOptions{
		Scenario: sc, Users: sc.Users, SpawnRate: sc.SpawnRate, Duration: time.Duration(sc.Duration),
		RunNoise: generate.DefaultRunNoise, ServiceNoise: generate.DefaultServiceNoise,
		FullHistory: true, BaselineRuns: 5, Config: gate.Default(), Dir: t.TempDir(),
	}
}

// TestGateErrorRates is a fast, seeded version of the calibration in the
// README (there: 1000 A/A trials, 0.6% flagged; +20% p95 found in 95%
// of 300). Here at most 3 of 40 A/A trials may flag a regression (the
// true rate is about 1%, so 3 is already unlikely), and a +20% p95 on
// POST /submodels must be found in at least 12 of 15 trials.
func TestGateErrorRates(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 330 runs")
	}
	o := options(t)
	o.Trials, o.Seed = 40, 77
	aa, err := Simulate(o)
	if err != nil {
		t.Fatal(err)
	}
	if aa.Flagged > 3 {
		t.Errorf("A/A: %d of %d trials flagged a regression", aa.Flagged, aa.Trials)
	}
	rule, err := generate.ParseRule("latency:x=1.2;match=POST /submodels")
	if err != nil {
		t.Fatal(err)
	}
	o.Trials, o.Seed = 15, 7700
	o.Inject, o.Endpoint, o.Metric = []generate.Rule{rule}, "POST /submodels", "p95"
	ab, err := Simulate(o)
	if err != nil {
		t.Fatal(err)
	}
	if ab.Flagged < 12 {
		t.Errorf("+20%%: found in %d of %d trials", ab.Flagged, ab.Trials)
	}
	t.Logf("A/A %d/%d flagged; +20%% p95 found %d/%d (elsewhere %d)", aa.Flagged, aa.Trials, ab.Flagged, ab.Trials, ab.Elsewhere)
}

// TestNoiseSeparatesQuietFromNoisy: on simulated runs whose machine
// speed varies by 10% and service speed hardly at all, the client-bound
// cached read varies between runs more than the server-bound write.
func TestNoiseSeparatesQuietFromNoisy(t *testing.T) {
	o := options(t)
	var runs []*baselines.Run
	for i := 0; i < 5; i++ {
		r, err := simulatedRun(o, uint64(100+i), nil, "r")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	nr, err := Noise(runs, []string{"p50", "p95"})
	if err != nil {
		t.Fatal(err)
	}
	between := map[string]float64{}
	for _, s := range nr.Series {
		between[s.Endpoint+" "+s.Metric] = s.Between
	}
	if c, w := between["GET /shells/{id} (cached) p50"], between["POST /submodels p50"]; !(c > 2*w) {
		t.Errorf("cached p50 spread %.3f, write %.3f: want the cached read clearly noisier", c, w)
	}
	if len(nr.Metrics) != 2 || nr.Runs != 5 {
		t.Errorf("report %+v", nr)
	}
	if _, err := Noise(runs[:2], []string{"p50"}); err == nil {
		t.Error("two runs accepted")
	}
}

// TestNoiseOfRealRuns recomputes the calibrated spread from the five
// real runs it was measured on (testdata/realruns-quiet): the pooled
// between-run spread the gate assumes, to two decimals.
func TestNoiseOfRealRuns(t *testing.T) {
	var runs []*baselines.Run
	for i := 1; i <= 5; i++ {
		files, err := locust.FindFiles(fmt.Sprintf("../../testdata/realruns-quiet/run-%d/load-test", i))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := analyze.Analyze(files)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, baselines.FromReport(rep))
	}
	nr, err := Noise(runs, []string{"p50", "p95", "p99", "rps"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"p50": 0.055, "p95": 0.044, "p99": 0.095, "rps": 0.046}
	for _, m := range nr.Metrics {
		if math.Abs(m.Between-want[m.Metric]) > 0.006 {
			t.Errorf("%s: between-run spread %.3f, calibrated %.3f", m.Metric, m.Between, want[m.Metric])
		}
	}
}
