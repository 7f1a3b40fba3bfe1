package calibrate

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/gate"
	"github.com/loadgate/loadgate/generate"
	"github.com/loadgate/loadgate/internal/locust"
)

// SimOptions set up a simulated check of the gate's error rates.
type SimOptions struct {
	Scenario     *generate.Scenario
	Users        int
	SpawnRate    float64
	Duration     time.Duration
	RunNoise     float64
	ServiceNoise float64
	FullHistory  bool
	Trials       int
	BaselineRuns int
	Seed         uint64 // trials use seeds from here on
	// Inject is applied to the current run of every trial (empty for
	// A/A trials).
	Inject []generate.Rule
	// Endpoint and Metric name the comparison the injection should flag
	// (A/B trials); a regression anywhere counts for A/A trials.
	Endpoint, Metric string
	Config           *gate.Config
	// Dir holds the simulated files; it is reused between trials.
	Dir string
}

// SimResult counts the trials that reported a regression.
type SimResult struct {
	Trials int
	// Flagged counts trials with any regression (A/A) or with a
	// regression on Endpoint's Metric (A/B).
	Flagged int
	// Elsewhere counts A/B trials with a regression on another endpoint
	// than the injected one (the Aggregated row, which contains it, does
	// not count).
	Elsewhere int
}

// Rate is Flagged/Trials.
func (r SimResult) Rate() float64 { return float64(r.Flagged) / float64(r.Trials) }

// Simulate runs the trials: each makes BaselineRuns runs and one current
// run with fresh seeds, and gates the current one against the others.
func Simulate(o SimOptions) (SimResult, error) {
	res := SimResult{Trials: o.Trials}
	seed := o.Seed
	for t := 0; t < o.Trials; t++ {
		var base []*baselines.Run
		for k := 0; k < o.BaselineRuns; k++ {
			r, err := simulatedRun(o, seed, nil, fmt.Sprintf("b%d", k))
			if err != nil {
				return res, err
			}
			seed++
			base = append(base, r)
		}
		cur, err := simulatedRun(o, seed, o.Inject, "current")
		if err != nil {
			return res, err
		}
		seed++
		cmp := gate.Compare(o.Config, cur, base, "sim")
		target, other := false, false
		for _, c := range cmp.Comparisons {
			if c.Verdict != gate.Regression {
				continue
			}
			switch {
			case c.Endpoint == o.Endpoint && c.Metric == o.Metric:
				target = true
			case c.Endpoint == o.Endpoint || c.Endpoint == "Aggregated":
			default:
				other = true
			}
		}
		switch {
		case len(o.Inject) == 0 && (target || other || anyRegression(cmp)):
			res.Flagged++
		case len(o.Inject) > 0 && target:
			res.Flagged++
		}
		if len(o.Inject) > 0 && other {
			res.Elsewhere++
		}
	}
	return res, nil
}

// simulatedRun generates one run into o.Dir and reads it back as a run
// document, as loadgate would from real files.
func simulatedRun(o SimOptions, seed uint64, inject []generate.Rule, name string) (*baselines.Run, error) {
	prefix := filepath.Join(o.Dir, name)
	var fs [4]*os.File
	for i, suffix := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"} {
		f, err := os.Create(prefix + suffix)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fs[i] = f
	}
	_, err := generate.Run(generate.Options{
		Scenario: o.Scenario, Users: o.Users, SpawnRate: o.SpawnRate, Duration: o.Duration,
		Seed: seed, RunNoise: o.RunNoise, ServiceNoise: o.ServiceNoise, Inject: inject, Start: 1767225600, FullHistory: o.FullHistory,
	}, generate.Outputs{Stats: fs[0], History: fs[1], Failures: fs[2], Exceptions: fs[3]})
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	files, err := locust.FindFiles(prefix)
	if err != nil {
		return nil, err
	}
	rep, err := analyze.Analyze(files)
	if err != nil {
		return nil, err
	}
	r := baselines.FromReport(rep)
	r.ID = fmt.Sprintf("seed-%d", seed)
	return r, nil
}

func anyRegression(r *gate.RegressionResult) bool {
	failing, warning := r.Regressions()
	return failing+warning > 0
}
