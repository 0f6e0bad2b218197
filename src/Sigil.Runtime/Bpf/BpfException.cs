using System.IO;
using System.Text;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// A libbpf or bpf() call failed. The message says what was being done, the error as text and
/// its name, and what usually causes it: <c>loading dwell.bpf.o: Operation not permitted
/// (EPERM): loading BPF programs needs CAP_BPF or root</c>. A verifier rejection carries the
/// verifier's log. An <see cref="IOException"/>: a system call on a kernel object failed.
/// </summary>
public sealed class BpfException : IOException
{
    /// <summary>Creates the exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public BpfException(string operation, int errno, string? hint = null, string? verifierLog = null, string? libbpfLog = null)
        : base(Format(operation, errno, hint, verifierLog, libbpfLog))
    {
        Operation = operation;
        Errno = errno;
        Hint = hint;
        VerifierLog = string.IsNullOrWhiteSpace(verifierLog) ? null : verifierLog;
        LibbpfLog = string.IsNullOrWhiteSpace(libbpfLog) ? null : libbpfLog;
    }

    /// <summary>What was being done, e.g. <c>loading dwell.bpf.o</c>.</summary>
    public string Operation { get; }

    /// <summary>The errno value (positive).</summary>
    public int Errno { get; }

    /// <summary>The symbolic errno name, e.g. <c>EPERM</c>.</summary>
    public string ErrnoName => Bpf.Errno.Name(Errno);

    /// <summary>The usual cause, when known.</summary>
    public string? Hint { get; }

    /// <summary>The kernel verifier's log when a program was rejected.</summary>
    public string? VerifierLog { get; }

    /// <summary>What libbpf reported while the call ran (warnings and information).</summary>
    public string? LibbpfLog { get; }

    private static string Format(string operation, int errno, string? hint, string? verifierLog, string? libbpfLog)
    {
        var text = new StringBuilder().Append(operation).Append(": ").Append(Bpf.Errno.Describe(errno));
        if (!string.IsNullOrEmpty(hint))
        {
            text.Append(": ").Append(hint);
        }

        if (!string.IsNullOrWhiteSpace(verifierLog))
        {
            text.Append("\n-- verifier log --\n").Append(Tail(verifierLog!, 200)).Append("\n-- end of verifier log --");
        }
        else if (!string.IsNullOrWhiteSpace(libbpfLog))
        {
            text.Append("\n-- libbpf --\n").Append(Tail(libbpfLog!, 40)).Append("\n-- end of libbpf --");
        }

        return text.ToString();
    }

    // The end of a verifier log says why; keep its last lines.
    private static string Tail(string log, int lines)
    {
        var all = log.TrimEnd().Split('\n');
        return all.Length <= lines ? string.Join("\n", all) : "...\n" + string.Join("\n", all, all.Length - lines, lines);
    }
}
