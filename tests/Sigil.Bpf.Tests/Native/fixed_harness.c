// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fixed_harness: bpf/sigil_fixed.h and bpf/sigil_guard.h on the host, for the C# mirror tests.
 *
 *   fixed_harness fixed   reads struct fixed_in records on stdin, writes struct fixed_out
 *   fixed_harness guard   reads struct guard_in records on stdin, writes one __s32 each
 */
#include <stdio.h>
#include <string.h>
#include "sigil_fixed.h"
#include "sigil_guard.h"

struct fixed_in {
	__s64 price;
	__s64 load;
	__u64 ns;
	__s64 step;
	__s64 budget;
	__s64 load_max;
	__s64 price_max;
	__u64 ns_per_unit;
	__u32 scale_bits;
	__u32 _pad;
	__s64 a;
	__s64 b;
};

struct fixed_out {
	__s64 update;
	__s64 from_ns;
	__s64 mul;
	__s64 add;
	__s64 sub;
};

struct guard_in {
	__u32 armed;
	__u32 daemon_tgid;
	__u32 tgid;
	__u32 task_flags;
	__s32 allow_listed;
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "fixed") == 0) {
		struct fixed_in in;
		struct fixed_out out;

		while (fread(&in, sizeof(in), 1, stdin) == 1) {
			out.update = sigil_fx_price_update(in.price, in.load, in.step, in.budget, in.load_max, in.price_max,
							   in.scale_bits);
			out.from_ns = sigil_fx_from_ns(in.ns, in.ns_per_unit, in.scale_bits, in.load_max);
			out.mul = sigil_fx_mul_sat(in.a, in.b);
			out.add = sigil_fx_add_sat(in.a, in.b);
			out.sub = sigil_fx_sub_sat(in.a, in.b);
			if (fwrite(&out, sizeof(out), 1, stdout) != 1)
				return 1;
		}
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "guard") == 0) {
		struct guard_in in;

		while (fread(&in, sizeof(in), 1, stdin) == 1) {
			__s32 may = sigil_may_signal(in.armed, in.daemon_tgid, in.tgid, in.task_flags, in.allow_listed);

			if (fwrite(&may, sizeof(may), 1, stdout) != 1)
				return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: fixed_harness fixed | guard\n");
	return 1;
}
