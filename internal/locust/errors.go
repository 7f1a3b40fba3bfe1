package locust

import (
	"fmt"
	"strings"
)

// ParseError reports input that is not Locust CSV output. It names the
// file, the physical line (1-based; 0 when the problem is the file as a
// whole), the column when one is at fault, and what was expected.
type ParseError struct {
	File   string
	Line   int
	Column string // header name of the offending column, or ""
	Msg    string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// quoteGot renders a bad cell for an error message: quoted, with
// unprintable bytes escaped and long text cut.
func quoteGot(b []byte) string {
	const max = 40
	if len(b) > max {
		return fmt.Sprintf("%q…", b[:max])
	}
	return fmt.Sprintf("%q", b)
}
