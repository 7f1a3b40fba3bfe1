package report

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxCell is the longest text, in runes, that a table cell shows; longer
// text is cut and ends in "…".
const MaxCell = 120

// Cell is Text cut to MaxCell runes. A cut cell ends in "…" and a short
// hash of the whole text, so that long names that differ only past the
// cut stay distinct.
func Cell(s string) string { return clip(s, MaxCell) }

// Shorten cuts s to MaxCell runes without escaping anything, ending a
// cut string with the same mark as Cell, so that a long name can go into a
// longer message that is escaped once, as a whole, afterwards.
func Shorten(s string) string {
	if utf8.RuneCountInString(s) <= MaxCell {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	return string([]rune(s)[:MaxCell]) + fmt.Sprintf("…~%06x", h.Sum32()&0xffffff)
}

// Clip is Text cut to max runes (max < 0: not cut), with the same mark
// as Cell.
func Clip(s string, max int) string { return clip(s, max) }

// Text makes a string from a run safe to print: bytes that are not valid
// UTF-8 become \xNN, control characters (escape sequences, newlines,
// tabs) and backslashes become visible escapes. Distinct inputs stay
// distinct.
func Text(s string) string { return clip(s, -1) }

func clip(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n == max {
			h := fnv.New32a()
			h.Write([]byte(s))
			fmt.Fprintf(&b, "…~%06x", h.Sum32()&0xffffff)
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\\':
			b.WriteString(`\\`)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
		n++
	}
	return b.String()
}

// MarkdownCell is Markdown cut to MaxCell runes.
func MarkdownCell(s string) string { return markdown(Cell(s)) }

// Markdown makes text safe inside markdown, also in a table cell: it
// applies Text, then breaks the autolinks GitHub would make (URLs, GH-7)
// and escapes the characters that markdown or GitHub would act on
// (pipes, emphasis, code, HTML, mentions, issue links), so the cell shows
// the text literally.
func Markdown(s string) string { return markdown(Text(s)) }

func markdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '|', '\\', '`', '*', '_', '[', ']', '<', '>', '~', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case ':':
			// "https://…" would become a link.
			b.WriteRune(r)
			if strings.HasPrefix(s[i+1:], "//") {
				b.WriteString("\u200b")
			}
		case '-':
			// "GH-7" would link an issue.
			b.WriteRune(r)
			if i >= 2 && strings.EqualFold(s[i-2:i], "gh") && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				b.WriteString("\u200b")
			}
		case '#':
			// "#123" would link an issue.
			b.WriteRune(r)
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				b.WriteString("\u200b")
			}
		case '@':
			// A zero-width joiner after @ stops GitHub's mention.
			b.WriteString("@\u200b")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
