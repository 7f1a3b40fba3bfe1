// Package yamlfile decodes loadgate's YAML files strictly: unknown keys
// are errors, and errors read as one line naming the file and line,
// without the YAML library's Go type names.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode reads data into out. name is the file's name for errors; what
// describes what an empty file should have held.
func Decode(data []byte, name, what string, out any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: file is empty: want %s", name, what)
		}
		return fmt.Errorf("%s: %s", name, clean(err))
	}
	return nil
}

var goType = regexp.MustCompile(` in type [\w.*\[\]]+`)

// clean drops yaml.v3's prefixes and Go type names, and puts a list of
// errors on one line.
func clean(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n")
	s = goType.ReplaceAllString(s, "")
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
