package locust

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// recordReader splits Locust CSV text into records. It accepts every line
// ending Locust has produced (LF, CRLF, and the CR CR LF of Python's text
// mode on Windows), CR alone (a file resaved on a classic Mac), a missing
// final newline, a UTF-8 byte-order mark, and quoted fields that span
// lines (exception tracebacks).
//
// Two quoting dialects exist. Files written by Python's csv module (Locust
// 1.1 and later) double a quote inside a quoted field. Files built by hand
// (Locust 0.x and 1.0) wrap every string in quotes and escape nothing, so a
// quote inside a name is literal; in that dialect a quote closes a field
// only when a comma or the end of the line follows it.
//
// The fields returned by read are valid until the next call.
type recordReader struct {
	br   *bufio.Reader
	file string

	// handBuilt selects the 0.x/1.0 quoting dialect.
	handBuilt bool

	nextLine int // physical line number where the next record starts
	recLine  int // physical line number where the last record started
	started  bool

	// eol is the byte that ends a line: LF, or CR in a CR-only file.
	eol byte

	// firstQuoted tells whether the last record began with a quote.
	firstQuoted bool

	fields  [][]byte
	scratch []byte // backing store for fields that needed unquoting
	pending []byte // a line copied out of the bufio buffer
}

func newRecordReader(r io.Reader, file string) *recordReader {
	rr := &recordReader{
		br:       bufio.NewReaderSize(r, 256<<10),
		file:     file,
		nextLine: 1,
		fields:   make([][]byte, 0, 32),
		eol:      '\n',
	}
	// A file whose start holds carriage returns but no line feed was
	// saved with classic Mac line ends (CR alone): split it on CR.
	head, _ := rr.br.Peek(64 << 10)
	if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		rr.eol = '\r'
	}
	return rr
}

// line reads one physical line without its line ending. The returned slice
// may point into the bufio buffer. It returns io.EOF only when no bytes
// are left.
func (r *recordReader) line() ([]byte, error) {
	b, err := r.br.ReadSlice(r.eol)
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the buffer: collect it in pending.
		r.pending = append(r.pending[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = r.br.ReadSlice(r.eol)
			r.pending = append(r.pending, b...)
		}
		b = r.pending
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(b) == 0 && errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if !r.started {
		r.started = true
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	return trimEOL(b), nil
}

// trimEOL removes a final LF and any CRs before it (CRLF, CR CR LF), or
// trailing CRs at the end of a file without a final LF.
func trimEOL(b []byte) []byte {
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
	}
	for n > 0 && b[n-1] == '\r' {
		n--
	}
	return b[:n]
}

// read returns the next non-empty record, or io.EOF.
func (r *recordReader) read() ([][]byte, error) {
	line, fields, err := r.next()
	if line != nil {
		return r.splitPlain(line), nil
	}
	return fields, err
}

// next reads the next non-empty record, or io.EOF. A record that holds
// no quote comes back unsplit in line, valid until the next call, for
// the caller to split with splitPlain or to read in place; any other
// comes back split in fields.
func (r *recordReader) next() (line []byte, fields [][]byte, err error) {
	for {
		r.recLine = r.nextLine
		b, err := r.line()
		if err != nil {
			return nil, nil, err
		}
		r.nextLine++
		if len(b) == 0 {
			continue
		}
		r.firstQuoted = b[0] == '"'
		if bytes.IndexByte(b, '"') < 0 {
			return b, nil, nil
		}
		fields, err := r.splitQuoted(b)
		return nil, fields, err
	}
}

// splitPlain splits a line that holds no quote at all: the fast path for
// stats files, and for history lines that HistoryReader.fastRow does not
// take.
func (r *recordReader) splitPlain(b []byte) [][]byte {
	r.fields = r.fields[:0]
	for {
		i := bytes.IndexByte(b, ',')
		if i < 0 {
			r.fields = append(r.fields, b)
			return r.fields
		}
		r.fields = append(r.fields, b[:i])
		b = b[i+1:]
	}
}

// splitQuoted splits a line with quotes, reading further lines while a
// quoted field is open.
func (r *recordReader) splitQuoted(b []byte) ([][]byte, error) {
	r.scratch = r.scratch[:0]
	var ends []int // end offset of each field in scratch
	start := 0
	for {
		// One field begins at b[0].
		if len(b) > 0 && b[0] == '"' {
			var err error
			b, err = r.quotedField(b[1:])
			if err != nil {
				return nil, err
			}
		} else {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				i = len(b)
			}
			r.scratch = append(r.scratch, b[:i]...)
			b = b[i:]
		}
		ends = append(ends, len(r.scratch))
		if len(b) == 0 {
			break
		}
		// b[0] is the comma after the field.
		b = b[1:]
		if len(b) == 0 {
			// A trailing comma ends in one empty field.
			ends = append(ends, len(r.scratch))
			break
		}
	}
	r.fields = r.fields[:0]
	for _, e := range ends {
		r.fields = append(r.fields, r.scratch[start:e])
		start = e
	}
	return r.fields, nil
}

// quotedField appends the content of a quoted field, whose opening quote
// has been consumed, to scratch and returns what follows the closing quote
// (empty, or starting at a comma).
func (r *recordReader) quotedField(b []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(b, '"')
		if i < 0 {
			// The field continues on the next physical line.
			r.scratch = append(r.scratch, b...)
			r.scratch = append(r.scratch, '\n')
			next, err := r.line()
			if errors.Is(err, io.EOF) {
				return nil, &ParseError{File: r.file, Line: r.recLine,
					Msg: "quoted field opened here is never closed"}
			}
			if err != nil {
				return nil, err
			}
			r.nextLine++
			// The line may live in the bufio buffer; it is consumed before
			// the next read, so no copy is needed.
			b = next
			continue
		}
		r.scratch = append(r.scratch, b[:i]...)
		rest := b[i+1:]
		switch {
		case len(rest) == 0 || rest[0] == ',':
			return rest, nil
		case rest[0] == '"' && !r.handBuilt:
			r.scratch = append(r.scratch, '"')
			b = rest[1:]
		case r.handBuilt:
			// A literal quote inside a hand-quoted field.
			r.scratch = append(r.scratch, '"')
			b = rest
		default:
			return nil, &ParseError{File: r.file, Line: r.nextLine - 1,
				Msg: "a quote inside a quoted field must be doubled or followed by a comma"}
		}
	}
}
