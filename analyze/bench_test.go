package analyze_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/generate"
	"github.com/loadgate/loadgate/internal/locust"
)

// BenchmarkAnalyze analyses a generated Locust 2.x run: 50 endpoints for
// three hours with full history, about 100 MB. It reports throughput
// over the run's bytes and peak-heap-MB, the largest heap in use seen
// while it runs, which must not grow with the history.
func BenchmarkAnalyze(b *testing.B) {
	if testing.Short() {
		b.Skip("generates a 100 MB run")
	}
	// b.Loop runs the function once, so the run is written once.
	files, size, err := writeRun(filepath.Join(b.TempDir(), "load-test"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var peak float64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		stop := sampleHeap()
		b.StartTimer()
		if _, err := analyze.Analyze(files); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		peak = max(peak, stop())
		b.StartTimer()
	}
	b.ReportMetric(peak, "peak-heap-MB")
}

// writeRun streams a generated history and its stats file to disk.
func writeRun(prefix string) (locust.Files, int64, error) {
	h, err := os.Create(prefix + "_stats_history.csv")
	if err != nil {
		return locust.Files{}, 0, err
	}
	defer h.Close()
	s, err := os.Create(prefix + "_stats.csv")
	if err != nil {
		return locust.Files{}, 0, err
	}
	defer s.Close()
	opt, err := generate.WideRun(50, 60, 3*time.Hour, 1)
	if err != nil {
		return locust.Files{}, 0, err
	}
	if _, err := generate.Run(opt, generate.Outputs{Stats: s, History: h}); err != nil {
		return locust.Files{}, 0, err
	}
	var size int64
	for _, f := range []*os.File{h, s} {
		st, err := f.Stat()
		if err != nil {
			return locust.Files{}, 0, err
		}
		size += st.Size()
	}
	files, err := locust.FindFiles(prefix)
	return files, size, err
}

// sampleHeap samples the heap in use (runtime.MemStats.HeapInuse) every
// millisecond until the returned function is called, which returns the
// largest sample in MB.
func sampleHeap() (stop func() float64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	var peak uint64
	read := func() {
		metrics.Read(samples)
		peak = max(peak, samples[0].Value.Uint64()+samples[1].Value.Uint64())
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() float64 {
		close(done)
		<-finished
		read()
		return float64(peak) / (1 << 20)
	}
}
