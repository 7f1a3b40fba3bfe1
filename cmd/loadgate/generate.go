package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/loadgate/loadgate/generate"
	"github.com/spf13/cobra"
)

// generateOptions are the flags of loadgate generate.
type generateOptions struct {
	load        loadFlags
	out         string
	seed        uint64
	fullHistory bool
	start       int64
}

// defaultStart is the Unix time of the first history row unless --start
// says otherwise: 2026-01-01T00:00:00Z, fixed so that runs reproduce.
const defaultStart = 1767225600

func newGenerateCmd(s streams) *cobra.Command {
	opts := &generateOptions{}
	cmd := &cobra.Command{
		Use:   "generate --out PREFIX",
		Short: "Write a simulated Locust run (the four --csv files), with regressions and faults on demand",
		Long: `Simulate a Locust run and write PREFIX_stats.csv, PREFIX_stats_history.csv,
PREFIX_failures.csv and PREFIX_exceptions.csv in the Locust 2.x layout.

Users start at --spawn-rate up to --users and loop over their class's
tasks for --duration. The scenario (--scenario FILE, YAML) gives the user
classes, endpoints, latency and failure models and the service's capacity;
without one, the built-in scenario is used. The same flags and --seed give
byte-identical files.

--inject KIND:key=value;… changes the run:
  latency:x=1.3;match=POST /submodels;from=20s   response times ×1.3
  errors:rate=5%;match=POST *                     failure probability
  leak:ms_per_min=3;match=GET *                   latency drifting upward
  capacity:slots=6                                requests served at once
  throughput:rps=300                              requests started per second

Each run draws its own speeds, so runs with different seeds differ as
repeated real runs do: --run-noise is the spread of the machine's speed
(on the client's time in each request), --service-noise that of the
service's and each endpoint's (standard deviations of the log). The
defaults reproduce the spread measured on repeated real Locust runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.out == "" {
				return usagef("--out PREFIX is required")
			}
			return generateRun(s, cmd, opts)
		},
	}
	opts.load.register(cmd, "a change to inject, KIND:key=value;… (repeatable)")
	fl := cmd.Flags()
	fl.StringVar(&opts.out, "out", "", "prefix of the files to write, as locust --csv takes it")
	fl.Uint64Var(&opts.seed, "seed", 1, "random seed")
	fl.BoolVar(&opts.fullHistory, "full-history", false, "write per-endpoint history rows, as --csv-full-history")
	fl.Int64Var(&opts.start, "start", defaultStart, "Unix time of the first history row")
	return cmd
}

func generateRun(s streams, cmd *cobra.Command, opts *generateOptions) error {
	o, err := opts.load.options(cmd)
	if err != nil {
		return err
	}
	o.Seed, o.Start, o.FullHistory = opts.seed, opts.start, opts.fullHistory

	if dir := filepath.Dir(opts.out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	files := map[string]*os.File{}
	open := func(suffix string) (*os.File, error) {
		f, err := os.Create(opts.out + suffix)
		files[suffix] = f
		return f, err
	}
	var st, hi, fa, ex *os.File
	if st, err = open("_stats.csv"); err == nil {
		if hi, err = open("_stats_history.csv"); err == nil {
			if fa, err = open("_failures.csv"); err == nil {
				ex, err = open("_exceptions.csv")
			}
		}
	}
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	if err != nil {
		return err
	}
	sum, err := generate.Run(o, generate.Outputs{Stats: st, History: hi, Failures: fa, Exceptions: ex})
	if err != nil {
		return usageError{err}
	}
	var closeErr error
	for _, f := range files {
		closeErr = errors.Join(closeErr, f.Close())
	}
	files = nil
	if closeErr != nil {
		return closeErr
	}
	fmt.Fprintf(s.err, "wrote %s_{stats,stats_history,failures,exceptions}.csv: %d requests, %d failures, %d history rows (service speed ×%.3f, machine ×%.3f)\n",
		opts.out, sum.Requests, sum.Failures, sum.HistoryRows, sum.ServiceFactor, sum.MachineFactor)
	return nil
}
