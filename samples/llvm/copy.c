// copy: copy a file with open, read, write and close.
//
//     copy [-p] [-b BLOCK] SOURCE TARGET
//
// By default it reads blocks and writes each with write(2) until all of it is written; with -p
// it copies with pread(2) and pwrite(2) at explicit offsets. It prints the bytes copied and a
// checksum of them. The sigil 'dwell' fibre instruments its write and pwrite calls; nothing
// else in this file may carry a hook (the tests check that).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Writes all of buf; -1 with errno set on failure.
static int write_all(int fd, const char *buf, size_t size)
{
    while (size > 0) {
        ssize_t written = write(fd, buf, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += written;
        size -= (size_t)written;
    }
    return 0;
}

// FNV-1a over the bytes copied: no system call, so no hook.
static uint64_t checksum(uint64_t hash, const char *buf, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        hash ^= (unsigned char)buf[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

// Reports a failed call the way the tests expect: "copy: <what>: <strerror>".
static int fail(const char *what)
{
    fprintf(stderr, "copy: %s: %s\n", what, strerror(errno));
    return 1;
}

static int copy_stream(int in, int out, char *buf, size_t block, uint64_t *copied, uint64_t *hash)
{
    for (;;) {
        ssize_t got = read(in, buf, block);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return fail("read");
        }
        if (got == 0)
            return 0;
        if (write_all(out, buf, (size_t)got) != 0)
            return fail("write");
        *copied += (uint64_t)got;
        *hash = checksum(*hash, buf, (size_t)got);
    }
}

static int copy_positioned(int in, int out, char *buf, size_t block, uint64_t *copied, uint64_t *hash)
{
    off_t offset = 0;
    for (;;) {
        ssize_t got = pread(in, buf, block, offset);
        if (got < 0)
            return fail("pread");
        if (got == 0)
            return 0;
        ssize_t put = pwrite(out, buf, (size_t)got, offset);
        if (put != got)
            return fail("pwrite");
        offset += got;
        *copied += (uint64_t)got;
        *hash = checksum(*hash, buf, (size_t)got);
    }
}

int main(int argc, char **argv)
{
    size_t block = 4096;
    int positioned = 0;
    int opt;

    while ((opt = getopt(argc, argv, "pb:")) != -1) {
        if (opt == 'p')
            positioned = 1;
        else if (opt == 'b')
            block = (size_t)strtoul(optarg, NULL, 10);
        else
            return 2;
    }
    if (argc - optind != 2 || block == 0) {
        fputs("usage: copy [-p] [-b BLOCK] SOURCE TARGET\n", stderr);
        return 2;
    }
    char *buf = malloc(block);
    if (!buf)
        return fail("malloc");
    int in = open(argv[optind], O_RDONLY);
    if (in < 0)
        return fail("open");
    int out = open(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0)
        return fail("open");

    uint64_t copied = 0, hash = 14695981039346656037ull;
    int status = positioned ? copy_positioned(in, out, buf, block, &copied, &hash)
                            : copy_stream(in, out, buf, block, &copied, &hash);
    if (close(out) != 0 && status == 0)
        status = fail("close");
    close(in);
    free(buf);
    if (status == 0)
        printf("copied %llu bytes, checksum %016llx\n", (unsigned long long)copied, (unsigned long long)hash);
    return status;
}
