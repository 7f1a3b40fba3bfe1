package locust

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
	b.WriteString(safePath(e.File))
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

// safePath prints a file name as it is, or quoted with escapes when it
// holds bytes a terminal would act on.
func safePath(p string) string {
	for _, r := range p {
		if r < ' ' || r == 0x7f || r == utf8.RuneError || unicode.Is(unicode.Cf, r) {
			return strconv.Quote(p)
		}
	}
	return p
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
