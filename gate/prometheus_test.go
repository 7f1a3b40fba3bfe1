package gate

import (
	"math"
	"os"
	"strings"
	"testing"
)

func scrape(t *testing.T, name string) *Scrape {
	t.Helper()
	f, err := os.Open(testdata + "/prometheus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ParseScrape(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMeasureFromScrapes(t *testing.T) {
	cfg := mustConfig(t, `
metrics:
  all_hits:
    unit: ratio
    better: higher
    prometheus: {hits: cache_hits_total, misses: cache_misses_total}
  shell_hits:
    unit: ratio
    better: higher
    prometheus:
      hits: {name: cache_hits_total, labels: {cache: shells}}
      misses: {name: cache_misses_total, labels: {cache: shells}}
  rss:
    unit: count
    better: lower
    prometheus: {gauge: process_resident_memory_bytes}
  absent:
    unit: ratio
    better: higher
    prometheus: {hits: nope_total, total: cache_misses_total}
criteria:
  - {metric: all_hits, target: 95%, critical: 80%}
`)
	got := MeasureFromScrapes(cfg, scrape(t, "before.prom"), scrape(t, "after.prom"))
	// Hits rose by 9600+1600 = 11200, misses by 400+200 = 600.
	if m := got["all_hits"]; math.Abs(m.Value-11200.0/11800) > 1e-12 || m.Err != "" {
		t.Errorf("all_hits = %+v, want %v", m, 11200.0/11800)
	}
	// Shells only: 9600 hits, 400 misses.
	if m := got["shell_hits"]; m.Value != 0.96 {
		t.Errorf("shell_hits = %+v, want 0.96", m)
	}
	if m := got["rss"]; m.Value != 1.5e8 {
		t.Errorf("rss = %+v", m)
	}
	if m := got["absent"]; !strings.Contains(m.Err, "has no series nope_total") {
		t.Errorf("absent = %+v", m)
	}

	reset := MeasureFromScrapes(cfg, scrape(t, "before.prom"), scrape(t, "restarted.prom"))
	if m := reset["all_hits"]; !strings.Contains(m.Err, "went down") {
		t.Errorf("after a restart: %+v, want a counter-reset error", m)
	}
}

func TestParseScrapeRejectsGarbage(t *testing.T) {
	_, err := ParseScrape(strings.NewReader("cache_hits_total{cache=\"a\" 12\n"), "bad.prom")
	if err == nil || !strings.HasPrefix(err.Error(), "bad.prom: not a Prometheus text-format scrape") {
		t.Errorf("err = %v", err)
	}
}

func TestParseMetricFlag(t *testing.T) {
	cfg := Default()
	for _, tt := range []struct {
		in   string
		want float64
		err  string
	}{
		{"cache_hit_rate=0.97", 0.97, ""},
		{"cache_hit_rate=97%", 0.97, ""},
		{"cache_hit_rate=97", 0, "want a fraction"},
		{"cache_hit_rate", 0, "want NAME=VALUE"},
		{"hits=0.5", 0, `no metric "hits"`},
		{"cache_hit_rate=>0.5", 0, "want a value such as"},
	} {
		_, m, err := ParseMetricFlag(cfg, tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || math.Abs(m.Value-tt.want) > 1e-12):
			t.Errorf("%q = %v, %v; want %v", tt.in, m.Value, err, tt.want)
		}
	}
}
