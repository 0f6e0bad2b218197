using System;
using System.Collections.Generic;
using System.IO;

namespace Sigil.Language.Analysis;

/// <summary>
/// What a syscall tracepoint's values mean, so the compiler can check a sensor's meaning: which
/// syscalls return a new file descriptor (their <c>sys_exit_*</c> value is an fd) and what each
/// <c>sys_enter_*</c> event's arguments are named (from the kernel's tracepoint formats, embedded
/// as <c>SyscallArguments.txt</c>). A span keyed by fd must open where an fd is returned and close
/// where the first argument is one.
/// </summary>
internal static class SyscallFacts
{
    // Syscalls whose return value is a new file descriptor (their manual pages, section RETURN VALUE).
    // The kernel's formats type every return as long, so this list is written by hand.
    private static readonly HashSet<string> s_returnsFd = new(StringComparer.Ordinal)
    {
        "accept", "accept4", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "eventfd", "eventfd2",
        "fanotify_init", "fsmount", "fsopen", "fspick", "inotify_init", "inotify_init1", "io_uring_setup",
        "landlock_create_ruleset", "memfd_create", "memfd_secret", "mq_open", "open", "open_by_handle_at", "open_tree",
        "open_tree_attr", "openat", "openat2", "perf_event_open", "pidfd_getfd", "pidfd_open", "signalfd", "signalfd4",
        "socket", "timerfd_create", "userfaultfd",
    };

    // First-argument names the kernel's formats give a file descriptor.
    private static readonly HashSet<string> s_fdNames = new(StringComparer.Ordinal) { "fd", "fildes", "oldfd", "ufd", "epfd" };

    private static readonly Lazy<Dictionary<string, string[]>> s_arguments = new(Load);

    /// <summary>True when <paramref name="syscall"/> (without <c>sys_enter_</c>) returns a new fd.</summary>
    public static bool ReturnsFd(string syscall) => s_returnsFd.Contains(syscall);

    /// <summary>The argument names of <c>sys_enter_<paramref name="syscall"/></c>, or null when unknown.</summary>
    public static IReadOnlyList<string>? Arguments(string syscall) =>
        s_arguments.Value.TryGetValue(syscall, out var names) ? names : null;

    /// <summary>True when the first argument of <c>sys_enter_<paramref name="syscall"/></c> is a file descriptor.</summary>
    public static bool TakesFd(string syscall) => Arguments(syscall) is { Count: > 0 } names && s_fdNames.Contains(names[0]);

    /// <summary>What the first argument is, for messages: <c>'count'</c>, or <c>no argument</c>.</summary>
    public static string FirstArgument(string syscall) => Arguments(syscall) is { Count: > 0 } names ? "'" + names[0] + "'" : "no argument";

    private static Dictionary<string, string[]> Load()
    {
        var table = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var stream = typeof(SyscallFacts).Assembly.GetManifestResourceStream("Sigil.Language.SyscallArguments.txt");
        if (stream is null)
        {
            return table;
        }

        using var reader = new StreamReader(stream);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var colon = line.IndexOf(':');
            if (line.Length == 0 || line[0] == '#' || colon < 0 || !line.StartsWith("sys_enter_", StringComparison.Ordinal))
            {
                continue;
            }

            var name = line.Substring("sys_enter_".Length, colon - "sys_enter_".Length);
            table[name] = line.Substring(colon + 1).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        }

        return table;
    }
}
