using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// A BPF ELF object (a <c>&lt;fibre&gt;.bpf.o</c>) through libbpf: open, set tunables, load
/// (with the verifier's log in the exception when a program is rejected), attach, and reach its
/// maps, programs and BTF.
/// </summary>
/// <example>
/// <code>
/// using var obj = BpfObject.Open("dwell.bpf.o");
/// obj.SetTunable("fx_budget", 5L &lt;&lt; 20);
/// obj.Load();
/// using var links = obj.AttachAll();
/// var prices = obj.Map("price_dwell");
/// </code>
/// </example>
public sealed unsafe class BpfObject : IDisposable
{
    // The verifier log of a failed load: libbpf retries a failed program with logging into it.
    private const int VerifierLogSize = 16 << 20;

    private readonly SafeBpfObjectHandle _handle;
    private readonly List<BpfProgram> _programs = new();
    private readonly List<BpfMap> _maps = new();
    private byte* _logBuffer;

    private BpfObject(SafeBpfObjectHandle handle, string path, byte* logBuffer)
    {
        _handle = handle;
        _logBuffer = logBuffer;
        Path = path;
        FileName = System.IO.Path.GetFileName(path);
        for (var p = Libbpf.bpf_object__next_program(handle.DangerousGetHandle(), 0); p != 0; p = Libbpf.bpf_object__next_program(handle.DangerousGetHandle(), p))
        {
            _programs.Add(new BpfProgram(this, p));
        }

        for (var m = Libbpf.bpf_object__next_map(handle.DangerousGetHandle(), 0); m != 0; m = Libbpf.bpf_object__next_map(handle.DangerousGetHandle(), m))
        {
            _maps.Add(new BpfMap(this, m));
        }

        var btf = Libbpf.bpf_object__btf(handle.DangerousGetHandle());
        Btf = btf == 0 ? null : new BpfBtf(this, btf);
    }

    /// <summary>The object file's path as opened.</summary>
    public string Path { get; }

    /// <summary>The object file's name, e.g. <c>dwell.bpf.o</c>.</summary>
    public string FileName { get; }

    /// <summary>True once <see cref="Load"/> succeeded.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>The programs, in ELF order.</summary>
    public IReadOnlyList<BpfProgram> Programs => _programs;

    /// <summary>The maps, including libbpf's internal ones (<c>.rodata</c>, <c>.bss</c>).</summary>
    public IReadOnlyList<BpfMap> Maps => _maps;

    /// <summary>The object's BTF, or null when it was built without <c>-g</c>.</summary>
    public BpfBtf? Btf { get; }

    /// <summary>Opens (parses) the object; nothing reaches the kernel until <see cref="Load"/>.</summary>
    /// <exception cref="BpfException">The file is missing or not a BPF object.</exception>
    public static BpfObject Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        LibbpfLog.EnsureInstalled();
        var logBuffer = (byte*)NativeMemory.Alloc(VerifierLogSize);
        logBuffer[0] = 0;
        var opts = new Libbpf.BpfObjectOpenOpts
        {
            Size = (nuint)sizeof(Libbpf.BpfObjectOpenOpts),
            KernelLogBuffer = logBuffer,
            KernelLogSize = VerifierLogSize,
            KernelLogLevel = 0,
        };
        nint obj;
        int errno;
        string libbpfLog;
        using (var capture = LibbpfLog.Begin())
        {
            obj = Libbpf.bpf_object__open_file(path, &opts);
            errno = Marshal.GetLastPInvokeError();
            libbpfLog = capture.Text;
        }

        if (obj == 0)
        {
            NativeMemory.Free(logBuffer);
            if (!File.Exists(path))
            {
                errno = Errno.ENOENT;
            }

            throw new BpfException($"opening {System.IO.Path.GetFileName(path)}", errno, BpfErrors.OpenHint(errno), libbpfLog: libbpfLog);
        }

        return new BpfObject(new SafeBpfObjectHandle(obj), path, logBuffer);
    }

    /// <summary>The program named <paramref name="name"/>.</summary>
    public BpfProgram Program(string name) =>
        _programs.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"{FileName} has no program {name}; it has {string.Join(", ", _programs.Select(p => p.Name))}");

    /// <summary>The map named <paramref name="name"/>.</summary>
    public BpfMap Map(string name) =>
        _maps.FirstOrDefault(m => m.Name == name)
        ?? throw new KeyNotFoundException($"{FileName} has no map {name}; it has {string.Join(", ", _maps.Select(m => m.Name))}");

    /// <summary>
    /// Sets the <c>const volatile</c> global <paramref name="name"/> before load; the verifier
    /// then sees it as a constant. <typeparamref name="T"/> must have the variable's size.
    /// </summary>
    public void SetTunable<T>(string name, T value)
        where T : unmanaged
    {
        var (data, offset) = Tunable<T>(name);
        if (IsLoaded)
        {
            throw new InvalidOperationException($"{FileName} is loaded: tunables are set before Load");
        }

        *(T*)(data + offset) = value;
    }

    /// <summary>The value the tunable <paramref name="name"/> will have (or had) at load.</summary>
    public T GetTunable<T>(string name)
        where T : unmanaged
    {
        var (data, offset) = Tunable<T>(name);
        return *(T*)(data + offset);
    }

    /// <summary>
    /// Loads maps and programs into the kernel. A rejected program's exception carries the
    /// verifier's log; missing privilege says what is needed.
    /// </summary>
    public void Load()
    {
        ThrowIfDisposed();
        if (IsLoaded)
        {
            throw new InvalidOperationException($"{FileName} is loaded already");
        }

        int error;
        string libbpfLog;
        using (var capture = LibbpfLog.Begin())
        {
            error = Libbpf.bpf_object__load(_handle.DangerousGetHandle());
            libbpfLog = capture.Text;
        }

        var verifierLog = error < 0 && _logBuffer is not null ? ReadLog(_logBuffer, VerifierLogSize) : null;
        FreeLog();
        if (error < 0)
        {
            throw new BpfException($"loading {FileName}", -error, BpfErrors.LoadHint(-error), verifierLog, libbpfLog);
        }

        IsLoaded = true;
    }

    /// <summary>
    /// Attaches every loaded program where its section says, and runs each <c>SEC("syscall")</c>
    /// program once (BPF_PROG_RUN: a fibre's arms its hold timer there, which then re-arms
    /// itself); on failure, detaches those attached.
    /// </summary>
    public BpfLinkSet AttachAll()
    {
        ThrowIfDisposed();
        if (!IsLoaded)
        {
            throw new InvalidOperationException($"load {FileName} before attaching its programs");
        }

        var links = new List<BpfLink>();
        try
        {
            foreach (var program in _programs.Where(p => p.Fd >= 0))
            {
                if (program.SectionName == "syscall")
                {
                    var (result, _) = program.TestRun(repeat: 0);
                    if (result != 0)
                    {
                        throw new BpfException($"running {program.Name} (syscall) of {FileName}", Errno.EINVAL, $"it returned {result}: it could not arm what it arms");
                    }

                    continue;
                }

                links.Add(program.Attach());
            }
        }
        catch
        {
            new BpfLinkSet(links).Dispose();
            throw;
        }

        return new BpfLinkSet(links);
    }

    /// <summary>Unloads the object: maps and programs go once no link or pin holds them.</summary>
    public void Dispose()
    {
        _handle.Dispose();
        FreeLog();
    }

    /// <inheritdoc/>
    public override string ToString() => FileName;

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_handle.IsClosed, this);

    private (nint Data, int Offset) Tunable<T>(string name)
        where T : unmanaged
    {
        ThrowIfDisposed();
        var rodata = _maps.FirstOrDefault(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal))
            ?? throw new KeyNotFoundException($"{FileName} has no tunables (no .rodata section)");
        var variable = Btf?.FindVariable(".rodata", name)
            ?? throw new KeyNotFoundException($"{FileName} has no tunable {name} (a const volatile global)");
        if (variable.Size != sizeof(T))
        {
            throw new ArgumentException($"tunable {name} of {FileName} is {variable.Size} bytes; {typeof(T).Name} is {sizeof(T)}");
        }

        nuint size;
        var data = Libbpf.bpf_map__initial_value(rodata.Handle, &size);
        if (data is null || (nuint)(variable.Offset + variable.Size) > size)
        {
            throw new InvalidOperationException($"the .rodata of {FileName} is not writable here");
        }

        return ((nint)data, variable.Offset);
    }

    private static string ReadLog(byte* buffer, int size)
    {
        var length = new ReadOnlySpan<byte>(buffer, size).IndexOf((byte)0);
        return Encoding.UTF8.GetString(buffer, length < 0 ? size : length);
    }

    private void FreeLog()
    {
        if (_logBuffer is not null)
        {
            NativeMemory.Free(_logBuffer);
            _logBuffer = null;
        }
    }
}
