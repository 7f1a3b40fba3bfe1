package locust

import (
	"math"
	"strconv"
	"unsafe"
)

// pow10 holds the powers of ten that a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseInt parses a decimal integer as Locust writes it. Python's "%i"
// and int() never write a sign other than "-", a decimal point or spaces.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		if len(b) > 18 {
			v, err := strconv.ParseInt(bytesString(b), 10, 64)
			return v, err == nil
		}
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseFloat parses a number as Python's str(float) or "%.2f" writes it.
// Numbers with at most 15 significant digits and no exponent take an exact
// fast path (both the digits and the power of ten are exact in float64,
// so one division rounds correctly); the rest go to strconv.
func parseFloat(b []byte) (float64, bool) {
	var mant uint64
	digits, frac := 0, -1
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if mant != 0 || c != '0' {
				digits++
			}
			mant = mant*10 + uint64(c-'0')
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return slowFloat(b)
		}
		if digits > 15 {
			return slowFloat(b)
		}
	}
	if frac == 0 && len(b) == 1+boolInt(neg) {
		return 0, false // a lone "." or "-."
	}
	if frac >= len(pow10) {
		return slowFloat(b)
	}
	v := float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}

func slowFloat(b []byte) (float64, bool) {
	v, err := strconv.ParseFloat(bytesString(b), 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bytesString views b as a string without copying, for calls that do not
// keep the string.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// isNA reports whether a cell is Locust's "N/A".
func isNA(b []byte) bool {
	return len(b) == 3 && b[0] == 'N' && b[1] == '/' && b[2] == 'A'
}

// nan is the marker for "no value" in float fields.
var nan = math.NaN()
