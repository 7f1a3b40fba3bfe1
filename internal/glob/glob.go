// Package glob compiles the name patterns of loadgate's files and flags.
package glob

import (
	"regexp"
	"strings"
)

// Compile turns a pattern into a regular expression that matches whole
// names: "re:" followed by a regular expression (matched anywhere), or a
// glob where * matches any text, slashes included, and ? one character.
func Compile(p string) (*regexp.Regexp, error) {
	if rest, ok := strings.CutPrefix(p, "re:"); ok {
		return regexp.Compile(rest)
	}
	var b strings.Builder
	b.WriteString(`^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.Compile(b.String())
}
