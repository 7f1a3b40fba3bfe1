package locust

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
)

// Entry is one row of _stats.csv: an endpoint, or the whole run. Times
// are milliseconds, sizes bytes, rates per second. A value the file does
// not hold (N/A, or a column the era lacks) is NaN.
type Entry struct {
	// Type is the request method or type ("GET", "grpc"); "" for the
	// whole-run row, whatever the era wrote there ("None" or nothing).
	Type string
	// Name is the endpoint name exactly as in the file. It may hold any
	// bytes, including text that is not valid UTF-8.
	Name string

	Requests int64 // every request, failed ones included (see Stats.Era)
	Failures int64

	// Median is Locust's "Median Response Time": the lower median of the
	// rounded histogram, clamped to [Min, Max].
	Median  float64
	Average float64 // exact mean of the measured times
	Min     float64 // exact
	Max     float64 // exact

	AvgContentSize float64 // bytes
	RPS            float64 // requests over the whole run's span
	FailuresPerSec float64

	// Percentiles are aligned with Stats.Percentiles. Each is a histogram
	// bucket, so times of 100 ms and more carry two significant digits.
	Percentiles []float64

	// Line is the line of the row in its file.
	Line int
}

// Label names an endpoint for people: "TYPE NAME", or NAME alone when
// there is no type or when the name already starts with the type (as in
// locustfiles that name requests "GET /shells").
func Label(typ, name string) string {
	if typ == "" || strings.HasPrefix(name, typ+" ") {
		return name
	}
	return typ + " " + name
}

// Label is the entry's Label.
func (e *Entry) Label() string { return Label(e.Type, e.Name) }

// ErrorRate is Failures/Requests as a fraction in [0, 1], or NaN with no
// requests.
func (e *Entry) ErrorRate() float64 {
	if e.Requests <= 0 {
		return nan
	}
	return float64(e.Failures) / float64(e.Requests)
}

// Stats is a parsed _stats.csv (or a 0.x _requests.csv joined with its
// _distribution.csv).
type Stats struct {
	File        string
	Era         Era
	Percentiles []Percentile
	// Entries are the endpoint rows in file order (Locust sorts them by
	// name, then type).
	Entries []Entry
	// Total is the "Aggregated" (or older "Total") row, nil if the file
	// has none.
	Total *Entry
	// MedianKeys tells how a median of 100 ms or more that is a histogram
	// bucket was written: "float" ("150.0", Locust 1.1–2.43.3), "int"
	// ("150", 2.43.4 and later, and the hand-built eras), or "" when no
	// such median was seen. Clamped medians (exact floats) do not count.
	MedianKeys string
}

// Percentile returns the value of the percentile column with the given
// fraction (0.95 for "95%") in e, and whether the file has such a column
// with a value in it.
func (s *Stats) Percentile(e *Entry, fraction float64) (float64, bool) {
	for i, p := range s.Percentiles {
		if math.Abs(p.Fraction-fraction) < 1e-9 && i < len(e.Percentiles) {
			v := e.Percentiles[i]
			return v, !math.IsNaN(v)
		}
	}
	return nan, false
}

// ReadStats parses a _stats.csv of any era, or a 0.x _requests.csv
// (percentiles then come from ReadDistribution).
func ReadStats(r io.Reader, file string) (*Stats, error) {
	rr := newRecordReader(r, file)
	l, err := readHeader(rr, "stats")
	if err != nil {
		return nil, err
	}
	if err := l.require("stats", colType, colName, colRequests, colFailures,
		colMedian, colAverage, colMin, colMax, colContentSize, colRPS); err != nil {
		return nil, err
	}
	s := &Stats{File: file, Era: eraOfStats(l), Percentiles: l.pct}
	if s.Era == EraUnknown {
		return nil, &ParseError{File: file, Line: l.line, Msg: "header matches no Locust version's stats layout"}
	}

	for {
		fields, err := rr.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		c := cells{l: l, line: rr.recLine, fields: fields}
		if !c.checkWidth() {
			return nil, c.err
		}
		e := Entry{
			Type:           c.str(colType),
			Name:           c.str(colName),
			Requests:       c.integer(colRequests),
			Failures:       c.integer(colFailures),
			Median:         c.number(colMedian),
			Average:        c.number(colAverage),
			Min:            c.number(colMin),
			Max:            c.number(colMax),
			AvgContentSize: c.number(colContentSize),
			RPS:            c.number(colRPS),
			FailuresPerSec: c.number(colFPS),
			Percentiles:    c.percentiles(nil, false),
			Line:           rr.recLine,
		}
		if c.err == nil && (e.Requests < 0 || e.Failures < 0) {
			col := l.where[colRequests]
			if e.Requests >= 0 {
				col = l.where[colFailures]
			}
			c.fail(col, "want a count of 0 or more, got "+quoteGot(fields[col]))
		}
		if c.err != nil {
			return nil, c.err
		}
		if i, ok := l.where[colMedian]; ok && e.Median >= 100 && e.Median != e.Min && e.Median != e.Max {
			switch cell := fields[i]; {
			case bytes.HasSuffix(cell, []byte(".0")):
				s.MedianKeys = "float"
			case bytes.IndexByte(cell, '.') < 0 && s.MedianKeys == "":
				s.MedianKeys = "int"
			}
		}
		if isTotalRow(e.Type, e.Name) {
			e.Type = ""
			s.Total = &e
			continue
		}
		s.Entries = append(s.Entries, e)
	}
	return s, nil
}

// ReadDistribution adds the percentiles of a 0.x _distribution.csv to
// stats read from the matching _requests.csv. Rows are joined on
// "METHOD NAME", the way Locust 0.x named them.
func ReadDistribution(s *Stats, r io.Reader, file string) error {
	rr := newRecordReader(r, file)
	l, err := readHeader(rr, "distribution")
	if err != nil {
		return err
	}
	if err := l.require("distribution", colName, colRequests); err != nil {
		return err
	}
	if len(l.pct) == 0 {
		return &ParseError{File: file, Line: l.line, Msg: "header has no percentile columns such as \"50%\""}
	}

	byKey := map[string]*Entry{}
	for i := range s.Entries {
		e := &s.Entries[i]
		byKey[e.Type+" "+e.Name] = e
	}
	s.Percentiles = l.pct
	for {
		fields, err := rr.read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		c := cells{l: l, line: rr.recLine, fields: fields}
		if !c.checkWidth() {
			return c.err
		}
		name := c.str(colName)
		pct := c.percentiles(nil, false)
		if c.err != nil {
			return c.err
		}
		if e, ok := byKey[name]; ok {
			e.Percentiles = pct
		} else if s.Total != nil && isTotalRow("", strings.TrimPrefix(name, "None ")) {
			s.Total.Percentiles = pct
		}
	}
}
