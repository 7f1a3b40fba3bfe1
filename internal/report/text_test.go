package report

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GET /shells", "GET /shells"},
		{"a\nb\tc", `a\nb\tc`},
		{"\x1b[31m", `\u001b[31m`},
		{"get\xbd\xd3", `get\xbd\xd3`},
		{`back\slash`, `back\\slash`},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"查看影响力榜单", "查看影响力榜单"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The literal text `\xbd` and the byte 0xbd stay apart.
	if Text(`\xbd`) == Text("\xbd") {
		t.Error("escaped and raw bytes collide")
	}
}

func TestCellKeepsLongNamesDistinct(t *testing.T) {
	a := strings.Repeat("x", 300) + "a"
	b := strings.Repeat("x", 300) + "b"
	ca, cb := Cell(a), Cell(b)
	if ca == cb {
		t.Error("two long names that differ past the cut print alike")
	}
	if n := len([]rune(ca)); n > MaxCell+8 {
		t.Errorf("cell of %d runes", n)
	}
	if Shorten("short") != "short" || len([]rune(Shorten(a))) != MaxCell+8 {
		t.Errorf("Shorten: %q", Shorten(a))
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"<script>", `\<script\>`},
		{"@someone", "@\u200bsomeone"},
		{"fixes #123", "fixes #\u200b123"},
		{"C#", "C#"},
		{"[x](y)", `\[x\](y)`},
		{"`code`", "\\`code\\`"},
		{"a & b", "a &amp; b"},
		{"see https://evil.example", "see https:\u200b//evil.example"},
		{"fixes GH-7", "fixes GH-\u200b7"},
		{"$E=mc^2$", `\$E=mc^2\$`},
	}
	for _, tt := range tests {
		if got := Markdown(tt.in); got != tt.want {
			t.Errorf("Markdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
