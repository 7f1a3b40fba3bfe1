package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needTool finds a program the test drives; it skips without one, except
// under CI, where .ci/run installs it and a skip would hide a gap.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found: .ci/run must install it", names[0])
	}
	t.Skipf("%s not found (apt-get install %s)", names[0], names[0])
	return ""
}

// TestHTMLInChromium opens the gate's HTML page in headless Chromium and
// checks the screenshot shows something and the console stays quiet.
func TestHTMLInChromium(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium-browser")
	dir := t.TempDir()
	page := filepath.Join(dir, "gate.html")
	var out, errOut bytes.Buffer
	code := run([]string{"gate", "--csv", runs + "slow-25/load-test", "--config", "../../examples/loadgate.yaml",
		"--metric", "cache_hit_rate=0.97", "--html", page}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("gate: exit %d: %s", code, errOut.String())
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--window-size=1200,2400", "--screenshot="+shot, "file://"+page)
	logs, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, logs)
	}
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, "CONSOLE") {
			t.Errorf("console message: %s", line)
		}
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	inked := 0
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			if r, g, bl, _ := m.At(x, y).RGBA(); r < 0xd000 || g < 0xd000 || bl < 0xd000 {
				inked++
			}
		}
	}
	if inked < 2000 {
		t.Errorf("screenshot nearly blank: %d inked samples", inked)
	}
}

// TestJUnitAgainstSchema validates the JUnit output with xmllint against
// docs/schema/junit.xsd, hostile names included.
func TestJUnitAgainstSchema(t *testing.T) {
	xmllint := needTool(t, "xmllint")
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"fail", []string{"gate", "--csv", runs + "errors-5/load-test", "--config", "../../examples/loadgate.yaml"}},
		{"pass", []string{"gate", "--csv", runs + "base-b/load-test", "--config", "../../examples/loadgate.yaml", "--metric", "cache_hit_rate=0.97"}},
		{"unmeasured", []string{"gate", "--csv", runs + "base-a/load-test", "--fail-on", "unmeasured"}},
	} {
		file := filepath.Join(dir, c.name+".xml")
		var out, errOut bytes.Buffer
		run(append(c.args, "--junit", file), strings.NewReader(""), &out, &errOut)
		res, err := exec.Command(xmllint, "--noout", "--schema", "../../docs/schema/junit.xsd", file).CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", c.name, err, res)
		}
	}
}
