package locust

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loadgate/loadgate/generate"
)

// The fuzz targets feed the readers arbitrary bytes. Whatever the input,
// a reader must not panic, and an error must be a *ParseError whose
// message starts with the file name. Seeds are the real files under
// testdata plus hand-made edge cases of the real ones.

// addSeeds adds to f every file under testdata whose name ends in one of
// suffixes, and variants of each: with a byte-order mark, with CR CR LF
// line ends, without the final newline, with an unterminated quote, with
// N/A in every numeric cell of the first row, and with the unsuffixed
// "99.999" header of Locust 0.13.3–0.14. Files are cut after their first
// seedLines lines: later lines repeat the shapes of the first ones and
// only slow the fuzzer down, most of all when it minimizes an input.
func addSeeds(f *testing.F, suffixes ...string) {
	var files []string
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, s := range suffixes {
			if strings.HasSuffix(path, s) {
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	if len(files) == 0 {
		f.Fatalf("no seed files ending in %v", suffixes)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if lines := bytes.SplitAfter(data, []byte("\n")); len(lines) > seedLines {
			data = bytes.Join(lines[:seedLines], nil)
		}
		f.Add(data)
		for _, v := range variants(data) {
			f.Add(v)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("\xef\xbb\xbf"))
	f.Add([]byte("\r\r\n\r\n\n"))
	f.Add([]byte(`"`))
}

const seedLines = 30

func variants(data []byte) [][]byte {
	lf := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	out := [][]byte{
		slices.Concat([]byte("\xef\xbb\xbf"), data),
		bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\r\n")),
		bytes.TrimRight(data, "\r\n"),
		slices.Concat(bytes.TrimRight(data, "\r\n"), []byte("\r\nGET,\"/never closed,1,2\r\n")),
		bytes.Replace(data, []byte("99.999%"), []byte("99.999"), 1),
		bytes.Replace(data, []byte("99.99%"), []byte("99.999"), 1),
	}
	// N/A in every cell of the first row after the header but the
	// first two.
	if lines := bytes.SplitAfterN(lf, []byte("\n"), 3); len(lines) == 3 {
		cells := bytes.Split(bytes.TrimSuffix(lines[1], []byte("\n")), []byte(","))
		for i := 2; i < len(cells); i++ {
			cells[i] = []byte("N/A")
		}
		na := append(append([]byte(nil), lines[0]...), bytes.Join(cells, []byte(","))...)
		out = append(out, append(append(na, '\n'), lines[2]...))
	}
	return out
}

// checkErr fails unless err is, or wraps, a *ParseError whose message
// starts with file.
func checkErr(t *testing.T, err error, file string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error is %T, not a *ParseError: %v", err, err)
	}
	if !strings.HasPrefix(err.Error(), file) {
		t.Fatalf("error does not start with the file name %q: %v", file, err)
	}
}

func FuzzReadStats(f *testing.F) {
	addSeeds(f, "_stats.csv", "_requests.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz_stats.csv"
		s, err := ReadStats(bytes.NewReader(data), file)
		if err != nil {
			checkErr(t, err, file)
			return
		}
		entries := s.Entries
		if s.Total != nil {
			entries = append(entries[:len(entries):len(entries)], *s.Total)
		}
		for _, e := range entries {
			if len(e.Percentiles) != len(s.Percentiles) {
				t.Fatalf("line %d: %d percentiles, the header has %d",
					e.Line, len(e.Percentiles), len(s.Percentiles))
			}
		}
	})
}

// FuzzHistoryReader also checks that the one-pass fastRow reads every
// row as the general path does.
func FuzzHistoryReader(f *testing.F) {
	addSeeds(f, "_stats_history.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz_stats_history.csv"
		h, err := NewHistoryReader(bytes.NewReader(data), file)
		if err != nil {
			checkErr(t, err, file)
			return
		}
		g, err := NewHistoryReader(bytes.NewReader(data), file)
		if err != nil {
			t.Fatal(err)
		}
		g.general = true
		for {
			row, err := h.Next()
			want, wantErr := g.Next()
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("fast path: error %v, general path: %v", err, wantErr)
			}
			if errors.Is(err, io.EOF) {
				za, oka := h.ZeroAverageFloat()
				zb, okb := g.ZeroAverageFloat()
				if za != zb || oka != okb {
					t.Fatalf("ZeroAverageFloat: fast path %v %v, general path %v %v", za, oka, zb, okb)
				}
				return
			}
			if err != nil {
				checkErr(t, err, file)
				return
			}
			if len(row.Percentiles) != len(h.Percentiles()) {
				t.Fatalf("line %d: %d percentiles, the header has %d",
					row.Line, len(row.Percentiles), len(h.Percentiles()))
			}
			if d := rowDiff(row, want); d != "" {
				t.Fatalf("line %d: fast path and general path differ: %s", row.Line, d)
			}
		}
	})
}

// rowDiff describes how two rows differ, comparing floats bit for bit
// (any NaN equals any NaN), or returns "".
func rowDiff(a, b *HistoryRow) string {
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	fa := []float64{a.RPS, a.FailuresPerSec, a.Median, a.Average, a.Min, a.Max, a.AvgContentSize}
	fb := []float64{b.RPS, b.FailuresPerSec, b.Median, b.Average, b.Min, b.Max, b.AvgContentSize}
	fa, fb = append(fa, a.Percentiles...), append(fb, b.Percentiles...)
	if len(fa) != len(fb) {
		return fmt.Sprintf("%d percentiles against %d", len(a.Percentiles), len(b.Percentiles))
	}
	for i := range fa {
		if !same(fa[i], fb[i]) {
			return fmt.Sprintf("number %d: %v against %v", i, fa[i], fb[i])
		}
	}
	ia := fmt.Sprint(a.Line, a.Timestamp, a.Users, a.Type, a.Name, a.Total, a.Requests, a.Failures)
	ib := fmt.Sprint(b.Line, b.Timestamp, b.Users, b.Type, b.Name, b.Total, b.Requests, b.Failures)
	if ia != ib {
		return ia + " against " + ib
	}
	return ""
}

// TestHistoryFastPath checks that fastRow reads the real files and a
// generated one as the general path does, zero-average fingerprint
// included.
func TestHistoryFastPath(t *testing.T) {
	var files [][]byte
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, "_stats_history.csv") {
			data, err := os.ReadFile(path)
			files = append(files, data)
			return err
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := generate.WideRun(20, 60, 5*time.Minute, 7)
	if err != nil {
		t.Fatal(err)
	}
	var gen bytes.Buffer
	if _, err := generate.Run(opt, generate.Outputs{History: &gen}); err != nil {
		t.Fatal(err)
	}
	files = append(files, gen.Bytes())

	// fastRow must take every line Locust 2.x writes, or the reader
	// loses its speed without failing anything else.
	lines := bytes.Split(bytes.TrimSuffix(gen.Bytes(), []byte("\r\n")), []byte("\r\n"))
	h, err := NewHistoryReader(bytes.NewReader(lines[0]), "a")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range lines[1:] {
		if !h.fastRow(line) {
			t.Fatalf("fastRow does not take generated line %d: %q", i+2, line)
		}
	}

	for _, data := range files {
		h, err := NewHistoryReader(bytes.NewReader(data), "a")
		if err != nil {
			t.Fatal(err)
		}
		g, err := NewHistoryReader(bytes.NewReader(data), "a")
		if err != nil {
			t.Fatal(err)
		}
		g.general = true
		for {
			row, err := h.Next()
			want, wantErr := g.Next()
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("fast path: error %v, general path: %v", err, wantErr)
			}
			if err != nil {
				break
			}
			if d := rowDiff(row, want); d != "" {
				t.Fatalf("line %d: %s", row.Line, d)
			}
		}
		za, oka := h.ZeroAverageFloat()
		zb, okb := g.ZeroAverageFloat()
		if za != zb || oka != okb {
			t.Errorf("ZeroAverageFloat: fast path %v %v, general path %v %v", za, oka, zb, okb)
		}
	}
}

func FuzzReadFailures(f *testing.F) {
	addSeeds(f, "_failures.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz_failures.csv"
		if _, err := ReadFailures(bytes.NewReader(data), file); err != nil {
			checkErr(t, err, file)
		}
	})
}

func FuzzReadExceptions(f *testing.F) {
	addSeeds(f, "_exceptions.csv")
	f.Add([]byte("Count,Message,Traceback,Nodes\r\n" +
		"3,boom,\"Traceback (most recent call last):\n  File \"\"x.py\"\", line 1\n\",local\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz_exceptions.csv"
		if _, err := ReadExceptions(bytes.NewReader(data), file); err != nil {
			checkErr(t, err, file)
		}
	})
}

// FuzzReadDistribution joins a fuzzed _distribution.csv onto the stats of
// the real 0.x _requests.csv.
func FuzzReadDistribution(f *testing.F) {
	const reqFile = "../../testdata/public/locust/result_requests.csv"
	req, err := os.ReadFile(reqFile)
	if err != nil {
		f.Fatal(err)
	}
	addSeeds(f, "_distribution.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz_distribution.csv"
		s, err := ReadStats(bytes.NewReader(req), reqFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := ReadDistribution(s, bytes.NewReader(data), file); err != nil {
			checkErr(t, err, file)
		}
	})
}

// FuzzParseFloat checks that parseFloat agrees with strconv.ParseFloat,
// bit for bit, on whatever it accepts.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "0.0", "13.166736333308412", "2007.5247999993735",
		"0.000000", "3.333333", "1e-05", ".", "-.", "1.", ".5", "18446744073709551616",
		"9007199254740993", "0.30000000000000004", "123456789012345678.9", "N/A",
		"1.0000000000000000000000000001", "0.000000000000000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFloat(t, s)
	})
}

func checkFloat(t *testing.T, s string) {
	t.Helper()
	got, ok := parseFloat([]byte(s))
	want, err := strconv.ParseFloat(s, 64)
	if ok != (err == nil) || ok && math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("parseFloat(%q) = %v, %v; strconv gives %v, %v", s, got, ok, want, err)
	}
}

// TestParseFloatMatchesStrconv compares parseFloat with strconv on
// numbers shaped as Locust writes them (Python float reprs, "%.2f" and
// "%f" rates) and on decimal strings near the limits of its fast paths.
func TestParseFloatMatchesStrconv(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		v := math.Exp(rnd.Float64()*30 - 12) // about 6e-6 to 1.1e8
		for _, s := range []string{
			strconv.FormatFloat(v, 'f', -1, 64),
			strconv.FormatFloat(v, 'f', 2, 64),
			strconv.FormatFloat(v, 'f', 6, 64),
			strconv.FormatFloat(-v, 'f', -1, 64),
			strconv.FormatFloat(math.Round(v), 'f', 1, 64),
		} {
			checkFloat(t, s)
		}

		// Random digit strings of up to 30 digits with a random point.
		n := 1 + rnd.IntN(30)
		d := make([]byte, n, n+1)
		for i := range d {
			d[i] = byte('0' + rnd.IntN(10))
		}
		if p := rnd.IntN(n + 1); p < n {
			d = append(d[:p], append([]byte{'.'}, d[p:]...)...)
		}
		checkFloat(t, string(d))
	}
	// Ties and near-ties at 2^53 and with long fractions, and roundings
	// up to the next power of two.
	for _, s := range []string{"9007199254740991.5", "0.99999999999999999",
		"9007199254740993", "9007199254740993.0000000001",
		"9007199254740992.9999999999", "18014398509481985", "18014398509481987",
		"1.00000000000000011102230246251565404", "1.0000000000000001110223024625156540"} {
		checkFloat(t, s)
	}
}
