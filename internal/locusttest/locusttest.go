// Package locusttest runs real Locust against a small HTTP server of
// ours, so that integration tests can read CSV files that Locust itself
// wrote rather than hand-made ones.
//
// A test calls [Run]. It starts a [Server] on 127.0.0.1, drives it with
// the embedded locustfile for ten seconds, and returns where the CSV
// files are together with what the server counted:
//
//	func TestParseRealRun(t *testing.T) {
//		res := locusttest.Run(t, locusttest.Options{})
//		f, err := os.Open(res.CSVPrefix + "_stats.csv")
//		...
//		// compare the rows with res.Counts[locusttest.ListShells] etc.
//	}
//
// Locust writes four files: PREFIX_stats.csv, PREFIX_stats_history.csv,
// PREFIX_failures.csv and PREFIX_exceptions.csv. By default the history
// has a row per endpoint as well as the aggregate
// (--csv-full-history); see [Options.NoFullHistory].
//
// # The traffic
//
// The locustfile has three user classes of equal weight: a mixed user
// (reads and writes of shells and submodels, about 14 requests a
// second), a reader of one cached shell and a burst writer of submodels
// (about 25 requests a second each). With the default 12 users a 10 s
// run makes about 2,500 requests. The endpoints, their fixed server-side delays and
// their Locust names are:
//
//	GET /shells                 5 ms   [ListShells]
//	GET /submodels/{id}        10 ms   [ReadSubmodel]
//	PUT /submodels/{id}        15 ms   [UpdateSubmodel]
//	POST /shells               15 ms   [CreateShell]
//	GET /shells/{id} (cached)   1 ms   [ReadCached]
//	POST /submodels             5 ms   [CreateSubmodel]
//
// Only POST /submodels fails: every [FailEvery]-th response is a 409.
// Locust counts a 409 as a failure, so it exits with status 1 on every
// run, which Run treats as success.
//
// The server's counts and Locust's do not agree exactly, so compare
// them with a tolerance. Locust 2.12 rewrites its CSV files once a
// second and not again at exit, so the files miss up to the last second
// of traffic (about a tenth of a 10 s run), while the summary table in
// the log includes it. Requests that Locust abandons when it stops its
// users may also reach the server.
//
// # Requirements
//
// Run needs the locust command on PATH; Debian's python3-locust package
// (Locust 2.12) is what CI installs. Without it Run skips the test, or
// fails it when the CI environment variable is set, so that CI cannot
// pass without having run Locust. Under go test -short Run skips.
//
// Each run keeps a CPU busy for its whole duration, so tests that call
// Run should not call t.Parallel.
package locusttest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

//go:embed locustfile.py
var locustfile []byte

// Defaults that Run puts in place of zero fields of Options.
const (
	// DefaultUsers is four users of each of the three classes.
	DefaultUsers = 12

	// DefaultDuration is long enough for a few thousand requests.
	DefaultDuration = 10 * time.Second
)

// minUsers is one user per class in the locustfile; with fewer, Locust
// leaves a class, and so an endpoint, without traffic.
const minUsers = 3

// grace is how long Locust may take beyond Options.Duration to start,
// stop its users and write its files before Run kills it.
const grace = 60 * time.Second

// logTailLines is how much of Locust's log a failed run shows.
const logTailLines = 40

// Options shapes one Locust run. The zero value is a sensible run:
// 12 users, all started within the first second, for 10 seconds, with
// per-endpoint history.
type Options struct {
	// Users is the number of simulated users, shared equally among the
	// three user classes. Zero means DefaultUsers; otherwise it must be
	// at least 3, so that every endpoint gets traffic.
	Users int

	// SpawnRate is the number of users started per second. Zero means
	// Users, so that all of them run within the first second. It must
	// not be negative.
	SpawnRate float64

	// Duration is how long Locust runs (-t), rounded up to whole
	// seconds. Zero means DefaultDuration. It must not be negative.
	Duration time.Duration

	// NoFullHistory leaves out --csv-full-history, so that
	// PREFIX_stats_history.csv holds only the Aggregated rows. It is a
	// negative so that the zero Options keep the full history.
	NoFullHistory bool
}

// withDefaults returns o with its zero fields filled in, or an error
// naming the first field out of range.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Users < 0 || (o.Users > 0 && o.Users < minUsers):
		return o, fmt.Errorf("Options.Users: want 0 (default) or at least %d, got %d", minUsers, o.Users)
	case o.SpawnRate < 0 || math.IsNaN(o.SpawnRate) || math.IsInf(o.SpawnRate, 0):
		return o, fmt.Errorf("Options.SpawnRate: want 0 (default) or a positive number, got %v", o.SpawnRate)
	case o.Duration < 0:
		return o, fmt.Errorf("Options.Duration: want 0 (default) or positive, got %v", o.Duration)
	}

	if o.Users == 0 {
		o.Users = DefaultUsers
	}
	if o.SpawnRate == 0 {
		o.SpawnRate = float64(o.Users)
	}
	if o.Duration == 0 {
		o.Duration = DefaultDuration
	}
	return o, nil
}

// Result is what one Locust run left behind.
type Result struct {
	// CSVPrefix is the --csv prefix, inside t.TempDir(). Append
	// "_stats.csv", "_stats_history.csv", "_failures.csv" or
	// "_exceptions.csv" to get a file.
	CSVPrefix string

	// Counts is what the server served per endpoint, keyed by the
	// names Endpoints returns, taken after Locust exited. It includes
	// the last second of traffic, which the CSV files lack (see the
	// package doc).
	Counts map[string]EndpointCount

	// LogPath is the file holding Locust's standard output and error:
	// its log and the summary table.
	LogPath string
}

// Run starts a Server, runs the locust command against it for
// opts.Duration and returns the result. The server is stopped and the
// files removed when the test ends.
//
// Run skips the test if locust is not on PATH and the CI environment
// variable is empty or unset, and fails it if CI is set. It fails the
// test if opts is out of range, if Locust exits with a status other
// than 0 or 1 (1 means some requests failed, which they always do), if
// it runs more than a minute past opts.Duration, or if it wrote no
// PREFIX_stats.csv; the failure shows the end of Locust's log.
func Run(t testing.TB, opts Options) Result {
	t.Helper()
	if testing.Short() {
		t.Skip("locusttest: skipping a real Locust run in -short mode")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		t.Fatalf("locusttest: %v", err)
	}
	locust := findLocust(t)

	// Lay out the run directory.
	dir := t.TempDir()
	file := filepath.Join(dir, "locustfile.py")
	if err := os.WriteFile(file, locustfile, 0o644); err != nil {
		t.Fatalf("locusttest: %v", err)
	}
	res := Result{
		CSVPrefix: filepath.Join(dir, "run"),
		LogPath:   filepath.Join(dir, "locust.log"),
	}

	srv, err := StartServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("locusttest: stopping server: %v", err)
		}
	})

	runLocust(t, locust, file, srv.URL(), opts, res)
	res.Counts = srv.Counts()
	return res
}

// findLocust returns the path of the locust command, or ends the test:
// a skip on a developer's machine, a failure under CI.
func findLocust(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("locust")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("locusttest: real-Locust test must run under CI: install python3-locust (apt-get install -y python3-locust): %v", err)
	}
	t.Skipf("locusttest: locust not found on PATH; install it to run this test: apt-get install -y python3-locust")
	return ""
}

// runLocust runs Locust headless against url, writing its CSV files to
// res.CSVPrefix and its output to res.LogPath, and fails the test if the
// run did not complete.
func runLocust(t testing.TB, locust, file, url string, opts Options, res Result) {
	t.Helper()
	secs := int(math.Ceil(opts.Duration.Seconds()))
	args := []string{
		"-f", file,
		"--host", url,
		"--headless",
		"-u", strconv.Itoa(opts.Users),
		"-r", strconv.FormatFloat(opts.SpawnRate, 'g', -1, 64),
		"-t", strconv.Itoa(secs) + "s",
		"--csv", res.CSVPrefix,
	}
	if !opts.NoFullHistory {
		args = append(args, "--csv-full-history")
	}
	args = append(args, "--only-summary")

	log, err := os.Create(res.LogPath)
	if err != nil {
		t.Fatalf("locusttest: %v", err)
	}
	defer log.Close()

	// The hard limit is measured from now, so it covers Locust's start-up
	// (importing gevent takes a second or two) as well as its run.
	limit := time.Duration(secs)*time.Second + grace
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, locust, args...)
	cmd.Dir = filepath.Dir(file)
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.WaitDelay = 5 * time.Second
	t.Logf("locusttest: %s %q", locust, args)

	// Judge how it ended.
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("locusttest: locust did not finish within %v (%v); end of %s:\n%s", limit, err, res.LogPath, logTail(res.LogPath))
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		// Locust's status when any request failed, as some always do.
	case err != nil:
		t.Fatalf("locusttest: locust: %v; end of %s:\n%s", err, res.LogPath, logTail(res.LogPath))
	}

	stats := res.CSVPrefix + "_stats.csv"
	if _, err := os.Stat(stats); err != nil {
		t.Fatalf("locusttest: locust exited without writing its stats: %v; end of %s:\n%s", err, res.LogPath, logTail(res.LogPath))
	}
}

// logTail returns the last logTailLines lines of the file at path, or a
// note saying why it could not be read.
func logTail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "(log is empty)"
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
