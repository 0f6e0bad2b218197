// hookbench: what an instrumented call site costs while the price is 0.
//
//     hookbench ITERATIONS
//
// Times ITERATIONS calls of bench_sink (defined in hooksink.c, another translation unit, so
// that nothing inlines it) and prints "sink <ns per call>". Built with the pass plugin of a fibre
// that instruments bench_sink, each call carries the inserted price check; built without, it is
// the baseline. With -DHOOKBENCH_UPDATE=<hook function> it also times direct calls of the hook's
// slow path at price 0 and prints "update <ns per call>".
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

long bench_sink(long value);

#ifdef HOOKBENCH_UPDATE
int HOOKBENCH_UPDATE(uint32_t rule, uint64_t site, int64_t fd, int64_t result);
#endif

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 100000000L;
    long sum = 0;

    for (long i = 0; i < iterations / 10; i++) // warm up
        sum += bench_sink(i);

    double start = now_ns();
    for (long i = 0; i < iterations; i++)
        sum += bench_sink(i);
    double sink = (now_ns() - start) / (double)iterations;
    printf("sink %.4f\n", sink);

#ifdef HOOKBENCH_UPDATE
    start = now_ns();
    for (long i = 0; i < iterations; i++)
        sum += HOOKBENCH_UPDATE(0, (uint64_t)i, i, 0);
    printf("update %.4f\n", (now_ns() - start) / (double)iterations);
#endif

    printf("checksum %ld\n", sum);
    return 0;
}
