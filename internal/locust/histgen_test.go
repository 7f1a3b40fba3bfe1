package locust

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loadgate/loadgate/generate"
)

// genRun simulates a wide run with full history under dir, streamed to
// disk, and returns its prefix and the size of its history in bytes.
// Three hours of 50 endpoints make about 100 MB.
func genRun(tb testing.TB, dir string, endpoints int, d time.Duration, seed uint64) (prefix string, size int64) {
	tb.Helper()
	prefix = filepath.Join(dir, "load-test")
	opt, err := generate.WideRun(endpoints, 60, d, seed)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := os.Create(prefix + "_stats_history.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer h.Close()
	s, err := os.Create(prefix + "_stats.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	if _, err := generate.Run(opt, generate.Outputs{Stats: s, History: h}); err != nil {
		tb.Fatal(err)
	}
	st, err := h.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	if err := errors.Join(h.Close(), s.Close()); err != nil {
		tb.Fatal(err)
	}
	return prefix, st.Size()
}
