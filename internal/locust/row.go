package locust

import (
	"errors"
	"fmt"
	"io"
)

// cells reads typed values from one record against its header. The first
// problem is kept in err; later reads return zero values, so a row can be
// read straight through and checked once.
type cells struct {
	l      *layout
	line   int
	fields [][]byte
	err    error
}

func (c *cells) fail(col int, msg string) {
	if c.err == nil {
		c.err = &ParseError{File: c.l.file, Line: c.line, Column: c.l.names[col], Msg: msg}
	}
}

// checkWidth rejects a record whose field count differs from the header's.
func (c *cells) checkWidth() bool {
	if len(c.fields) != len(c.l.names) {
		c.err = &ParseError{File: c.l.file, Line: c.line, Msg: fmt.Sprintf(
			"row has %d fields, want %d as in the header on line %d",
			len(c.fields), len(c.l.names), c.l.line)}
		return false
	}
	return true
}

func (c *cells) str(col column) string {
	i, ok := c.l.where[col]
	if !ok {
		return ""
	}
	return string(c.fields[i])
}

// integer reads a count. A missing column reads as 0.
func (c *cells) integer(col column) int64 {
	i, ok := c.l.where[col]
	if !ok {
		return 0
	}
	return c.intAt(i)
}

func (c *cells) intAt(i int) int64 {
	v, ok := parseInt(c.fields[i])
	if !ok {
		// Some writers print counts as floats ("12.0"); accept whole ones.
		if f, ok := parseFloat(c.fields[i]); ok && f == float64(int64(f)) {
			return int64(f)
		}
		c.fail(i, "want a whole number, got "+quoteGot(c.fields[i]))
	}
	return v
}

// number reads a time, size or rate. "N/A" and a missing column read as
// NaN.
func (c *cells) number(col column) float64 {
	i, ok := c.l.where[col]
	if !ok {
		return nan
	}
	return c.numberAt(i)
}

func (c *cells) numberAt(i int) float64 {
	b := c.fields[i]
	if isNA(b) {
		return nan
	}
	v, ok := parseFloat(b)
	if !ok {
		c.fail(i, "want a number or N/A, got "+quoteGot(b))
	}
	return v
}

// percentiles fills dst, aligned with the layout's percentile list, and
// returns it. With zeroIsEmpty a 0 reads as NaN: in a window percentile
// Locust writes 0 when the window held no requests.
func (c *cells) percentiles(dst []float64, zeroIsEmpty bool) []float64 {
	dst = dst[:0]
	for i, col := range c.l.cols {
		if col != colPercentile {
			continue
		}
		v := c.numberAt(i)
		if zeroIsEmpty && v == 0 {
			v = nan
		}
		dst = append(dst, v)
	}
	return dst
}

// readHeader reads the first record of a file and builds its layout.
func readHeader(rr *recordReader, what string) (*layout, error) {
	fields, err := rr.read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: rr.file, Msg: "file is empty: want a Locust " + what + " header"}
	}
	if err != nil {
		return nil, err
	}
	l := newLayout(rr.file, rr.recLine, fields, rr.firstQuoted)
	rr.handBuilt = l.quotedFirst
	return l, nil
}
