package main

import (
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
	// Write beside the targets under temporary names and rename them all
	// at the end, so that a failed run leaves earlier files as they were.
	suffixes := []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"}
	tmp := make([]*os.File, len(suffixes))
	defer func() {
		for _, f := range tmp {
			if f != nil {
				f.Close()
				os.Remove(f.Name())
			}
		}
	}()
	for i, suffix := range suffixes {
		f, err := os.CreateTemp(filepath.Dir(opts.out), filepath.Base(opts.out)+suffix+".tmp-*")
		if err != nil {
			return err
		}
		tmp[i] = f
		if err := f.Chmod(0o644); err != nil {
			return err
		}
	}
	sum, err := generate.Run(o, generate.Outputs{Stats: tmp[0], History: tmp[1], Failures: tmp[2], Exceptions: tmp[3]})
	if err != nil {
		return usageError{err}
	}
	for i, f := range tmp {
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), opts.out+suffixes[i]); err != nil {
			return err
		}
		tmp[i] = nil
	}
	fmt.Fprintf(s.err, "wrote %s_{stats,stats_history,failures,exceptions}.csv: %d requests, %d failures, %d history rows (service speed ×%.3f, machine ×%.3f)\n",
		opts.out, sum.Requests, sum.Failures, sum.HistoryRows, sum.ServiceFactor, sum.MachineFactor)
	return nil
}
