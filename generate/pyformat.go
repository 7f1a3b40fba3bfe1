package generate

import (
	"math"
	"strconv"
	"strings"
)

// pyFloat formats v as Python's str(float) does: the shortest digits that
// read back as v, in fixed notation with at least one decimal ("18.0")
// when the exponent is from -4 to 15, otherwise in scientific notation
// with a signed two-digit-or-more exponent ("1e-05", "1.5e+16").
func pyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == 0:
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(v); a < 1e-4 || a >= 1e16 {
		return strconv.FormatFloat(v, 'e', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pyFixed6 formats v as Python's f"{v:2f}": six decimals.
func pyFixed6(v float64) string {
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// pyKey formats a histogram key as Locust 1.0–2.43.3 writes one: an int
// below 100 ms ("26"), a float from round(x, -n) above ("150.0").
func pyKey(k float64) string {
	if k < 100 {
		return strconv.FormatInt(int64(k), 10)
	}
	return pyFloat(k)
}
