package locust

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkHistoryReader streams a history file through Next. It reports
// throughput (MB/s over the file's bytes) and peak-heap-MB, the largest
// heap in use seen during a read, which must not grow with the file.
func BenchmarkHistoryReader(b *testing.B) {
	b.Run("fixture", func(b *testing.B) {
		data, err := os.ReadFile("../../testdata/locust-2.12/base-a/load-test_stats_history.csv")
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			readHistory(b, bytes.NewReader(data), nil)
		}
	})

	// The 100 MB file is made once, on first use, and removed with the
	// parent benchmark's temporary directory.
	dir := b.TempDir()
	var big struct {
		sync.Once
		path string
		size int64
	}
	b.Run("100MB", func(b *testing.B) {
		if testing.Short() {
			b.Skip("generates a 100 MB file")
		}
		big.Do(func() {
			var prefix string
			prefix, big.size = genRun(b, dir, 50, 3*time.Hour, 1)
			big.path = prefix + "_stats_history.csv"
		})
		b.SetBytes(big.size)
		b.ReportAllocs()
		var peak heapPeak
		for b.Loop() {
			b.StopTimer()
			runtime.GC()
			f, err := os.Open(big.path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			readHistory(b, f, &peak)
			f.Close()
		}
		b.ReportMetric(peak.mb(), "peak-heap-MB")
	})
}

// readHistory reads every row of r, sampling the heap now and then when
// peak is not nil.
func readHistory(b *testing.B, r io.Reader, peak *heapPeak) {
	h, err := NewHistoryReader(r, "bench_stats_history.csv")
	if err != nil {
		b.Fatal(err)
	}
	for n := 0; ; n++ {
		_, err := h.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if peak != nil && n%4096 == 0 {
			peak.sample()
		}
	}
	if peak != nil {
		peak.sample()
	}
}

// heapPeak keeps the largest heap in use seen, in the sense of
// runtime.MemStats.HeapInuse: spans holding objects, live or not yet
// swept.
type heapPeak struct {
	samples [2]metrics.Sample
	max     uint64
}

func (p *heapPeak) sample() {
	if p.samples[0].Name == "" {
		p.samples[0].Name = "/memory/classes/heap/objects:bytes"
		p.samples[1].Name = "/memory/classes/heap/unused:bytes"
	}
	metrics.Read(p.samples[:])
	p.max = max(p.max, p.samples[0].Value.Uint64()+p.samples[1].Value.Uint64())
}

func (p *heapPeak) mb() float64 { return float64(p.max) / (1 << 20) }

// BenchmarkReadStats parses small stats files held in memory: one from
// the csv-module era and one hand-built 1.0 file with quoted names.
func BenchmarkReadStats(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{"2.12", "../../testdata/locust-2.12/base-a/load-test_stats.csv"},
		{"1.0", "../../testdata/public/XFJ/example_stats.csv"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data, err := os.ReadFile(bc.file)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadStats(bytes.NewReader(data), bc.file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
