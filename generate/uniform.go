package generate

import (
	"fmt"
	"strings"
	"time"
)

// UniformScenario is a scenario of n GET endpoints that one user class
// picks evenly, waiting 100–500 ms between requests: a wide run for
// benchmarks and tests. Endpoint i has a median of 5+i ms.
func UniformScenario(n int) (*Scenario, error) {
	var b strings.Builder
	b.WriteString("client: {median: 2ms, p99: 6ms}\nendpoints:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {type: GET, name: \"/api/v1/resource-%02d/{id}\", latency: {median: %dms, p99: %dms}, content: {min: 100, max: 2000}, failure: {rate: 0.001, error: \"HTTPError('500 Server Error')\", content: 20}}\n",
			i, 5+i, 20+4*i)
	}
	b.WriteString("user_classes:\n  - name: Browser\n    wait: {min: 100ms, max: 500ms}\n    tasks:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "      - {endpoint: \"/api/v1/resource-%02d/{id}\"}\n", i)
	}
	return ParseScenario([]byte(b.String()), "uniform scenario")
}

// WideRun returns options for a run of UniformScenario(endpoints) with
// full history, users users, lasting d.
func WideRun(endpoints, users int, d time.Duration, seed uint64) (Options, error) {
	sc, err := UniformScenario(endpoints)
	if err != nil {
		return Options{}, err
	}
	return Options{Scenario: sc, Users: users, SpawnRate: float64(users), Duration: d,
		Seed: seed, RunNoise: DefaultRunNoise, ServiceNoise: DefaultServiceNoise,
		Start: 1767225600, FullHistory: true}, nil
}
