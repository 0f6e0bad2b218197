using System.Diagnostics;

namespace Sigil.Daemon.Tests.Security;

/// <summary>
/// An unprivileged local user (<c>nobody</c>, 65534) for the attack tests: commands run as it
/// through <c>setpriv</c>, and files are given to it with <c>chown</c>. The tests run as root in CI.
/// </summary>
internal static class Hostile
{
    public const int Uid = 65534;

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs <paramref name="script"/> with /bin/sh as nobody; its exit code.</summary>
    public static int Run(string script, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", script })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"as nobody: {script}");
        }

        return process.ExitCode;
    }

    /// <summary>Starts <paramref name="script"/> as nobody and leaves it running (the caller kills it).</summary>
    public static Process Start(string script)
    {
        var info = new ProcessStartInfo("setpriv") { UseShellExecute = false };
        foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", script })
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    /// <summary>Gives <paramref name="path"/> (not what a link points at) to nobody.</summary>
    public static void Own(string path)
    {
        using var chown = Process.Start("chown", ["-h", "65534:65534", path])!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    /// <summary>Lets nobody pass through <paramref name="folder"/> (search permission for others).</summary>
    public static void Traversable(string folder) =>
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);

    /// <summary>The owner of <paramref name="path"/> (not following a link).</summary>
    public static int OwnerOf(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return int.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A test of an attack by another local user: it needs root (to be the daemon and to make that user).</summary>
public sealed class AttackFactAttribute : FactAttribute
{
    public AttackFactAttribute()
    {
        if (!Hostile.IsRoot)
        {
            Skip = "the attack tests run as root, with nobody as the attacker";
        }
    }
}
