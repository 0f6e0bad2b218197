// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringbuf_producer.bpf.c: fills a fibre's ring buffer with struct sigil_event records as fast
 * as the kernel can, for the bpf benchmark's consumer. The benchmark makes "events" reuse the
 * fibre's ring buffer map and runs produce_events with BPF_PROG_TEST_RUN from one thread while
 * one C# thread drains the ring.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "dwell.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* records per run */
const volatile __u32 batch = 4096;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* [0]: records submitted, [1]: records lost to a full ring */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps");

static long produce_one(__u32 index, void *data)
{
	__u32 slot = 0;
	__u64 *count;
	struct sigil_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		slot = 1;
	} else {
		e->ts_ns = index;
		e->kind = SIGIL_EVENT_SAMPLE;
		e->tgid = 1;
		e->tid = index;
		e->fd = -1;
		e->load_ns = index;
		e->price = 0;
		e->sensor = 0;
		e->cpu = 0;
		e->comm[0] = 0;
		bpf_ringbuf_submit(e, 0);
	}
	count = bpf_map_lookup_elem(&produced, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

SEC("syscall")
int produce_events(void *ctx)
{
	bpf_loop(batch, produce_one, NULL, 0);
	return 0;
}
