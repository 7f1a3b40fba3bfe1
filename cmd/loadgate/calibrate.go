package main

import (
	"fmt"
	"math"
	"os"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/baselines"
	"github.com/loadgate/loadgate/internal/calibrate"
	"github.com/loadgate/loadgate/internal/locust"
	"github.com/loadgate/loadgate/internal/report"
	"github.com/spf13/cobra"
)

func newCalibrateCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Measure run-to-run noise on real runs, and the gate's error rates by simulation",
	}
	cmd.AddCommand(newCalibrateNoiseCmd(s), newCalibrateSimulateCmd(s))
	return cmd
}

func newCalibrateNoiseCmd(s streams) *cobra.Command {
	var prefixes, metrics []string
	cmd := &cobra.Command{
		Use:   "noise --csv PREFIX --csv PREFIX --csv PREFIX …",
		Short: "Measure the spread of each metric between repeated runs of the same settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(prefixes) < 3 {
				return usagef("want --csv for at least 3 runs of the same settings, got %d", len(prefixes))
			}
			var runs []*baselines.Run
			for _, p := range prefixes {
				files, err := locust.FindFiles(p)
				if err != nil {
					return err
				}
				rep, err := analyze.Analyze(files)
				if err != nil {
					return err
				}
				runs = append(runs, baselines.FromReport(rep))
			}
			nr, err := calibrate.Noise(runs, metrics)
			if err != nil {
				return usageError{err}
			}
			return writeNoise(s, nr)
		},
	}
	cmd.Flags().StringArrayVar(&prefixes, "csv", nil, "prefix of one run (repeat for each run)")
	cmd.Flags().StringSliceVar(&metrics, "metrics", []string{"p50", "p95", "p99", "rps"}, "metrics to measure")
	return cmd
}

func writeNoise(s streams, nr *calibrate.NoiseReport) error {
	t := report.Table{
		Title:   fmt.Sprintf("Run-to-run spread over %d runs (standard deviations of the natural log; 0.05 ≈ 5%%)", nr.Runs),
		Headers: []string{"Endpoint", "Metric", "Geo. mean", "Total", "Within run", "Between runs"},
		Right:   []bool{false, false, true, true, true, true},
	}
	for _, x := range nr.Series {
		t.Rows = append(t.Rows, []string{x.Endpoint, x.Metric, fmt.Sprintf("%.2f", x.Mean),
			fmt.Sprintf("%.3f", x.Total), fmt.Sprintf("%.3f", x.Within), fmt.Sprintf("%.3f", x.Between)})
	}
	if err := report.WriteText(s.out, t, isTerminal(s.out)); err != nil {
		return err
	}
	p := report.Table{
		Title:   "\nPooled by metric",
		Headers: []string{"Metric", "Series", "Between runs", "Total"},
		Right:   []bool{false, true, true, true},
	}
	for _, m := range nr.Metrics {
		p.Rows = append(p.Rows, []string{m.Metric, fmt.Sprint(m.Series), fmt.Sprintf("%.3f", m.Between), fmt.Sprintf("%.3f", m.Total)})
	}
	if err := report.WriteText(s.out, p, isTerminal(s.out)); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.out, "\nshare of latency variation common to all endpoints (mean pairwise correlation): %.2f\n", nr.Common)
	return err
}

type simulateOptions struct {
	load         loadFlags
	config       string
	trials       int
	baselineRuns int
	seed         uint64
	endpoint     string
	metric       string
}

func newCalibrateSimulateCmd(s streams) *cobra.Command {
	opts := &simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate [--inject RULE --endpoint E --metric M]",
		Short: "Count how often the gate reports a regression on simulated runs",
		Long: `Run trials of simulated runs: each makes --baseline-runs runs and one
current run with fresh seeds and compares them as gate --baseline does.
Without --inject the trials are A/A (nothing changed): the rate is the
gate's false-alarm rate, any endpoint or metric counted. With --inject the
rate is how often the regression on --endpoint's --metric is found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return simulateRun(s, cmd, opts)
		},
	}
	opts.load.register(cmd, "change injected into each current run (as generate --inject)")
	fl := cmd.Flags()
	fl.StringVar(&opts.config, "config", "", "loadgate.yaml whose regression section to use (default: built-in settings)")
	fl.IntVar(&opts.trials, "trials", 200, "number of comparisons")
	fl.IntVar(&opts.baselineRuns, "baseline-runs", 5, "baseline runs per comparison")
	fl.Uint64Var(&opts.seed, "seed", 1, "first seed")
	fl.StringVar(&opts.endpoint, "endpoint", "", "endpoint the injected change should be found on")
	fl.StringVar(&opts.metric, "metric", "p95", "metric the injected change should be found on")
	return cmd
}

func simulateRun(s streams, cmd *cobra.Command, opts *simulateOptions) error {
	g, err := opts.load.options(cmd)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(opts.config)
	if err != nil {
		return err
	}
	o := calibrate.SimOptions{
		Scenario: g.Scenario, Users: g.Users, SpawnRate: g.SpawnRate, Duration: g.Duration,
		RunNoise: g.RunNoise, ServiceNoise: g.ServiceNoise, FullHistory: true, Inject: g.Inject,
		Trials: opts.trials, BaselineRuns: opts.baselineRuns, Seed: opts.seed,
		Endpoint: opts.endpoint, Metric: opts.metric, Config: cfg,
	}
	if len(o.Inject) > 0 && o.Endpoint == "" {
		return usagef("--inject needs --endpoint: the endpoint whose regression should be found")
	}
	if o.Trials < 1 || o.BaselineRuns < 1 {
		return usagef("--trials and --baseline-runs must be 1 or more")
	}
	dir, err := os.MkdirTemp("", "loadgate-calibrate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	o.Dir = dir
	res, err := calibrate.Simulate(o)
	if err != nil {
		return err
	}
	what := "A/A trials (nothing changed) with a regression reported anywhere"
	if len(o.Inject) > 0 {
		what = fmt.Sprintf("trials with the regression found on %s %s", report.Text(o.Endpoint), o.Metric)
	}
	fmt.Fprintf(s.out, "%d of %d %s: %.1f%% (95%% CI %s)\n", res.Flagged, res.Trials, what, 100*res.Rate(), wilson(res.Flagged, res.Trials))
	if len(o.Inject) > 0 {
		fmt.Fprintf(s.out, "%d of %d trials also reported a regression on another endpoint\n", res.Elsewhere, res.Trials)
	}
	fmt.Fprintf(s.out, "settings: %d baseline runs, %d users, %s, machine noise %.3f, service noise %.3f, seeds from %d\n",
		o.BaselineRuns, o.Users, o.Duration, o.RunNoise, o.ServiceNoise, o.Seed)
	return nil
}

// wilson is the Wilson score interval of k successes in n trials.
func wilson(k, n int) string {
	z := 1.959964
	p := float64(k) / float64(n)
	d := 1 + z*z/float64(n)
	c := (p + z*z/(2*float64(n))) / d
	h := z * math.Sqrt(p*(1-p)/float64(n)+z*z/(4*float64(n)*float64(n))) / d
	return fmt.Sprintf("%.1f–%.1f%%", 100*math.Max(0, c-h), 100*math.Min(1, c+h))
}
