using System;
using System.Linq;
using Sigil.Language.Model;
using static Sigil.Language.Tests.Snippets;

namespace Sigil.Language.Tests;

/// <summary>
/// <c>class NAME: exe "..." cgroup "..." weight W;</c> and <c>allow exe "..." cgroup "...";</c>:
/// what they lower to, and what the binder refuses (the messages, at the paths).
/// </summary>
public sealed class ProcessListTests
{
    [Fact]
    public void ClassAndAllow_LowerIntoTheSpec_InDeclarationOrder()
    {
        var result = Fibres.CompileText(Behaviour(
            "class archivers: exe \"/usr/bin/gzip\", \"/usr/bin/xz\" cgroup \"/backup.slice\" weight 0.1;",
            "class databases: exe \"/usr/bin/sqlite3\" weight 0;",
            "allow exe \"/usr/sbin/sshd\";",
            "allow cgroup \"/system.slice\", \"/user.slice/ops\" exe \"/usr/bin/rsync\";"));
        Assert.Empty(result.Diagnostics);
        var spec = result.Spec!;

        Assert.Equal(new[] { "archivers", "databases" }, spec.Classes.Select(static c => c.Name));
        var archivers = spec.Classes[0];
        Assert.Equal(0.1, archivers.Weight);
        Assert.Equal(new[] { "/usr/bin/gzip", "/usr/bin/xz" }, archivers.Members.Executables);
        Assert.Equal(new[] { "/backup.slice" }, archivers.Members.Cgroups);
        Assert.Equal("class archivers: exe \"/usr/bin/gzip\", \"/usr/bin/xz\" cgroup \"/backup.slice\" weight 0.1;", archivers.Statement);
        Assert.Equal(0, spec.Classes[1].Weight);
        Assert.Equal(new[] { "/usr/sbin/sshd", "/usr/bin/rsync" }, spec.Allowed.Executables);
        Assert.Equal(new[] { "/system.slice", "/user.slice/ops" }, spec.Allowed.Cgroups);
    }

    [Fact]
    public void ClassAndAllow_SamePath_IsAccepted_AndAFibreWithoutThem_HasEmptyLists()
    {
        var both = Fibres.CompileText(Behaviour("class quiet: exe \"/usr/bin/rsync\" weight 0;", "allow exe \"/usr/bin/rsync\";"));
        Assert.Empty(both.Diagnostics);
        var plain = Fibres.CompileText(Behaviour()).Spec!;
        Assert.Empty(plain.Classes);
        Assert.True(plain.Allowed.IsEmpty);
    }

    [Fact]
    public void ShippedRansomware_HasTheArchiverAndCompilerClasses()
    {
        var spec = Fibres.Compile("ransomware").Spec!;
        Assert.Equal(2, spec.Classes.Count);
        var archivers = spec.Classes[0];
        Assert.Equal(("archivers", 0.1), (archivers.Name, archivers.Weight));
        Assert.Equal(new[] { "/usr/bin/gzip", "/usr/bin/xz", "/usr/bin/bzip2", "/usr/bin/zstd" }, archivers.Members.Executables);
        var compilers = spec.Classes[1];
        Assert.Equal(("compilers", 0.01), (compilers.Name, compilers.Weight));
        Assert.Equal(new[] { "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", "/usr/lib/llvm-14/bin/clang" }, compilers.Members.Executables);
    }

    [Theory]
    [InlineData("exe", "gzip", "The exe path 'gzip' is not absolute (write the executable's full path, e.g. /usr/bin/gzip)")]
    [InlineData("exe", "/usr/../bin/gzip", "The exe path '/usr/../bin/gzip' has an empty, '.' or '..' component; write the path plainly")]
    [InlineData("exe", "/usr/bin/", "The exe path '/usr/bin/' has an empty, '.' or '..' component; write the path plainly")]
    [InlineData("cgroup", "/", "The cgroup path '/' is the root cgroup, which holds every process")]
    [InlineData("cgroup", "backup.slice", "The cgroup path 'backup.slice' does not start with '/' (write it from the cgroup v2 root, as /proc/PID/cgroup shows it)")]
    [InlineData("cgroup", "/sys/fs/cgroup/backup.slice", "The cgroup path '/sys/fs/cgroup/backup.slice' is a mount path; write it from the cgroup v2 root, as /proc/PID/cgroup shows it (the daemon finds the mount)")]
    public void ProcessPath_Unusable_IsSig1070_AtThePath(string kind, string path, string message)
    {
        var result = DiagnosticAssert.Reports(Behaviour($"allow {kind} {{|SIG1070:\"{path}\"|}};"));
        Assert.Equal(message, Assert.Single(result.Diagnostics).Message);
    }

    [Fact]
    public void ProcessLists_Messages_NameWhatWasFoundAndWhatIsExpected()
    {
        Assert.Equal(
            "The exe path '/usr/bin/gzip' is already listed in class 'a'; a process has one class, and is listed once",
            Single(Behaviour("class a: exe \"/usr/bin/gzip\" weight 0.1;", "class b: exe {|SIG1071:\"/usr/bin/gzip\"|} weight 0.2;")));
        Assert.Equal("Class 'a' is declared twice", Single(Behaviour("class a: exe \"/usr/bin/gzip\" weight 0.1;", "class {|SIG1072:a|}: exe \"/usr/bin/xz\" weight 0.1;")));
        Assert.Equal("'pid' is not a kind of process set: expected exe (executable paths) or cgroup (cgroup v2 paths)", Single(Behaviour("allow {|SIG1073:pid|} \"/1\";")));
        Assert.Equal("Expected 'weight' after the processes of class 'a', found 'budget'", Single(Behaviour("class a: exe \"/usr/bin/gzip\" {|SIG1074:budget|} 2;")));
        Assert.Equal("Class 'a' has weight -0.5; a class weight is between 0 (never priced) and 1000", Single(Behaviour("class a: exe \"/usr/bin/gzip\" weight {|SIG2040:-0.5|};")));
        Assert.Equal(
            "'allow cgroup \"/system.slice\";' needs a behaviour fibre (index ... by tree): only its eBPF program knows each process's executable and cgroup",
            Single(Online("{|SIG3014:allow cgroup \"/system.slice\";|}")));
    }

    private static string Single(string annotated) => Assert.Single(DiagnosticAssert.Reports(annotated).Diagnostics).Message;
}
