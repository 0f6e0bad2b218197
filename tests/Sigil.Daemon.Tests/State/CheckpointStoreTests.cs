using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.State;

public sealed class CheckpointStoreTests
{
    private static DaemonState StateAt(long sequence) => new(
        "dwell",
        sequence,
        1_700_000_000_000 + sequence,
        [new PriceState("dwell", 100 + sequence, 42, sequence * 0.5), new PriceState("dwell", 7, 1, 3.25)],
        [new CounterState("actions_total", sequence), new CounterState("ticks_total", sequence * 2)]);

    [Fact]
    public void Save_ThenLoad_RoundTrips()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(StateAt(1));
        store.Save(StateAt(2));

        var loaded = store.Load();

        Assert.Equal(CheckpointSource.Current, loaded.Source);
        Assert.Empty(loaded.Problems);
        Assert.Equal(2, loaded.State!.Sequence);
        Assert.Equal(StateAt(2).Prices, loaded.State.Prices);
        Assert.Equal(StateAt(2).Counters, loaded.State.Counters);
        Assert.True(File.Exists(store.PreviousPath));
        Assert.False(File.Exists(store.TemporaryPath));
    }

    [Fact]
    public void Load_WithoutFiles_StartsFresh()
    {
        using var dir = new TempDirectory();
        var loaded = new CheckpointStore(dir.Path, "dwell").Load();
        Assert.Null(loaded.State);
        Assert.Equal(CheckpointSource.None, loaded.Source);
        Assert.Empty(loaded.Problems);
    }

    public static TheoryData<string> Damages => ["flip", "truncate", "extend", "version", "magic", "empty", "garbage-json"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void Load_DamagedCurrent_FallsBackToPrevious_AndKeepsTheBadFileAside(string damage)
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(StateAt(1));
        store.Save(StateAt(2));
        var bytes = File.ReadAllBytes(store.CurrentPath);
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x20;
                break;
            case "truncate":
                bytes = bytes[..(bytes.Length - 7)];
                break;
            case "extend":
                bytes = [.. bytes, 0];
                break;
            case "version":
                bytes[8] = 9;
                break;
            case "magic":
                bytes[0] = (byte)'X';
                break;
            case "empty":
                bytes = [];
                break;
            case "garbage-json":
                // A well-formed envelope around a payload that is not a state: only the digest is right.
                var encoded = CheckpointFormat.Encode(StateAt(2));
                var payload = "{\"fibre\":7}"u8.ToArray();
                bytes = [.. encoded[..12], .. BitConverter.GetBytes(payload.Length), .. payload];
                bytes = [.. bytes, .. System.Security.Cryptography.SHA256.HashData(bytes)];
                break;
        }

        File.WriteAllBytes(store.CurrentPath, bytes);

        var loaded = store.Load();

        Assert.Equal(CheckpointSource.Previous, loaded.Source);
        Assert.Equal(1, loaded.State!.Sequence);
        var problem = Assert.Single(loaded.Problems);
        Assert.Contains(store.CurrentPath, problem);
        Assert.False(File.Exists(store.CurrentPath));
        var aside = Assert.Single(Directory.GetFiles(dir.Path, "dwell.state.corrupt-*"));
        Assert.Equal(bytes, File.ReadAllBytes(aside));

        // The next save does not carry the bad file forward.
        store.Save(StateAt(3));
        var reloaded = new CheckpointStore(dir.Path, "dwell").Load();
        Assert.Equal(CheckpointSource.Current, reloaded.Source);
        Assert.Equal(3, reloaded.State!.Sequence);
    }

    [Fact]
    public void Load_BothDamaged_StartsFresh_AndReportsBoth()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(StateAt(1));
        store.Save(StateAt(2));
        File.WriteAllText(store.CurrentPath, "junk");
        File.WriteAllBytes(store.PreviousPath, CheckpointFormat.Encode(StateAt(1))[..20]);

        var loaded = store.Load();

        Assert.Null(loaded.State);
        Assert.Equal(2, loaded.Problems.Count);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "*.corrupt-*").Length);
    }

    [Fact]
    public void Load_OtherFibresCheckpoint_IsIgnored()
    {
        using var dir = new TempDirectory();
        var other = new CheckpointStore(dir.Path, "cache");
        other.Save(StateAt(5) with { Fibre = "cache" });
        File.Copy(other.CurrentPath, Path.Combine(dir.Path, "dwell.state"));

        var loaded = new CheckpointStore(dir.Path, "dwell").Load();

        Assert.Null(loaded.State);
        Assert.Contains("belongs to fibre 'cache'", Assert.Single(loaded.Problems));
    }

    [Fact]
    public void AcquireLock_IsExclusive()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        using (store.AcquireLock())
        {
            var e = Assert.Throws<IOException>(() => new CheckpointStore(dir.Path, "dwell").AcquireLock());
            Assert.Contains("in use by another sigil daemon", e.Message);
        }

        using var again = store.AcquireLock();
    }

    [Fact]
    public void Load_LeftoverTemporaryFile_IsIgnoredAndRemoved()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(StateAt(4));
        File.WriteAllBytes(store.TemporaryPath, CheckpointFormat.Encode(StateAt(5))[..30]);

        var loaded = store.Load();

        Assert.Equal(4, loaded.State!.Sequence);
        Assert.False(File.Exists(store.TemporaryPath));
    }
}
