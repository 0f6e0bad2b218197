namespace Sigil.Benchmarks;

internal static class Program
{
    private static int Main(string[] args) => args is ["daemon", .. var rest] ? Daemon.DaemonBenchmark.Run(rest) : 0;
}
