package generate

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// wideScenario has n endpoints, all picked with equal weight by one user
// class that waits 100–500 ms between requests.
func wideScenario(tb testing.TB, n int) *Scenario {
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
	sc, err := ParseScenario([]byte(b.String()), "wide")
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// BenchmarkGenerateHour is the scale target: one hour, 1000 users, 50
// endpoints, full history, written as a stream (to io.Discard, counting
// bytes). It reports the requests simulated and the peak heap.
func BenchmarkGenerateHour(b *testing.B) {
	if testing.Short() {
		b.Skip("long benchmark")
	}
	sc := wideScenario(b, 50)
	for i := 0; i < b.N; i++ {
		cw := &countingWriter{}
		done := make(chan struct{})
		peak := make(chan uint64)
		go samplePeakHeap(done, peak)
		sum, err := Run(Options{Scenario: sc, Users: 1000, SpawnRate: 50, Duration: time.Hour,
			Seed: uint64(i + 1), RunNoise: 0.03, Start: 1767225600, FullHistory: true},
			Outputs{Stats: io.Discard, History: cw, Failures: io.Discard, Exceptions: io.Discard})
		close(done)
		p := <-peak
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Requests), "requests/op")
		b.ReportMetric(float64(cw.n)/1e6, "history-MB/op")
		b.ReportMetric(float64(p)/(1<<20), "peak-heap-MB")
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func samplePeakHeap(done <-chan struct{}, out chan<- uint64) {
	var peak uint64
	var m runtime.MemStats
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak {
			peak = m.HeapInuse
		}
		select {
		case <-done:
			out <- peak
			return
		case <-t.C:
		}
	}
}
