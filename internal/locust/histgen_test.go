package locust

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/loadgate/loadgate/internal/locust/locustgen"
)

// genRun writes a generated Locust 2.12 run with full history under dir
// as PREFIX_stats_history.csv and PREFIX_stats.csv, streaming it to
// disk, and returns the prefix and the size of the history in bytes.
func genRun(tb testing.TB, dir string, c locustgen.Config) (prefix string, size int64) {
	tb.Helper()
	prefix = filepath.Join(dir, "load-test")
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
	if err := locustgen.Write(h, s, c); err != nil {
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

// TestGeneratedRun checks that the generator writes what Locust 2.12
// writes: the same header and line ends as a real file, rows the reader
// accepts, one Aggregated row per write, and counts that only grow.
func TestGeneratedRun(t *testing.T) {
	c := locustgen.Config{Endpoints: 7, Seconds: 120, Seed: 3}
	prefix, _ := genRun(t, t.TempDir(), c)

	real, err := os.ReadFile("../../testdata/locust-2.12/base-a/load-test_stats_history.csv")
	if err != nil {
		t.Fatal(err)
	}
	gen, err := os.ReadFile(prefix + "_stats_history.csv")
	if err != nil {
		t.Fatal(err)
	}
	header := func(b []byte) []byte { return b[:bytes.IndexByte(b, '\n')+1] }
	if got, want := header(gen), header(real); !bytes.Equal(got, want) {
		t.Errorf("history header:\ngot  %q\nwant %q", got, want)
	}
	if n, crlf := bytes.Count(gen, []byte("\n")), bytes.Count(gen, []byte("\r\n")); n != crlf {
		t.Errorf("%d of %d line ends are not CRLF", n-crlf, n)
	}

	h, err := NewHistoryReader(bytes.NewReader(gen), "gen_stats_history.csv")
	if err != nil {
		t.Fatal(err)
	}
	var writes, na int
	last := map[string]int64{}
	for {
		row, err := h.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Total {
			writes++
			if row.Requests == 0 {
				na++
			}
		}
		if prev := last[row.Name]; row.Requests < prev {
			t.Errorf("line %d: %s: request count fell from %d to %d", row.Line, row.Name, prev, row.Requests)
		}
		last[row.Name] = row.Requests
	}
	if want := c.Seconds + 3; writes != want {
		t.Errorf("got %d Aggregated rows, want %d", writes, want)
	}
	if na < 3 {
		t.Errorf("got %d rows before the first request, want at least 3", na)
	}

	f, err := os.Open(prefix + "_stats.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := ReadStats(bufio.NewReader(f), prefix+"_stats.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Entries) != c.Endpoints || st.Total == nil {
		t.Fatalf("stats: got %d entries and total %v, want %d and a total", len(st.Entries), st.Total, c.Endpoints)
	}
	if got, want := st.Total.Requests, last["Aggregated"]; got != want {
		t.Errorf("stats total: got %d requests, history ends at %d", got, want)
	}
}

// TestGeneratedRunDeterministic checks that a seed gives the same bytes.
func TestGeneratedRunDeterministic(t *testing.T) {
	gen := func(seed uint64) []byte {
		var h bytes.Buffer
		c := locustgen.Config{Endpoints: 4, Seconds: 30, Seed: seed}
		if err := locustgen.Write(&h, nil, c); err != nil {
			t.Fatal(err)
		}
		return h.Bytes()
	}
	if !bytes.Equal(gen(1), gen(1)) {
		t.Error("two runs with seed 1 differ")
	}
	if bytes.Equal(gen(1), gen(2)) {
		t.Error("seeds 1 and 2 give the same run")
	}
}
