package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// streams are the command's standard streams.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// isTerminal reports whether w is a terminal, for table borders. NO_COLOR
// does not matter here: loadgate prints no colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// run is loadgate's entry point: it parses args, runs the command and
// returns the exit code. Tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := streams{in: stdin, out: stdout, err: stderr}
	root := newRootCmd(s)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err != nil && !errors.As(err, new(gateFailed)) {
		fmt.Fprintf(stderr, "loadgate: %v\n", err)
	}
	return int(exitCode(err))
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "loadgate",
		Short: "Turn Locust load-test results into decisions CI can act on",
		Long: `loadgate reads the CSV files Locust writes with --csv PREFIX (any Locust
version from 0.8 to 2.4x), explains the run, and judges it against
performance targets with an exit code CI understands.

` + exitCodeHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(newAnalyzeCmd(s), newGateCmd(s), newInitCmd(s), newGenerateCmd(s), newCalibrateCmd(s), newBaselinesCmd(s))
	return root
}
