package gate

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/loadgate/loadgate/internal/report"
)

// The JUnit XML shape read by GitLab, Jenkins and the GitHub test-report
// actions: testsuites of testcases, each passing, failed or skipped.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes one test case per criterion check and per baseline
// comparison, grouped in a suite per endpoint ("run" for whole-run and
// scope-wide checks). Failed criteria and failing regressions are
// failures; criteria not measured are skipped; warnings pass with the
// warning in system-out. Text from the run is made safe with report.Clip
// (names cut as table cells are, messages at 2000 characters), since XML
// 1.0 cannot hold control characters at all.
func WriteJUnit(w io.Writer, r *Result) error {
	suites := map[string]*junitSuite{}
	suite := func(endpoint string) *junitSuite {
		name := endpoint
		if name == "" {
			name = "run"
		}
		name = report.Cell(name)
		s := suites[name]
		if s == nil {
			s = &junitSuite{Name: name}
			suites[name] = s
		}
		return s
	}
	add := func(s *junitSuite, c junitCase) {
		s.Tests++
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}

	for _, cr := range r.Criteria {
		for _, c := range cr.Checks {
			s := suite(c.Endpoint)
			detail := fmt.Sprintf("%s is %s; target %s, critical %s", cr.Criterion.Metric,
				FormatValue(c.Value, cr.Unit), levelText(cr.Criterion.Target, cr.Unit), levelText(cr.Criterion.Critical, cr.Unit))
			if c.Why != "" {
				detail += " (" + c.Why + ")"
			}
			jc := junitCase{Name: report.Cell(cr.Criterion.Name), ClassName: "loadgate.criteria." + classPart(s.Name)}
			switch c.Verdict {
			case Fail:
				jc.Failure = &junitMessage{Message: report.Clip(detail, 2000), Type: "critical level missed", Text: report.Clip(detail, 2000)}
			case Warn:
				jc.SystemOut = report.Clip("warning: target missed: "+detail, 2000)
				if r.Policy.FailOnWarn {
					jc.Failure = &junitMessage{Message: report.Clip(detail, 2000), Type: "target missed", Text: report.Clip(detail, 2000)}
				}
			case NotMeasured:
				jc.Skipped = &junitMessage{Message: report.Clip("not measured: "+c.Why, 2000)}
				if r.Policy.FailOnUnmeasured {
					jc.Skipped = nil
					jc.Failure = &junitMessage{Message: report.Clip("not measured: "+c.Why, 2000), Type: "not measured"}
				}
			default:
				jc.SystemOut = report.Clip(detail, 2000)
			}
			add(s, jc)
		}
	}
	if rg := r.Regression; rg != nil {
		for _, c := range rg.Comparisons {
			endpoint := c.Endpoint
			if endpoint == "Aggregated" {
				endpoint = ""
			}
			s := suite(endpoint)
			detail := fmt.Sprintf("%s: baseline %s, current %s, change %s (95%% CI %s … %s), p %s, %s, requests %s",
				c.Metric, FormatValue(c.Baseline, c.Unit), FormatValue(c.Current, c.Unit), signedPercent(c.Change),
				signedPercent(c.Lo), signedPercent(c.Hi), fmt.Sprintf("%.3g (adjusted %.3g)", c.P, c.PAdj), c.Test, c.N)
			jc := junitCase{Name: report.Cell("regression against " + rg.Name + ": " + c.Metric), ClassName: "loadgate.regression." + classPart(s.Name)}
			switch {
			case c.Verdict == Regression && !c.WarnOnly:
				jc.Failure = &junitMessage{Message: report.Clip(detail, 2000), Type: "regression", Text: report.Clip(detail, 2000)}
			case c.Verdict == Regression:
				jc.SystemOut = report.Clip("warning: regression: "+detail, 2000)
			case c.Verdict == Inconclusive:
				jc.Skipped = &junitMessage{Message: report.Clip("inconclusive: "+c.Why, 2000)}
			default:
				jc.SystemOut = report.Clip(c.Verdict.String()+": "+detail, 2000)
			}
			add(s, jc)
		}
	}

	out := junitSuites{Name: "loadgate"}
	var names []string
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := suites[n]
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, *s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// classPart keeps an endpoint name from splitting a JUnit class name:
// readers such as Jenkins split it into package and class at the last dot.
func classPart(name string) string {
	return strings.ReplaceAll(name, ".", "_")
}
