using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>Receives ring buffer records as a typed view over the record's bytes, without copying or allocating.</summary>
/// <typeparam name="TEvent">The record's layout (e.g. <see cref="SigilEvent"/>).</typeparam>
public interface IBpfEventHandler<TEvent>
    where TEvent : unmanaged
{
    /// <summary>One record. <paramref name="record"/> is valid only during the call.</summary>
    void OnEvent(in TEvent record);
}

/// <summary>
/// A consumer of BPF ring buffers (libbpf's ring_buffer). libbpf calls one static unmanaged
/// callback per record; it hands the record to the handler as a <c>ref readonly</c> view over
/// the ring's memory: no delegate, no copy, no allocation per record. Poll from one thread.
/// </summary>
/// <example>
/// <code>
/// using var events = BpfRingBuffer.Create(obj.Map("dwell_events"), new MyHandler());
/// while (!stop) events.Poll(100);
/// </code>
/// </example>
public sealed unsafe class BpfRingBuffer : IDisposable
{
    private readonly SafeRingBufferHandle _handle;
    private readonly GCHandle _self;
    private readonly Subscription[] _subscriptions;
    private Exception? _failure;

    private BpfRingBuffer(SafeRingBufferHandle handle, GCHandle self, Subscription[] subscriptions)
    {
        _handle = handle;
        _self = self;
        _subscriptions = subscriptions;
    }

    /// <summary>Records shorter than the handler's type (never from a matching program), skipped.</summary>
    public long Malformed { get; private set; }

    /// <summary>The epoll descriptor that becomes readable when records arrive (for an event loop).</summary>
    public int EpollFd => Libbpf.ring_buffer__epoll_fd(_handle.DangerousGetHandle());

    /// <summary>Creates a consumer of <paramref name="map"/> (a ring buffer map of a loaded object).</summary>
    public static BpfRingBuffer Create<TEvent, THandler>(BpfMap map, THandler handler)
        where TEvent : unmanaged
        where THandler : IBpfEventHandler<TEvent>
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(handler);
        if (map.Type != BpfMapType.RingBuffer)
        {
            throw new ArgumentException($"map {map.Name} is a {map.Type} map, not a ring buffer", nameof(map));
        }

        var subscription = new Subscription<TEvent, THandler>(handler);
        var subscriptions = new Subscription[] { subscription };

        // The callback's context is a GCHandle to the subscription: it finds the handler again.
        var context = GCHandle.Alloc(subscription);
        nint ring;
        int errno;
        using (LibbpfLog.Begin())
        {
            ring = Libbpf.ring_buffer__new(map.Fd, &OnSample, GCHandle.ToIntPtr(context), null);
            errno = Marshal.GetLastPInvokeError();
        }

        if (ring == 0)
        {
            context.Free();
            throw new BpfException($"creating a ring buffer consumer for {map.Name}", errno, BpfErrors.MapHint(errno));
        }

        var result = new BpfRingBuffer(new SafeRingBufferHandle(ring), context, subscriptions);
        subscription.Owner = result;
        return result;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> ms (-1: forever) for records and handles them all.
    /// Returns how many were handled; 0 on timeout or when a signal interrupted the wait.
    /// A handler's exception stops the poll and is rethrown here.
    /// </summary>
    public int Poll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var n = Libbpf.ring_buffer__poll(_handle.DangerousGetHandle(), timeoutMs);
        return Result(n, "polling");
    }

    /// <summary>Handles every record available now, without waiting. Returns how many.</summary>
    public int Consume()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var n = Libbpf.ring_buffer__consume(_handle.DangerousGetHandle());
        return Result(n, "consuming");
    }

    /// <summary>Frees the consumer; the map itself stays with its object.</summary>
    public void Dispose()
    {
        _handle.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }

        GC.KeepAlive(_subscriptions);
    }

    private int Result(int n, string verb)
    {
        if (_failure is { } failure)
        {
            _failure = null;
            throw new InvalidOperationException($"a ring buffer handler failed while {verb}", failure);
        }

        if (n == -Errno.EINTR)
        {
            return 0;
        }

        if (n < 0)
        {
            throw new BpfException($"{verb} a ring buffer", -n);
        }

        return n;
    }

    [UnmanagedCallersOnly]
    private static int OnSample(nint context, void* data, nuint size)
    {
        var subscription = (Subscription)GCHandle.FromIntPtr(context).Target!;
        try
        {
            return subscription.Dispatch(data, size);
        }
        catch (Exception exception)
        {
            // Stop the poll (a negative return) and rethrow on the polling thread.
            subscription.Owner!._failure = exception;
            return -1;
        }
    }

    private abstract class Subscription
    {
        public BpfRingBuffer? Owner { get; set; }

        public abstract int Dispatch(void* data, nuint size);
    }

    private sealed class Subscription<TEvent, THandler> : Subscription
        where TEvent : unmanaged
        where THandler : IBpfEventHandler<TEvent>
    {
        private THandler _handler;

        public Subscription(THandler handler) => _handler = handler;

        public override int Dispatch(void* data, nuint size)
        {
            if (size < (nuint)sizeof(TEvent))
            {
                Owner!.Malformed++;
                return 0;
            }

            _handler.OnEvent(in Unsafe.AsRef<TEvent>(data));
            return 0;
        }
    }
}
