package generate

import (
	"io"
	"runtime"
	"testing"
	"time"
)

// BenchmarkGenerateHour is the scale target: one hour, 1000 users, 50
// endpoints, full history, written as a stream (to io.Discard, counting
// bytes). It reports the requests simulated and the peak heap.
func BenchmarkGenerateHour(b *testing.B) {
	if testing.Short() {
		b.Skip("long benchmark")
	}
	sc, err := UniformScenario(50)
	if err != nil {
		b.Fatal(err)
	}
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
