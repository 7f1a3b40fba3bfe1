package locust

import (
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
	rr     *recordReader
	l      *layout
	era    Era
	row    HistoryRow
	names  map[string]string
	cols   historyCols
	zeroAv bool // a zero-request row wrote its average as "0.0"
	seenZ  bool // a zero-request row was seen
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
	fields, err := h.rr.read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, err
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
	row.Type = h.intern(fields[k.typ])
	row.Name = h.intern(fields[k.name])
	row.Total = isTotalRow(row.Type, row.Name)
	if row.Total {
		row.Type = ""
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
