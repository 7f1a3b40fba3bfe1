package main

import (
	"errors"
	"fmt"
)

// ExitCode is loadgate's documented set of process exit codes.
type ExitCode int

const (
	// ExitPass: every criterion passed or only warned.
	ExitPass ExitCode = 0
	// ExitFail: the gate failed (a criterion missed its critical level,
	// or a warning with --fail-on warn).
	ExitFail ExitCode = 1
	// ExitError: loadgate could not judge: bad input, a missing file, a
	// bad flag or configuration.
	ExitError ExitCode = 2
)

// exitCodeHelp is the table shown in --help.
const exitCodeHelp = `Exit codes:
  0  passed: every criterion passed or only warned
  1  failed: a criterion missed its critical level (or warned, with --fail-on warn)
  2  could not judge: bad input, missing file, bad flag or configuration,
     a run with no requests, or no criterion measurable`

// gateFailed is returned by a command whose verdict is a failure; its
// message has already been printed.
type gateFailed struct{}

func (gateFailed) Error() string { return "gate failed" }

// usageError marks a bad flag or argument.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode maps an error from a command to the process exit code.
func exitCode(err error) ExitCode {
	switch {
	case err == nil:
		return ExitPass
	case errors.As(err, new(gateFailed)):
		return ExitFail
	}
	return ExitError
}
