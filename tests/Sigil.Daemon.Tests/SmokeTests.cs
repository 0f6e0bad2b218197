namespace Sigil.Daemon.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Project_Builds_AndRuns() => Assert.True(true);
}
