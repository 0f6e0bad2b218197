using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting.Kernel;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Security;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.Security;

/// <summary>
/// The files the root daemon writes, attacked by nobody: links and files planted at every path,
/// folders another user owns or can write, forged checkpoints, a lock held by another user.
/// </summary>
public sealed class RuntimeFileTests
{
    private static DaemonState State(long sequence) => new(
        "dwell", sequence, sequence, [new PriceState("dwell", 4242, 1, 3.5)], [new CounterState("sigil_ticks_total", sequence)]);

    [AttackFact]
    public void PricePage_InAFolderOthersCanWrite_IsRefused()
    {
        // /dev/shm is such a folder (1777): any user could plant the page or its temporary file.
        using var dir = new TempDirectory();
        var shared = dir.Combine("shm");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));

        var e = Assert.Throws<UnsafeFileException>(() => new SharedPricePage(Path.Combine(shared, "dwell.prices"), 20, 16));
        Assert.Contains("writable by group or others", e.Message, StringComparison.Ordinal);
    }

    [AttackFact]
    public void PricePage_InAFolderAnotherUserOwns_IsRefused()
    {
        using var dir = new TempDirectory();
        var theirs = dir.Combine("theirs");
        Directory.CreateDirectory(theirs);
        Hostile.Own(theirs);

        var e = Assert.Throws<UnsafeFileException>(() => new SharedPricePage(Path.Combine(theirs, "dwell.prices"), 20, 16));
        Assert.Contains("owned by uid 65534", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(theirs, "dwell.prices")));
    }

    [AttackFact]
    public void PricePage_LinksAtThePageAndItsTemporaryName_AreNotFollowed()
    {
        using var dir = new TempDirectory();
        var victim = dir.Combine("victim");
        File.WriteAllText(victim, "precious");
        var page = dir.Combine("dwell.prices");
        File.CreateSymbolicLink(page + ".tmp", victim);
        File.CreateSymbolicLink(page, victim);

        using (var written = new SharedPricePage(page, 20, 16))
        {
            written.Publish([(4242, 2.0)]);
            var info = new FileInfo(page);
            Assert.Null(info.LinkTarget);
            Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), info.UnixFileMode);
            Assert.Equal(0, Hostile.OwnerOf(page));
        }

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.False(File.Exists(page));
    }

    [AttackFact]
    public void PricePage_PreCreatedByAnotherUser_IsRootsAndCannotBeCutByThem()
    {
        // nobody made the page and its temporary name first (as anyone can on /dev/shm); an empty
        // file of theirs that the daemon wrote into would stay theirs, and cutting it under the
        // daemon's mapping crashed the daemon.
        using var dir = new TempDirectory();
        Hostile.Traversable(dir.Path);
        var page = dir.Combine("dwell.prices");
        foreach (var planted in new[] { page, page + ".tmp" })
        {
            File.WriteAllBytes(planted, []);
            File.SetUnixFileMode(planted, (UnixFileMode)Convert.ToInt32("666", 8));
            Hostile.Own(planted);
        }

        using var written = new SharedPricePage(page, 20, 16);
        written.Publish([(4242, 2.0)]);
        var size = new FileInfo(page).Length;
        Assert.Equal(0, Hostile.OwnerOf(page));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(page));

        Assert.NotEqual(0, Hostile.Run($"truncate -s 0 '{page}'"));
        Assert.NotEqual(0, Hostile.Run($"printf forged > '{page}'"));
        written.Publish([(4242, 3.0)]);
        Assert.Equal(size, new FileInfo(page).Length);
    }

    [AttackFact]
    public void PricePage_ReplacedWhileTheDaemonRuns_IsNotRemovedAtShutdown()
    {
        using var dir = new TempDirectory();
        var page = dir.Combine("dwell.prices");
        var written = new SharedPricePage(page, 20, 16);
        File.Delete(page);
        File.WriteAllText(page, "another's");
        written.Dispose();
        Assert.Equal("another's", File.ReadAllText(page));
    }

    [AttackFact]
    public void StateDirectory_OwnedByAnotherUser_IsRefused()
    {
        using var dir = new TempDirectory();
        var state = dir.Combine("state");
        Directory.CreateDirectory(state);
        Hostile.Own(state);
        using var store = new CheckpointStore(state, "dwell");

        var e = Assert.Throws<UnsafeFileException>(() => store.AcquireLock());
        Assert.Contains("owned by uid 65534", e.Message, StringComparison.Ordinal);
    }

    [AttackFact]
    public void StateDirectory_ThatIsALink_IsRefused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("elsewhere"));
        Directory.CreateSymbolicLink(dir.Combine("state"), dir.Combine("elsewhere"));
        using var store = new CheckpointStore(dir.Combine("state"), "dwell");

        Assert.Throws<UnsafeFileException>(() => store.AcquireLock());
    }

    [AttackFact]
    public void StateDirectory_IsCreatedRootOnly_AndTheLockIsOwnerOnly()
    {
        using var dir = new TempDirectory();
        Hostile.Traversable(dir.Path);
        var state = dir.Combine("state");
        using var store = new CheckpointStore(state, "dwell");
        using (store.AcquireLock())
        {
            store.Save(State(1));
        }

        // The start-up denial: in a state folder others may search (root's, 0755, as an
        // administrator may make /var/lib/sigil), between two runs of the daemon (the lock file
        // left, unlocked), another user takes a shared flock on it and holds it; the next start
        // must still lock.
        var open = dir.Combine("open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("755", 8));
        using var second = new CheckpointStore(open, "dwell");
        second.AcquireLock().Dispose();
        using var holder = Hostile.Start($"exec flock -s '{Path.Combine(open, "dwell.lock")}' sleep 30");
        try
        {
            Thread.Sleep(500); // time for the holder to open and lock, were it allowed to
            using var next = second.AcquireLock();
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "dwell.lock")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.CurrentPath));
        Assert.NotEqual(0, Hostile.Run($"cat '{store.CurrentPath}'"));
    }

    [AttackFact]
    public void StateDirectory_LinksAtTheLockAndTheTemporaryFile_AreNotFollowed()
    {
        using var dir = new TempDirectory();
        var state = dir.Combine("state");
        Directory.CreateDirectory(state);
        var victim = dir.Combine("victim");
        File.WriteAllText(victim, "precious");
        using var store = new CheckpointStore(state, "dwell");
        File.CreateSymbolicLink(store.TemporaryPath, victim);

        store.Save(State(1));
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Equal(1, store.Load().State!.Sequence);

        File.CreateSymbolicLink(Path.Combine(state, "dwell.lock"), dir.Combine("created-by-root"));
        Assert.Throws<UnsafeFileException>(() => store.AcquireLock());
        Assert.False(File.Exists(dir.Combine("created-by-root")));
    }

    [AttackFact]
    public void Checkpoint_ForgedByAnotherUser_IsRefusedWhateverItsDigest()
    {
        using var dir = new TempDirectory();
        using var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(State(1));
        store.Save(State(2));

        // A well-formed checkpoint (right magic, right SHA-256) that another user wrote.
        File.Delete(store.CurrentPath);
        File.WriteAllBytes(store.CurrentPath, CheckpointFormat.Encode(State(99)));
        Hostile.Own(store.CurrentPath);

        var loaded = store.Load();
        Assert.Equal(1, loaded.State!.Sequence);
        Assert.Equal(CheckpointSource.Previous, loaded.Source);
        Assert.Contains(loaded.Problems, p => p.Contains("owned by uid 65534", StringComparison.Ordinal));
    }

    [AttackFact]
    public void Checkpoint_WritableByOthers_OrALink_IsRefused()
    {
        using var dir = new TempDirectory();
        using var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(State(1));
        store.Save(State(2));
        File.SetUnixFileMode(store.CurrentPath, (UnixFileMode)Convert.ToInt32("666", 8));
        var loaded = store.Load();
        Assert.Equal(1, loaded.State!.Sequence);
        Assert.Contains(loaded.Problems, p => p.Contains("writable by group or others", StringComparison.Ordinal));

        var forged = dir.Combine("forged");
        File.WriteAllBytes(forged, CheckpointFormat.Encode(State(50)));
        File.Delete(store.PreviousPath);
        File.CreateSymbolicLink(store.PreviousPath, forged);
        Assert.Null(store.Load().State);
    }

    [AttackFact]
    public void PinFolder_OwnedByAnotherUser_IsRefused()
    {
        // On bpffs (eng/setup.sh mounts it), where the daemon pins; a mount of mode 1777 would let
        // nobody make the sigil/ folder first.
        var bpffs = "/sys/fs/bpf";
        Assert.Contains($" {bpffs} bpf ", File.ReadAllText("/proc/mounts"), StringComparison.Ordinal);
        var root = Path.Combine(bpffs, $"sigil-sec-{Guid.NewGuid():N}");
        var planted = Path.Combine(root, "sigil");
        Directory.CreateDirectory(planted);
        try
        {
            Hostile.Own(planted);
            // The daemon opens sigil/ itself before the fibre's folder inside it.
            var e = Assert.Throws<UnsafeFileException>(() => SecureDirectory.Open(planted, 0x1C0));
            Assert.Contains("owned by uid 65534", e.Message, StringComparison.Ordinal);
            using var own = SecureDirectory.Open(Path.Combine(root, "mine"), 0x1C0);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(own.Path));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// A pin of another shape where the daemon pins its price map (root made it: in a 0700 folder on
    /// bpffs no one else can) is refused with the shapes named, and left in place; a pin of the
    /// price map's own shape and name (a killed predecessor's) is replaced by the daemon's map.
    /// </summary>
    [AttackFact]
    public void PinFolder_APinOfAnotherShape_IsRefusedAndKept_AStalePriceMapIsReplaced()
    {
        var root = Path.Combine("/sys/fs/bpf", $"sigil-sec-{Guid.NewGuid():N}");
        var folder = Path.Combine(root, "dwell");
        using var first = new BpfKernelFibreFactory(KernelObjects.DwellFor(Fixtures.Dwell())).Open(Fixtures.Dwell(), "/sys/fs/bpf", "/sys/kernel/tracing");
        first.Attach();
        try
        {
            using (var pins = SecureDirectory.Open(root, 0x1C0))
            using (var fibreFolder = SecureDirectory.Open(folder, 0x1C0))
            {
                // An array of one 4-byte value, pinned under the price map's name.
                var forged = Libbpf.bpf_map_create((int)BpfMapType.Array, "price_dwell", 4, 4, 1, 0);
                Assert.True(forged >= 0, $"bpf_map_create: {forged}");
                using (new Microsoft.Win32.SafeHandles.SafeFileHandle(forged, ownsHandle: true))
                {
                    BpfPin.Pin(forged, fibreFolder, "price_dwell");
                }
            }

            var e = Assert.Throws<UnsafeFileException>(() => first.PinPriceMap(folder));
            Assert.Contains($"refused: '{folder}/price_dwell' holds price_dwell (Array, key 4 B, value 4 B, 1 entries), not the price map price_dwell (", e.Message, StringComparison.Ordinal);
            using (var kept = BpfMap.OpenPinned(folder + "/price_dwell"))
            {
                Assert.Equal(BpfMapType.Array, kept.Type);
            }

            // The predecessor's price map: the same object's, pinned by another instance.
            File.Delete(folder + "/price_dwell");
            using var second = new BpfKernelFibreFactory(KernelObjects.DwellFor(Fixtures.Dwell())).Open(Fixtures.Dwell(), "/sys/fs/bpf", "/sys/kernel/tracing");
            second.Attach();
            Assert.Equal(folder + "/price_dwell", second.PinPriceMap(folder));
            Assert.Equal(folder + "/price_dwell", first.PinPriceMap(folder));
            first.WritePrice(4242, 2.0);
            using var pinned = BpfMap.OpenPinned(folder + "/price_dwell");
            Assert.True(pinned.TryLookup(4242u, out long price));
            Assert.True(price > 0, "the pin is not the daemon's map");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
