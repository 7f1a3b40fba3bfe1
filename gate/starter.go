package gate

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/loadgate/loadgate/analyze"
	"github.com/loadgate/loadgate/internal/report"
)

// Starter returns a commented loadgate.yaml for a run: the built-in
// criteria, preceded by the run's endpoints with the classes the
// built-in rules put them in, for the user to edit.
func Starter(rep *analyze.Report) string {
	cfg := Default()
	var b strings.Builder
	b.WriteString("# loadgate.yaml, written by loadgate init for " + report.Text(rep.Files.Stats) + "\n#\n")
	b.WriteString("# Endpoints in that run, and the classes the rules below put them in:\n")
	names := []string{"read", "cached-read", "db-read"}
	for i := range rep.Endpoints {
		e := &rep.Endpoints[i]
		var in []string
		for _, n := range names {
			if cfg.inClass(n, e, 0) {
				in = append(in, n)
			}
		}
		if len(in) == 0 {
			in = []string{"no class"}
		}
		fmt.Fprintf(&b, "#   %-40s %s\n", report.Text(e.Label()), strings.Join(in, ", "))
	}
	b.WriteString("#\n# Adjust the classes' patterns so each endpoint lands where it belongs,\n")
	b.WriteString("# then the levels to your service's targets.\n\n")
	b.Write(bytes.TrimLeft(DefaultYAML, "\n"))
	return b.String()
}
