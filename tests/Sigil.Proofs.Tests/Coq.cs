using System;
using System.IO;
using Sigil.Runtime.Proofs;

namespace Sigil.Proofs.Tests;

/// <summary>The repository, coqc and the proof report options the tests share.</summary>
internal static class Coq
{
    private static readonly Lazy<string> s_repo = new(FindRepository);

    /// <summary>The repository root (the folder with Sigil.sln).</summary>
    public static string Repository => s_repo.Value;

    /// <summary>The library folder: proofs/ with _CoqProject and Sigil/*.v.</summary>
    public static string Library => Path.Combine(Repository, "proofs");

    /// <summary>coqc on the PATH, or null.</summary>
    public static string? Coqc { get; } = FindCoqc();

    /// <summary>
    /// Reports check the repository's library (not the embedded copy), compiled once in this test
    /// run, in a work folder removed when the run ends.
    /// </summary>
    public static ProofReportOptions Options { get; } = CreateOptions();

    private static ProofReportOptions CreateOptions()
    {
        const string Prefix = "sigil-proofs-tests-";
        // The test host may end without running exit handlers: remove folders of earlier runs
        // whose process is gone.
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(folder)[Prefix.Length..], out var pid) && pid != Environment.ProcessId && !Directory.Exists("/proc/" + pid))
            {
                TryDelete(folder);
            }
        }

        var work = Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(work);
        return new ProofReportOptions { LibraryDirectory = Library, WorkDirectory = work, ReuseCheckedLibrary = false };
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temporary-file cleanup.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Sigil.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static string? FindCoqc()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "coqc");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs coqc; skipped, with the reason, only when coqc is not installed.</summary>
public sealed class CoqFactAttribute : FactAttribute
{
    public CoqFactAttribute()
    {
        if (Coq.Coqc is null)
        {
            Skip = "coqc is not installed (Debian package coq)";
        }
    }
}

/// <summary>A theory that needs coqc; skipped, with the reason, only when coqc is not installed.</summary>
public sealed class CoqTheoryAttribute : TheoryAttribute
{
    public CoqTheoryAttribute()
    {
        if (Coq.Coqc is null)
        {
            Skip = "coqc is not installed (Debian package coq)";
        }
    }
}
