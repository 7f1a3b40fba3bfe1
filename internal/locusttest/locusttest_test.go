package locusttest

import (
	"os"
	"testing"
)

// TestRun runs real Locust with the default options and checks that it
// left its four CSV files and a log, and that the server saw traffic on
// every endpoint with failures only where the schedule puts them.
func TestRun(t *testing.T) {
	res := Run(t, Options{})

	suffixes := []string{
		"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv",
	}
	for _, suffix := range suffixes {
		path := res.CSVPrefix + suffix
		info, err := os.Stat(path)
		if err != nil {
			t.Errorf("locust output: %v", err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("locust output %s: empty", path)
		}
	}
	if _, err := os.Stat(res.LogPath); err != nil {
		t.Errorf("locust log: %v", err)
	}

	if len(res.Counts) != len(Endpoints()) {
		t.Errorf("Counts has %d endpoints, want %d: %v", len(res.Counts), len(Endpoints()), res.Counts)
	}
	for _, name := range Endpoints() {
		got := res.Counts[name]
		t.Logf("%-26s %6d requests %4d failures", name, got.Requests, got.Failures)
		if got.Requests == 0 {
			t.Errorf("%s: server saw no requests", name)
		}
		want := int64(0)
		if name == CreateSubmodel {
			want = got.Requests / FailEvery
		}
		if got.Failures != want {
			t.Errorf("%s: %d failures in %d requests, want %d", name, got.Failures, got.Requests, want)
		}
	}
}
