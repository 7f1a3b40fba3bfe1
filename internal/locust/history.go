package locust

import (
	"bytes"
	"errors"
	"io"
)

// HistoryRow is one row of _stats_history.csv. Rates are the "current"
// values over Locust's sliding window of about 10 seconds; counts and the
// Median…AvgContentSize fields are cumulative since the start.
type HistoryRow struct {
	Line      int
	Timestamp int64 // Unix seconds
	// Users is the user count at the write, or -1 for eras without the
	// column (0.13.3–0.14).
	Users int64
	Type  string
	Name  string
	// Total marks the Aggregated row that ends each write.
	Total bool

	RPS            float64
	FailuresPerSec float64

	// Percentiles are aligned with HistoryReader.Percentiles. NaN means
	// no value: "N/A" (no request yet) or 0, which Locust writes for a
	// window that held no requests. Whether they cover the window or the
	// whole run depends on the version and on --csv-full-history; see
	// shared/locust-format.md §2c.
	Percentiles []float64

	Requests       int64 // cumulative
	Failures       int64 // cumulative
	Median         float64
	Average        float64
	Min            float64
	Max            float64
	AvgContentSize float64
}

// Label names the row's endpoint for people; see Label.
func (r *HistoryRow) Label() string { return Label(r.Type, r.Name) }

// HistoryReader streams a _stats_history.csv row by row. Its memory does
// not grow with the file: one row is reused, and names are interned.
type HistoryReader struct {
	rr    *recordReader
	l     *layout
	era   Era
	row   HistoryRow
	names map[string]string
	cols  historyCols
	// prev and cur list the endpoints of the previous and the current
	// write in row order. Locust writes the same endpoints in the same
	// order every time, so a row's names are usually found at its
	// position in prev, without hashing them.
	prev, cur []rowKey
	// fast tells whether fastRow can read the layout; general turns it
	// off, for tests that compare it with the general path.
	fast    bool
	general bool
	zeroAv  bool // a zero-request row wrote its average as "0.0"
	seenZ   bool // a zero-request row was seen
}

// historyCols caches column positions; -1 where the era lacks one.
type historyCols struct {
	ts, users, typ, name, rps, fps      int
	req, fail, med, avg, min, max, size int
}

// NewHistoryReader reads the header of a history file.
func NewHistoryReader(r io.Reader, file string) (*HistoryReader, error) {
	rr := newRecordReader(r, file)
	l, err := readHeader(rr, "stats history")
	if err != nil {
		return nil, err
	}
	if err := l.require("stats history", colTimestamp, colType, colName); err != nil {
		return nil, err
	}
	if !l.has(colTotalRequests) && !l.has(colRequests) {
		return nil, l.require("stats history", colTotalRequests)
	}
	at := func(cs ...column) int {
		for _, c := range cs {
			if i, ok := l.where[c]; ok {
				return i
			}
		}
		return -1
	}
	h := &HistoryReader{
		rr:    rr,
		l:     l,
		era:   eraOfHistory(l),
		names: map[string]string{},
		cols: historyCols{
			ts: at(colTimestamp), users: at(colUsers), typ: at(colType),
			name: at(colName), rps: at(colRPS), fps: at(colFPS),
			req:  at(colTotalRequests, colRequests),
			fail: at(colTotalFailures, colFailures),
			med:  at(colTotalMedian, colMedian),
			avg:  at(colTotalAverage, colAverage),
			min:  at(colTotalMin, colMin),
			max:  at(colTotalMax, colMax),
			size: at(colTotalContentSize, colContentSize),
		},
	}
	h.row.Percentiles = make([]float64, 0, len(l.pct))
	h.fast = standardLayout(l)
	return h, nil
}

// Era is the layout family of the file (1.0 and 1.1 share one).
func (h *HistoryReader) Era() Era { return h.era }

// Percentiles lists the percentile columns.
func (h *HistoryReader) Percentiles() []Percentile { return h.l.pct }

// File is the name given to NewHistoryReader.
func (h *HistoryReader) File() string { return h.rr.file }

// ZeroAverageFloat reports, once a row with no requests has been read,
// whether its average was written "0.0" (Locust 2.10 and later) rather
// than "0" (up to 2.9); ok is false before such a row.
func (h *HistoryReader) ZeroAverageFloat() (isFloat, ok bool) { return h.zeroAv, h.seenZ }

// Next returns the next row, or io.EOF after the last. The row is reused
// by the following call.
func (h *HistoryReader) Next() (*HistoryRow, error) {
	line, fields, err := h.rr.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, err
	}
	if line != nil {
		if h.fast && !h.general && h.fastRow(line) {
			return &h.row, nil
		}
		fields = h.rr.splitPlain(line)
	}
	c := cells{l: h.l, line: h.rr.recLine, fields: fields}
	if !c.checkWidth() {
		return nil, c.err
	}
	k := &h.cols
	row := &h.row
	row.Line = h.rr.recLine
	row.Timestamp = c.timestamp(k.ts)
	row.Users = -1
	if k.users >= 0 {
		row.Users = c.intAt(k.users)
	}
	row.Type, row.Name = h.names2(fields[k.typ], fields[k.name])
	row.Total = isTotalRow(row.Type, row.Name)
	if row.Total {
		row.Type = ""
		h.prev, h.cur = h.cur, h.prev[:0] // the write ends
	}
	row.RPS = c.optNumber(k.rps)
	row.FailuresPerSec = c.optNumber(k.fps)
	row.Percentiles = c.percentiles(row.Percentiles, true)
	row.Requests = c.intAt(k.req)
	row.Failures = c.optInt(k.fail)
	row.Median = c.optNumber(k.med)
	row.Average = c.optNumber(k.avg)
	row.Min = c.optNumber(k.min)
	row.Max = c.optNumber(k.max)
	row.AvgContentSize = c.optNumber(k.size)
	if c.err != nil {
		return nil, c.err
	}
	if row.Requests == 0 && k.avg >= 0 && !h.seenZ {
		h.seenZ = true
		a := fields[k.avg]
		h.zeroAv = len(a) > 1
	}
	return row, nil
}

// standardLayout reports whether the header is the one Locust 1.2 and
// later write, in its order, with any set of percentiles: the layout
// fastRow reads.
func standardLayout(l *layout) bool {
	want := []column{colTimestamp, colUsers, colType, colName, colRPS, colFPS}
	for range l.pct {
		want = append(want, colPercentile)
	}
	want = append(want, colTotalRequests, colTotalFailures, colTotalMedian,
		colTotalAverage, colTotalMin, colTotalMax, colTotalContentSize)
	if len(l.pct) == 0 || len(l.cols) != len(want) {
		return false
	}
	for i, c := range want {
		if l.cols[i] != c {
			return false
		}
	}
	return true
}

// fastRow reads a line that holds no quote, in the standard layout, into
// h.row in one pass, with no split into fields. It takes only what
// Locust writes: counts and seconds as plain digits, numbers as plain
// decimals or N/A. On anything else it returns false having changed
// nothing but h.row, and Next reads the line the general way, which
// gives the same row for every line fastRow takes, and the error for
// the lines it does not.
func (h *HistoryReader) fastRow(b []byte) bool {
	// Each step reads the cell at i and moves i past the comma after it,
	// or to len(b)+1 at the end of the line, where every later step
	// fails.
	row := &h.row
	var typ, name []byte
	i, ok := 0, true
	row.Timestamp, i, ok = intCell(b, i)
	if !ok {
		return false
	}
	if row.Users, i, ok = intCell(b, i); !ok {
		return false
	}
	if typ, i, ok = textCell(b, i); !ok {
		return false
	}
	if name, i, ok = textCell(b, i); !ok {
		return false
	}
	if row.RPS, i, ok = numberCell(b, i); !ok {
		return false
	}
	if row.FailuresPerSec, i, ok = numberCell(b, i); !ok {
		return false
	}
	row.Percentiles = row.Percentiles[:0]
	for range h.l.pct {
		var v float64
		if v, i, ok = numberCell(b, i); !ok {
			return false
		}
		if v == 0 {
			v = nan // no request in the window
		}
		row.Percentiles = append(row.Percentiles, v)
	}
	if row.Requests, i, ok = intCell(b, i); !ok {
		return false
	}
	if row.Failures, i, ok = intCell(b, i); !ok {
		return false
	}
	if row.Median, i, ok = numberCell(b, i); !ok {
		return false
	}
	avgAt := i
	if row.Average, i, ok = numberCell(b, i); !ok {
		return false
	}
	avgLen := i - 1 - avgAt
	if row.Min, i, ok = numberCell(b, i); !ok {
		return false
	}
	if row.Max, i, ok = numberCell(b, i); !ok {
		return false
	}
	if row.AvgContentSize, i, ok = numberCell(b, i); !ok || i != len(b)+1 {
		return false
	}

	row.Line = h.rr.recLine
	row.Type, row.Name = h.names2(typ, name)
	row.Total = isTotalRow(row.Type, row.Name)
	if row.Total {
		row.Type = ""
		h.prev, h.cur = h.cur, h.prev[:0] // the write ends
	}
	if row.Requests == 0 && !h.seenZ {
		h.seenZ = true
		h.zeroAv = avgLen > 1
	}
	return true
}

// cellEnd checks that a cell of b that starts at i is n bytes long,
// ending at a comma or at the end of b, and returns the index after
// the comma, or len(b)+1.
func cellEnd(b []byte, i, n int) (int, bool) {
	j := i + n
	return j + 1, j == len(b) || b[j] == ','
}

// intCell reads a count or Unix seconds written as plain digits, at
// most 18 of them, as parseInt reads it.
func intCell(b []byte, i int) (int64, int, bool) {
	if i > len(b) {
		return 0, 0, false
	}
	c := b[i:]
	var v int64
	n := 0
	for n < len(c) && c[n]-'0' <= 9 {
		v = v*10 + int64(c[n]-'0')
		n++
	}
	if n == 0 || n > 18 {
		return 0, 0, false
	}
	next, ok := cellEnd(b, i, n)
	return v, next, ok
}

// numberCell reads a number or N/A as numberAt reads it.
func numberCell(b []byte, i int) (float64, int, bool) {
	if i > len(b) {
		return 0, 0, false
	}
	c := b[i:]
	// Most cells are whole numbers (percentiles, medians under 100 ms):
	// read digits inline, and call decimal only when something other
	// than a comma follows them.
	var u uint64
	n := 0
	for n < len(c) && n < 15 && c[n]-'0' <= 9 {
		u = u*10 + uint64(c[n]-'0')
		n++
	}
	v := float64(u) // exact: u < 1e15
	switch {
	case n > 0 && (n == len(c) || c[n] == ','):
	case len(c) >= 3 && c[0] == 'N' && c[1] == '/' && c[2] == 'A':
		v, n = nan, 3
	default:
		var ok bool
		if v, n, ok = decimal(c); !ok {
			return 0, 0, false
		}
	}
	next, ok := cellEnd(b, i, n)
	return v, next, ok
}

// textCell reads the Type or Name.
func textCell(b []byte, i int) ([]byte, int, bool) {
	if i > len(b) {
		return nil, 0, false
	}
	n := bytes.IndexByte(b[i:], ',')
	if n < 0 {
		n = len(b) - i
	}
	return b[i : i+n], i + n + 1, true
}

func (c *cells) optNumber(i int) float64 {
	if i < 0 {
		return nan
	}
	return c.numberAt(i)
}

func (c *cells) optInt(i int) int64 {
	if i < 0 {
		return 0
	}
	return c.intAt(i)
}

// timestamp reads Unix seconds, written as an integer by every release.
func (c *cells) timestamp(i int) int64 {
	if v, ok := parseInt(c.fields[i]); ok {
		return v
	}
	if f, ok := parseFloat(c.fields[i]); ok && f >= 0 && f < 1e12 {
		return int64(f)
	}
	c.fail(i, "want Unix seconds, got "+quoteGot(c.fields[i]))
	return 0
}

// rowKey is the type and name of a row, interned.
type rowKey struct{ typ, name string }

// maxWrite bounds the rows per write that names2 remembers.
const maxWrite = 1 << 12

// names2 returns the interned type and name, trying the row at the same
// position in the previous write before the intern map.
func (h *HistoryReader) names2(typ, name []byte) (string, string) {
	if n := len(h.cur); n < len(h.prev) {
		if p := h.prev[n]; p.name == string(name) && p.typ == string(typ) {
			h.cur = append(h.cur, p)
			return p.typ, p.name
		}
	}
	p := rowKey{h.intern(typ), h.intern(name)}
	if len(h.cur) < maxWrite {
		h.cur = append(h.cur, p)
	}
	return p.typ, p.name
}

// intern returns the string for b, allocating only the first time a
// name is seen.
func (h *HistoryReader) intern(b []byte) string {
	if s, ok := h.names[string(b)]; ok {
		return s
	}
	if len(h.names) > 1<<16 {
		// Unbounded distinct names: stop interning rather than grow.
		return string(b)
	}
	s := string(b)
	h.names[s] = s
	return s
}
