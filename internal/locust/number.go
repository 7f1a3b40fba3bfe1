package locust

import (
	"encoding/binary"
	"math"
	"math/bits"
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

// parseFloat parses a number as Python's str(float) or "%.2f" writes it,
// giving the float64 that strconv.ParseFloat gives. Plain decimals take
// the exact fast paths of decimal; the rest go to strconv.
func parseFloat(b []byte) (float64, bool) {
	if v, n, ok := decimal(b); ok && n == len(b) {
		return v, true
	}
	return slowFloat(b)
}

// decimal reads a number written [-]digits[.digits] from the start of b
// and returns its value and its length in bytes. ok is false when b does
// not start with such a number, or when the number needs strconv.
//
// The value is the float64 nearest the decimal, as strconv.ParseFloat
// gives it. Numbers whose digits, read as an integer, fit in 53 bits,
// with at most 22 decimals, take an exact fast path (both the digits and
// the power of ten are exact in float64, so one division rounds
// correctly); those with up to 19 significant digits and 27 decimals,
// such as Locust's full-precision averages, are divided exactly in
// integers (divPow10). Longer numbers need strconv.
func decimal(b []byte) (v float64, n int, ok bool) {
	i := 0
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		i = 1
	}
	start := i
	var mant uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		mant = mant*10 + uint64(d)
	}
	digits, frac := i-start, 0 // leading zeros included; decimals
	if i < len(b) && b[i] == '.' {
		i++
		from := i
		// Locust's averages and exact times have 12 to 16 decimals:
		// take them up to eight at a time.
		for i+8 <= len(b) {
			v, k := digitWord(binary.LittleEndian.Uint64(b[i:]))
			mant = mant*pow10u[k] + v
			i += k
			if k < 8 {
				break
			}
		}
		if i+8 > len(b) {
			for ; i < len(b); i++ {
				d := b[i] - '0'
				if d > 9 {
					break
				}
				mant = mant*10 + uint64(d)
			}
		}
		frac = i - from
		digits += frac
	}
	if digits == 0 {
		return 0, 0, false // "", "-", "." or "-."
	}
	if digits > 19 && significant(b[start:i]) > 19 {
		return 0, 0, false // mant overflowed
	}

	switch {
	case mant == 0:
		v = 0
	case mant <= 1<<53 && frac < len(pow10):
		v = float64(mant)
		if frac > 0 {
			v /= pow10[frac]
		}
	case frac < len(pow5):
		if v, ok = divPow10(mant, frac); !ok {
			return 0, 0, false
		}
	default:
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// pow10u holds 10^0 … 10^8.
var pow10u = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// digitWord reads the ASCII digits at the start of the eight bytes of w,
// read little-endian from the text, and returns their value and count.
// It takes a run of digits in one step, with no branch on each byte.
func digitWord(w uint64) (v uint64, n int) {
	// Digits become bytes 0–9. A byte's high bit in the sum is set if and
	// only if the byte is 10 or more, and no byte carries into the next.
	const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	t := w ^ 0x3030303030303030
	other := ((t&low7 + 0x7676767676767676) | t) & high
	n = bits.TrailingZeros64(other) >> 3
	if n == 0 {
		return 0, 0
	}
	// Keep the n digits, moved to the top bytes: the zero bytes below
	// them read as leading zeros.
	t <<= 64 - 8*n
	// Combine neighbours into lanes twice as wide, three times: each
	// lane's value stays below its width, so nothing carries across.
	t = (t*10 + t>>8) & 0x00ff00ff00ff00ff   // 2-digit numbers in 16 bits
	t = (t*100 + t>>16) & 0x0000ffff0000ffff // 4-digit numbers in 32 bits
	return (t*10000 + t>>32) & 0xffffffff, n // the 8-digit number
}

// significant counts the digits of an unsigned decimal from its first
// non-zero one.
func significant(b []byte) int {
	n, seen := 0, false
	for _, c := range b {
		seen = seen || c >= '1' && c <= '9'
		if seen && c != '.' {
			n++
		}
	}
	return n
}

// pow5 holds the powers of five that fit in a uint64.
var pow5 = func() (p [28]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 5
	}
	return p
}()

// divPow10 returns mant/10^e rounded to nearest, ties to even, for
// 0 < mant and e < len(pow5). As mant/10^e = (mant/5^e)·2^-e, it divides
// mant, shifted to give a 63- or 64-bit quotient, by 5^e in 128-bit
// integer arithmetic; the quotient's low bits and the remainder decide
// the rounding exactly. ok is false if the result is not a normal float64.
func divPow10(mant uint64, e int) (v float64, ok bool) {
	d := pow5[e]
	s := 63 + bits.Len64(d) - bits.Len64(mant) // 0 ≤ s ≤ 126
	var hi, lo uint64
	if s >= 64 {
		hi = mant << (s - 64)
	} else {
		hi, lo = mant>>(64-s), mant<<s
	}
	// mant·2^s < 2^(63+len(d)) ≤ 2^64·d, so hi < d and q < 2^64; also
	// q > 2^62.
	q, r := bits.Div64(hi, lo, d)
	shift := bits.Len64(q) - 53 // 10 or 11
	m := q >> shift
	rest, half := q&(1<<shift-1), uint64(1)<<(shift-1)
	if rest > half || rest == half && (r != 0 || m&1 == 1) {
		m++
		if m == 1<<53 {
			m >>= 1
			shift++
		}
	}
	// The value is m·2^(shift-s-e) with m in [2^52, 2^53).
	exp := 52 + shift - s - e
	if exp < -1022 || exp > 1023 {
		return 0, false
	}
	return math.Float64frombits(uint64(exp+1023)<<52 | m&(1<<52-1)), true
}

func slowFloat(b []byte) (float64, bool) {
	v, err := strconv.ParseFloat(bytesString(b), 64)
	if err != nil {
		return 0, false
	}
	return v, true
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
