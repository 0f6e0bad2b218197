/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * sigil_fixed.h: the kernel's fixed-point price update.
 *
 *   price <- sat(max(0, price + (step * (clamp(load) - budget)) >> scale_bits))
 *
 * Every value is an integer scaled by 2^scale_bits. Plain C with no kernel or libc dependency:
 * the generated eBPF programs include it (after vmlinux.h), and a host build (gcc) checks it
 * bit for bit against the C# mirror (Sigil.Runtime.Bpf.FixedPoint).
 *
 * Rounding is floor throughout: the shift is arithmetic and the ns -> fixed conversion divides
 * unsigned values. Products and sums saturate to the s64 range instead of wrapping.
 *
 * Valid parameters: 0 <= scale_bits <= 32, 1 <= ns_per_unit <= 2^32, load_max >= 0,
 * price_max >= 0. The C# mirror rejects others; the programs get them from the compiler.
 */
#ifndef SIGIL_FIXED_H
#define SIGIL_FIXED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SIGIL_S64_MAX ((__s64)0x7fffffffffffffffLL)
#define SIGIL_S64_MIN (-SIGIL_S64_MAX - 1)

#ifndef SIGIL_INLINE
#define SIGIL_INLINE static inline __attribute__((always_inline))
#endif

/* a * b, saturated to [S64_MIN, S64_MAX] */
SIGIL_INLINE __s64 sigil_fx_mul_sat(__s64 a, __s64 b)
{
	__u64 ua = a < 0 ? -(__u64)a : (__u64)a;
	__u64 ub = b < 0 ? -(__u64)b : (__u64)b;
	int negative = (a < 0) != (b < 0);
	__u64 product;

	/* both below 2^31: the product fits, no division needed to check it */
	if ((ua | ub) >> 31 && ua != 0 && ub > (__u64)SIGIL_S64_MAX / ua)
		return negative ? SIGIL_S64_MIN : SIGIL_S64_MAX;
	product = ua * ub;
	return negative ? -(__s64)product : (__s64)product;
}

/* a + b, saturated */
SIGIL_INLINE __s64 sigil_fx_add_sat(__s64 a, __s64 b)
{
	if (b > 0 && a > SIGIL_S64_MAX - b)
		return SIGIL_S64_MAX;
	if (b < 0 && a < SIGIL_S64_MIN - b)
		return SIGIL_S64_MIN;
	return a + b;
}

/* a - b, saturated */
SIGIL_INLINE __s64 sigil_fx_sub_sat(__s64 a, __s64 b)
{
	if (b < 0 && a > SIGIL_S64_MAX + b)
		return SIGIL_S64_MAX;
	if (b > 0 && a < SIGIL_S64_MIN + b)
		return SIGIL_S64_MIN;
	return a - b;
}

/* a load measured in kernel nanoseconds, in fixed point, clamped to [0, load_max] */
SIGIL_INLINE __s64 sigil_fx_from_ns(__u64 ns, __u64 ns_per_unit, __u32 scale_bits, __s64 load_max)
{
	__u64 whole, rest, fx;

	if (load_max <= 0 || ns_per_unit == 0)
		return 0;
	/* ns << scale_bits fits: one division gives the same floor as the two below */
	if ((ns >> (63 - scale_bits)) == 0) {
		fx = (ns << scale_bits) / ns_per_unit;
		return fx > (__u64)load_max ? load_max : (__s64)fx;
	}
	whole = ns / ns_per_unit;
	rest = ns - whole * ns_per_unit;
	/* whole units alone already pass the clamp */
	if (whole > ((__u64)load_max >> scale_bits))
		return load_max;
	fx = (whole << scale_bits) + ((rest << scale_bits) / ns_per_unit);
	return fx > (__u64)load_max ? load_max : (__s64)fx;
}

/* the projected dual step: price <- sat(max(0, price + (step * (load - budget)) >> scale_bits)) */
SIGIL_INLINE __s64 sigil_fx_price_update(__s64 price, __s64 load, __s64 step, __s64 budget,
					 __s64 load_max, __s64 price_max, __u32 scale_bits)
{
	__s64 delta, next;

	/* clamp the inputs: the load to its bounds, the price to [0, price_max] */
	if (load < 0)
		load = 0;
	if (load > load_max)
		load = load_max;
	if (price < 0)
		price = 0;
	if (price > price_max)
		price = price_max;

	delta = sigil_fx_mul_sat(step, sigil_fx_sub_sat(load, budget)) >> scale_bits;
	next = sigil_fx_add_sat(price, delta);

	/* project onto [0, price_max] */
	if (next < 0)
		return 0;
	if (next > price_max)
		return price_max;
	return next;
}

#endif /* SIGIL_FIXED_H */
