using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// Kills a process: SIGTERM, then SIGKILL when it has not exited after a grace period. Signals go
/// through a pidfd opened after the target's identity is checked, so a pid reused by another
/// process in the meantime is never signalled.
/// </summary>
public sealed class ProcessKiller
{
    private readonly ProcessGuard _identity;

    /// <summary>A killer that re-checks identities with <paramref name="identity"/>.</summary>
    public ProcessKiller(ProcessGuard identity) => _identity = identity ?? throw new ArgumentNullException(nameof(identity));

    /// <summary>Kills <paramref name="target"/> with a SIGTERM, and a SIGKILL after <paramref name="grace"/>.</summary>
    /// <exception cref="IOException">A signal was refused (no privilege).</exception>
    public async Task<KillOutcome> KillAsync(ProcessTarget target, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var pidfd = Libc.PidfdOpen(target.Tgid, 0);
        if (pidfd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.ESRCH)
            {
                return KillOutcome.AlreadyGone;
            }

            throw new IOException($"cannot open pid {target.Tgid}: {Libc.Describe(errno)}");
        }

        try
        {
            // The pidfd now pins one process: if it is still the one the guard approved, every
            // signal below reaches it and nothing else.
            if (!_identity.IsSameProcess(target))
            {
                return KillOutcome.AlreadyGone;
            }

            if (!Signal(pidfd, Libc.SIGTERM, target))
            {
                return KillOutcome.AlreadyGone;
            }

            if (await WaitExitAsync(pidfd, grace, cancellationToken).ConfigureAwait(false))
            {
                return KillOutcome.Terminated;
            }

            if (!Signal(pidfd, Libc.SIGKILL, target))
            {
                return KillOutcome.Terminated;
            }

            await WaitExitAsync(pidfd, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            return KillOutcome.Killed;
        }
        finally
        {
            _ = Libc.Close(pidfd);
        }
    }

    private static bool Signal(int pidfd, int signal, ProcessTarget target)
    {
        if (Libc.PidfdSendSignal(pidfd, signal, 0, 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == Libc.ESRCH)
        {
            return false;
        }

        throw new IOException($"cannot signal {target}: {Libc.Describe(errno)}");
    }

    // A pidfd polls readable once its process has exited. Poll in short slices to honour cancellation.
    private static async Task<bool> WaitExitAsync(int pidfd, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            if (PollExited(pidfd, 0))
            {
                return true;
            }

            var left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(left, 20)), cancellationToken).ConfigureAwait(false);
        }
    }

    private static unsafe bool PollExited(int pidfd, int timeoutMilliseconds)
    {
        var fd = new Libc.PollFd { Fd = pidfd, Events = Libc.POLLIN };
        var n = Libc.Poll(&fd, 1, timeoutMilliseconds);
        return n > 0 && (fd.Revents & Libc.POLLIN) != 0;
    }
}
