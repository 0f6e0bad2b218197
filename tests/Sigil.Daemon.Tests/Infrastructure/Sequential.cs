namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>
/// Tests that measure this machine (CPU shares, timings, child processes killed at random
/// moments) run one at a time, after the parallel ones, so that they do not load each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Sequential
{
    public const string Name = "Sequential: measures the machine";
}
