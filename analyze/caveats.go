package analyze

import (
	"math"
	"strings"

	"github.com/loadgate/loadgate/internal/locust"
)

// addCaveats notes what limits the precision or completeness of the run.
func (r *Report) addCaveats(run *locust.Run) {
	if missing := optionalMissing(run.Files, r.Era); len(missing) > 0 {
		r.note("not found (optional): %s", strings.Join(missing, ", "))
	}
	if run.Files.History == "" {
		r.note("no history file: ramp-up and steady state are unknown, and throughput is the whole-run average")
	}
	if maxPercentile(r) >= 100 {
		r.note("Locust stores response times of 100 ms and more to two significant digits (147 ms is kept as 150): percentiles of 100 ms and more are exact only to about ±5%%")
	}
	for _, e := range append(r.Endpoints, r.Total) {
		if e.Failures > e.Requests && r.Era != locust.Era08 {
			r.note("%s has more failures (%d) than requests (%d), which this Locust version cannot write: is the file damaged?",
				e.Label(), e.Failures, e.Requests)
			break
		}
	}
	if r.Era == locust.Era013 {
		r.note("Locust 0.13.3 and 0.13.4 wrote 10-second window percentiles in _stats.csv instead of whole-run ones")
	}
}

// optionalMissing lists the optional files the run lacks that its Locust
// version would have written.
func optionalMissing(f locust.Files, era locust.Era) []string {
	var m []string
	if era == locust.Era08 {
		if f.Distribution == "" {
			m = append(m, "_distribution.csv (percentiles)")
		}
		return m
	}
	if f.History == "" {
		m = append(m, "_stats_history.csv")
	}
	if f.Failures == "" {
		m = append(m, "_failures.csv")
	}
	if f.Exceptions == "" && era >= locust.Era12 {
		m = append(m, "_exceptions.csv")
	}
	return m
}

func maxPercentile(r *Report) float64 {
	m := math.Inf(-1)
	for _, e := range append(r.Endpoints, r.Total) {
		for _, v := range e.Percentiles {
			if v > m {
				m = v
			}
		}
	}
	return m
}
