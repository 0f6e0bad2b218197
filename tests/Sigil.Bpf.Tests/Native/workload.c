// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * workload: controlled file activity for the eBPF tests and benchmarks.
 *
 *   workload hold <path> <ms>    after a line on stdin: open, hold <ms>, close; report times
 *   workload burst <path> <n>    after a line on stdin: <n> open+close pairs
 *   workload spin <ms>           after a line on stdin: burn CPU for <ms>; report CPU time
 *   workload loop <path> <n>     at once: <n> open+close pairs; report elapsed ns
 *   workload getppid <n>         at once: <n> getppid calls; report elapsed ns
 *   workload leave <path> <n>    after a line on stdin: open <n> files and exit without closing
 *   workload closefd <fd>        after a line on stdin: close(<fd>), open or not
 *
 * Interactive modes print "ready <pid>", wait for "go", report, then wait for a last line
 * before exiting, so the test can read the kernel's maps while the process is alive.
 * Times are CLOCK_MONOTONIC nanoseconds, the clock of bpf_ktime_get_ns().
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void wait_line(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		exit(2);
}

static void ready(void)
{
	printf("ready %d\n", getpid());
	fflush(stdout);
	wait_line();
}

static int open_file(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CREAT, 0644);

	if (fd < 0) {
		perror("openat");
		exit(3);
	}
	return fd;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "hold") == 0) {
		struct timespec hold = { .tv_sec = atol(argv[3]) / 1000, .tv_nsec = (atol(argv[3]) % 1000) * 1000000 };
		uint64_t before_open, after_open, before_close, after_close;
		int fd;

		ready();
		before_open = now_ns(CLOCK_MONOTONIC);
		fd = open_file(argv[2]);
		after_open = now_ns(CLOCK_MONOTONIC);
		nanosleep(&hold, NULL);
		before_close = now_ns(CLOCK_MONOTONIC);
		close(fd);
		after_close = now_ns(CLOCK_MONOTONIC);
		printf("held %d %llu %llu %llu %llu\n", fd, (unsigned long long)before_open, (unsigned long long)after_open,
		       (unsigned long long)before_close, (unsigned long long)after_close);
		printf("survived\n");
		fflush(stdout);
		wait_line();
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "burst") == 0) {
		long n = atol(argv[3]);

		ready();
		for (long i = 0; i < n; i++)
			close(open_file(argv[2]));
		printf("done %ld\n", n);
		fflush(stdout);
		wait_line();
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "spin") == 0) {
		uint64_t end, cpu0;
		volatile uint64_t x = 0;

		ready();
		cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		end = now_ns(CLOCK_MONOTONIC) + (uint64_t)atol(argv[2]) * 1000000ull;
		while (now_ns(CLOCK_MONOTONIC) < end)
			x++;
		printf("done %llu\n", (unsigned long long)(now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0));
		fflush(stdout);
		wait_line();
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "loop") == 0) {
		long n = atol(argv[3]);
		uint64_t start = now_ns(CLOCK_MONOTONIC);

		for (long i = 0; i < n; i++)
			close(open_file(argv[2]));
		printf("%llu\n", (unsigned long long)(now_ns(CLOCK_MONOTONIC) - start));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "getppid") == 0) {
		long n = atol(argv[2]);
		uint64_t start = now_ns(CLOCK_MONOTONIC);

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		printf("%llu\n", (unsigned long long)(now_ns(CLOCK_MONOTONIC) - start));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "leave") == 0) {
		long n = atol(argv[3]);

		ready();
		for (long i = 0; i < n; i++)
			open_file(argv[2]);
		printf("left %ld\n", n);
		fflush(stdout);
		wait_line();
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "closefd") == 0) {
		int result;

		ready();
		result = close(atoi(argv[2]));
		printf("closed %d\n", result);
		fflush(stdout);
		wait_line();
		return 0;
	}
	fprintf(stderr, "usage: workload hold <path> <ms> | burst <path> <n> | spin <ms> | loop <path> <n> | getppid <n> | leave <path> <n> | closefd <fd>\n");
	return 1;
}
