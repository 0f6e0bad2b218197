using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Sigil.Runtime.Bpf;

/// <summary>libbpf's message levels (enum libbpf_print_level).</summary>
public enum LibbpfLogLevel
{
    /// <summary>LIBBPF_WARN.</summary>
    Warning = 0,

    /// <summary>LIBBPF_INFO.</summary>
    Information = 1,

    /// <summary>LIBBPF_DEBUG.</summary>
    Debug = 2,
}

/// <summary>
/// libbpf's messages. Sigil installs one print callback for the process: while a Sigil call
/// runs on a thread, the messages libbpf prints on that thread are captured for its exception;
/// otherwise warnings go to <see cref="Message"/>, or to standard error when nobody listens.
/// </summary>
public static unsafe class LibbpfLog
{
    private static int s_installed;

    [ThreadStatic]
    private static StringBuilder? t_capture;

    /// <summary>Warnings and information libbpf prints outside a Sigil call.</summary>
    public static event Action<LibbpfLogLevel, string>? Message;

    internal static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            Libbpf.libbpf_set_print(&Print);
        }
    }

    /// <summary>Captures libbpf's messages on this thread until the scope is disposed.</summary>
    internal static Capture Begin()
    {
        EnsureInstalled();
        var previous = t_capture;
        t_capture = new StringBuilder();
        return new Capture(previous);
    }

    [UnmanagedCallersOnly]
    private static int Print(int level, byte* format, nint args)
    {
        try
        {
            if (level > (int)LibbpfLogLevel.Information)
            {
                return 0;
            }

            // Hand-written because libbpf hands out a printf format and a va_list; vsnprintf
            // formats it. Longer messages are cut at the buffer's size.
            const int size = 8192;
            var buffer = stackalloc byte[size];
            var length = Libbpf.vsnprintf(buffer, size, format, args);
            if (length < 0)
            {
                return 0;
            }

            var text = Encoding.UTF8.GetString(buffer, Math.Min(length, size - 1));
            var capture = t_capture;
            if (capture is not null)
            {
                capture.Append(text);
            }
            else if (Message is { } handler)
            {
                handler((LibbpfLogLevel)level, text.TrimEnd('\n'));
            }
            else if (level == (int)LibbpfLogLevel.Warning)
            {
                Console.Error.Write("libbpf: " + text);
            }
        }
        catch (Exception)
        {
            // Never let an exception cross into libbpf's C frames.
        }

        return 0;
    }

    /// <summary>A capture scope: <see cref="Text"/> is what libbpf printed meanwhile.</summary>
    internal readonly struct Capture : IDisposable
    {
        private readonly StringBuilder? _previous;

        public Capture(StringBuilder? previous) => _previous = previous;

        public string Text => t_capture?.ToString() ?? string.Empty;

        public void Dispose()
        {
            var text = t_capture;
            t_capture = _previous;
            _previous?.Append(text);
        }
    }
}
