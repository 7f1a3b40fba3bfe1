// Package locust reads the CSV files that Locust writes with --csv, in
// the layout of every release from 0.8 to 2.4x.
//
// A run is found from its prefix with FindFiles and read with Load; the
// history file is streamed with OpenHistory, so a history of any length
// is read in constant memory:
//
//	files, err := locust.FindFiles("results/load-test")
//	run, err := locust.Load(files)
//	h, err := run.OpenHistory()
//	for row, err := h.Next(); err == nil; row, err = h.Next() { … }
//
// The reader keeps Locust's numbers as written. Where Locust loses
// information (response times of 100 ms and more rounded to two
// significant digits, 0 standing for "no requests in the window", N/A) it
// says so in the types' documentation rather than guess. Input that is not
// Locust output gives a *ParseError naming the file, line and column.
// The format reference is shared/locust-format.md.
package locust

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Files names the files of one run. Stats is the only one required;
// empty names are files the run does not have.
type Files struct {
	Stats      string // _stats.csv, or _requests.csv before 0.13.3
	History    string // _stats_history.csv
	Failures   string // _failures.csv
	Exceptions string // _exceptions.csv
	// Distribution is the 0.x _distribution.csv that holds the
	// percentiles of a _requests.csv.
	Distribution string
}

// FindFiles looks for the files Locust writes with --csv PREFIX. A prefix
// given with a file suffix ("x_stats.csv") is accepted too. Optional files
// that are missing are left empty.
func FindFiles(prefix string) (Files, error) {
	for _, suffix := range []string{"_stats.csv", "_requests.csv", "_stats_history.csv",
		"_failures.csv", "_exceptions.csv", "_distribution.csv"} {
		if strings.HasSuffix(prefix, suffix) {
			prefix = strings.TrimSuffix(prefix, suffix)
			break
		}
	}
	exists := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && !st.IsDir()
	}

	var f Files
	switch {
	case exists(prefix + "_stats.csv"):
		f.Stats = prefix + "_stats.csv"
	case exists(prefix + "_requests.csv"):
		f.Stats = prefix + "_requests.csv"
		if exists(prefix + "_distribution.csv") {
			f.Distribution = prefix + "_distribution.csv"
		}
	default:
		return f, fmt.Errorf("no Locust stats file for prefix %q: want %s_stats.csv (or %s_requests.csv from Locust 0.x), as written by locust --csv %s",
			prefix, prefix, prefix, prefix)
	}
	if exists(prefix + "_stats_history.csv") {
		f.History = prefix + "_stats_history.csv"
	}
	if exists(prefix + "_failures.csv") {
		f.Failures = prefix + "_failures.csv"
	}
	if exists(prefix + "_exceptions.csv") {
		f.Exceptions = prefix + "_exceptions.csv"
	}
	return f, nil
}

// Run is a loaded run, all but the history, which is streamed.
type Run struct {
	Files      Files
	Stats      *Stats
	Failures   []Failure
	Exceptions []Exception
}

// Load reads the stats, failures and exceptions of a run.
func Load(f Files) (*Run, error) {
	run := &Run{Files: f}
	err := withFile(f.Stats, func(r io.Reader) (err error) {
		run.Stats, err = ReadStats(r, f.Stats)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.Distribution != "" {
		err := withFile(f.Distribution, func(r io.Reader) error {
			return ReadDistribution(run.Stats, r, f.Distribution)
		})
		if err != nil {
			return nil, err
		}
	}
	if f.Failures != "" {
		err := withFile(f.Failures, func(r io.Reader) (err error) {
			run.Failures, err = ReadFailures(r, f.Failures)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if f.Exceptions != "" {
		err := withFile(f.Exceptions, func(r io.Reader) (err error) {
			run.Exceptions, err = ReadExceptions(r, f.Exceptions)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return run, nil
}

// History is an open history file; Close it when done.
type History struct {
	*HistoryReader
	f *os.File
}

// Close closes the file.
func (h *History) Close() error { return h.f.Close() }

// OpenHistory opens the run's history file for streaming. It returns
// (nil, nil) when the run has none.
func (run *Run) OpenHistory() (*History, error) {
	if run.Files.History == "" {
		return nil, nil
	}
	f, err := os.Open(run.Files.History)
	if err != nil {
		return nil, openError(run.Files.History, err)
	}
	hr, err := NewHistoryReader(f, run.Files.History)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &History{HistoryReader: hr, f: f}, nil
}

func withFile(name string, fn func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return openError(name, err)
	}
	defer f.Close()
	return fn(f)
}

func openError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &ParseError{File: name, Msg: "file not found"}
	}
	return &ParseError{File: name, Msg: err.Error()}
}
