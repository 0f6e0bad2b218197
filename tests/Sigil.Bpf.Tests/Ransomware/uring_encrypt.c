// uring_encrypt: reads file paths on stdin and overwrites each file in place through io_uring
// (raw syscalls, no liburing): the writes never pass write(2), pwrite(2) or writev(2). Prints
// "first <CLOCK_MONOTONIC ns>" before its first write, like behaviours.py.
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int ring_fd;
static struct io_uring_sqe *sqes;
static unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
static struct io_uring_cqe *cqes;

static int setup(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	ring_fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring_fd < 0)
		return -1;
	char *sq = mmap(0, p.sq_off.array + p.sq_entries * sizeof(unsigned), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQ_RING);
	char *cq = mmap(0, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_CQ_RING);
	sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return -1;
	sq_tail = (unsigned *)(sq + p.sq_off.tail);
	sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	sq_array = (unsigned *)(sq + p.sq_off.array);
	cq_head = (unsigned *)(cq + p.cq_off.head);
	cq_tail = (unsigned *)(cq + p.cq_off.tail);
	cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* one write through the ring; returns its result */
static int uring_write(int fd, const void *buf, unsigned len, unsigned long long off)
{
	unsigned tail = *sq_tail, idx = tail & *sq_mask;
	struct io_uring_sqe *e = &sqes[idx];
	memset(e, 0, sizeof(*e));
	e->opcode = IORING_OP_WRITE;
	e->fd = fd;
	e->addr = (unsigned long long)buf;
	e->len = len;
	e->off = off;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring_fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return -1;
	unsigned head = __atomic_load_n(cq_head, __ATOMIC_ACQUIRE);
	int res = cqes[head & *cq_mask].res;
	__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

int main(void)
{
	char path[4096];
	int first = 1;
	if (setup())
		return 2;
	while (fgets(path, sizeof(path), stdin)) {
		path[strcspn(path, "\n")] = 0;
		int fd = open(path, O_RDWR);
		struct stat st;
		if (fd < 0 || fstat(fd, &st))
			continue;
		unsigned char *buf = malloc(st.st_size ? st.st_size : 1);
		ssize_t n = read(fd, buf, st.st_size);
		for (ssize_t i = 0; i < n; i++)
			buf[i] ^= 0x5a;
		if (first) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			printf("first %llu\n", (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec);
			fflush(stdout);
			first = 0;
		}
		uring_write(fd, buf, (unsigned)n, 0);
		free(buf);
		close(fd);
	}
	return 0;
}
