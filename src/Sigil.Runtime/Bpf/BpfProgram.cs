using System;

namespace Sigil.Runtime.Bpf;

/// <summary>Run statistics of a loaded program (struct bpf_prog_info).</summary>
/// <param name="RunCount">Runs counted while run-time statistics were on (<see cref="BpfSystem.EnableRunTimeStatistics"/>).</param>
/// <param name="RunTimeNanoseconds">Time spent in the program while statistics were on.</param>
/// <param name="RecursionMisses">Runs the kernel skipped because a BPF program was already running on that CPU: events never seen.</param>
public readonly record struct BpfProgramInfo(ulong RunCount, ulong RunTimeNanoseconds, ulong RecursionMisses);

/// <summary>A program of a <see cref="BpfObject"/>.</summary>
public sealed unsafe class BpfProgram
{
    private readonly BpfObject _owner;
    private readonly nint _program;

    internal BpfProgram(BpfObject owner, nint program)
    {
        _owner = owner;
        _program = program;
        Name = Libbpf.Text(Libbpf.bpf_program__name(program));
        SectionName = Libbpf.Text(Libbpf.bpf_program__section_name(program));
    }

    /// <summary>The program's (C function's) name.</summary>
    public string Name { get; }

    /// <summary>Its ELF section, e.g. <c>tp/syscalls/sys_enter_openat</c>: where it attaches.</summary>
    public string SectionName { get; }

    /// <summary>The program's file descriptor once loaded, else -1.</summary>
    public int Fd
    {
        get
        {
            _owner.ThrowIfDisposed();
            return Libbpf.bpf_program__fd(_program);
        }
    }

    /// <summary>Whether <see cref="BpfObject.Load"/> loads this program (before load only).</summary>
    public void SetAutoload(bool autoload)
    {
        _owner.ThrowIfDisposed();
        var error = Libbpf.bpf_program__set_autoload(_program, autoload);
        if (error < 0)
        {
            throw new BpfException($"setting autoload of {Name}", -error, "only before the object is loaded");
        }
    }

    /// <summary>Attaches the program where its section says (a tracepoint for <c>tp/...</c>).</summary>
    public BpfLink Attach()
    {
        _owner.ThrowIfDisposed();
        using var capture = LibbpfLog.Begin();
        var link = Libbpf.bpf_program__attach(_program);
        if (link == 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new BpfException($"attaching {Name} ({SectionName}) of {_owner.FileName}", errno, BpfErrors.AttachHint(errno), libbpfLog: capture.Text);
        }

        return new BpfLink(new SafeBpfLinkHandle(link), Name);
    }

    /// <summary>The program's run statistics.</summary>
    public BpfProgramInfo GetInfo()
    {
        const int size = 232;
        var info = stackalloc byte[size];
        new Span<byte>(info, size).Clear();
        var length = (uint)size;
        var error = Libbpf.bpf_obj_get_info_by_fd(Fd, info, &length);
        if (error < 0)
        {
            throw new BpfException($"reading the info of program {Name}", -error);
        }

        // struct bpf_prog_info: run_time_ns at 192, run_cnt at 200, recursion_misses at 208.
        return new BpfProgramInfo(*(ulong*)(info + 200), *(ulong*)(info + 192), length >= 216 ? *(ulong*)(info + 208) : 0);
    }

    /// <summary>
    /// Runs the program in the kernel without an event (BPF_PROG_TEST_RUN), <paramref name="repeat"/>
    /// times; <c>SEC("syscall")</c> programs take no repeat count (0) and run once.
    /// Returns the last return value and the mean time per run in nanoseconds (0 when not measured).
    /// </summary>
    public (uint ReturnValue, uint MeanNanoseconds) TestRun(int repeat = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        var opts = new Libbpf.BpfTestRunOpts { Size = (nuint)sizeof(Libbpf.BpfTestRunOpts), Repeat = repeat };
        var error = Libbpf.bpf_prog_test_run_opts(Fd, &opts);
        if (error < 0)
        {
            throw new BpfException($"test-running program {Name}", -error, error == -Errno.EINVAL ? "this program type cannot be test-run, or takes no repeat count (SEC(\"syscall\"): 0)" : null);
        }

        return (opts.ReturnValue, opts.Duration);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({SectionName})";
}
