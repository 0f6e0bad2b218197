// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kernel_diff: bpf/sigil_fixed.h and bpf/sigil_guard.h compiled for the host, for the
 * differential test against Coq's evaluation of the programs they are printed from.
 *
 * Reads one vector per line on stdin and writes one result line:
 *   s a b                                         -> mul add sub
 *   n ns ns_per_unit scale_bits load_max          -> from_ns
 *   u price load step budget load_max price_max scale_bits -> update
 *   g armed daemon_tgid tgid task_flags allow_listed       -> may_signal
 *   c old next threshold                          -> crossing
 *   k old next kill may                           -> kill_decision
 */
#include <stdio.h>
#include "sigil_fixed.h"
#include "sigil_guard.h"

int main(void)
{
	char kind;

	while (scanf(" %c", &kind) == 1) {
		if (kind == 's') {
			long long a, b;

			if (scanf("%lld %lld", &a, &b) != 2)
				return 1;
			printf("%lld %lld %lld\n", (long long)sigil_fx_mul_sat(a, b), (long long)sigil_fx_add_sat(a, b),
			       (long long)sigil_fx_sub_sat(a, b));
		} else if (kind == 'n') {
			unsigned long long ns, npu;
			unsigned int bits;
			long long load_max;

			if (scanf("%llu %llu %u %lld", &ns, &npu, &bits, &load_max) != 4)
				return 1;
			printf("%lld\n", (long long)sigil_fx_from_ns(ns, npu, bits, load_max));
		} else if (kind == 'u') {
			long long p, l, st, bu, lm, pm;
			unsigned int bits;

			if (scanf("%lld %lld %lld %lld %lld %lld %u", &p, &l, &st, &bu, &lm, &pm, &bits) != 7)
				return 1;
			printf("%lld\n", (long long)sigil_fx_price_update(p, l, st, bu, lm, pm, bits));
		} else if (kind == 'g') {
			unsigned int armed, daemon, tgid, flags;
			int allow;

			if (scanf("%u %u %u %u %d", &armed, &daemon, &tgid, &flags, &allow) != 5)
				return 1;
			printf("%d\n", sigil_may_signal(armed, daemon, tgid, flags, allow));
		} else if (kind == 'c') {
			long long old, next, threshold;

			if (scanf("%lld %lld %lld", &old, &next, &threshold) != 3)
				return 1;
			printf("%d\n", sigil_crossing(old, next, threshold));
		} else if (kind == 'k') {
			long long old, next, kill;
			int may;

			if (scanf("%lld %lld %lld %d", &old, &next, &kill, &may) != 4)
				return 1;
			printf("%d\n", sigil_kill_decision(old, next, kill, may));
		} else {
			return 1;
		}
	}
	return 0;
}
