// hooksink: the function hookbench calls, in a translation unit of its own so that the call
// stays a call. It is not instrumented (the plugin instruments call sites, not definitions).
long bench_sink(long value);

long bench_sink(long value)
{
    return value ^ (value >> 3);
}
