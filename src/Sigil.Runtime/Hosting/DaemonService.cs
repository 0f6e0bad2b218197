using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The tick loop as a hosted service: ticks every period, checkpoints every interval, and on
/// shutdown (SIGTERM, Ctrl+C) stops ticking, disarms, waits for kills in flight, releases
/// throttled processes and writes a final checkpoint.
/// </summary>
public sealed class DaemonService : BackgroundService
{
    /// <summary>The loop stops (exit code 3) after this many ticks in a row have failed.</summary>
    public const int MaxFailedTicks = 8;

    private static readonly TimeSpan StopSlice = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WokenPause = TimeSpan.FromMilliseconds(2);
    private readonly DaemonEngine _engine;
    private readonly DaemonOptions _options;
    private readonly DaemonHealth _health;
    private readonly CheckpointStore? _store;
    private readonly Enforcer? _enforcer;
    private readonly IKernelFibre? _kernel;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private long _sequence;

    /// <summary>The service.</summary>
    public DaemonService(DaemonEngine engine, DaemonOptions options, DaemonHealth health, CheckpointStore? store, Enforcer? enforcer, IKernelFibre? kernel, long sequence, IHostApplicationLifetime lifetime, ILogger<DaemonService> logger)
    {
        _engine = engine;
        _options = options;
        _health = health;
        _store = store;
        _enforcer = enforcer;
        _kernel = kernel;
        _sequence = sequence;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>The sequence number of the latest checkpoint.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>Non-zero when the loop failed; the process should exit with it.</summary>
    public int ExitCode { get; private set; }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>

        // One dedicated thread that sleeps between ticks: an idle daemon wakes once per tick and
        // never spins thread-pool workers (which, woken four times a second, cost more than the tick).
        Task.Factory.StartNew(() => Loop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Loop(CancellationToken stoppingToken)
    {
        var nextCheckpoint = DateTime.UtcNow + _options.CheckpointInterval;
        var period = _options.Tick;
        var next = Stopwatch.GetTimestamp();
        var waking = _options.WakeOnDecision && _engine.Sensor is IWakingSensor { CanWait: true } w ? w : null;
        var woken = false;
        try
        {
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    _engine.TickAsync(stoppingToken).GetAwaiter().GetResult();
                    failures = 0;
                    _health.Beat();
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException) && ++failures < MaxFailedTicks)
                {
                    // A passing shortage (descriptors, memory for a /proc read) fails one tick, not
                    // the daemon: the next tick senses and enforces again. A run of failures stops it.
                    DaemonLog.TickFailed(_logger, _engine.Fibre.Name, e);
                }

                if (DateTime.UtcNow >= nextCheckpoint)
                {
                    Checkpoint();
                    nextCheckpoint = DateTime.UtcNow + _options.CheckpointInterval;
                }

                // Fixed rate: the next tick is one period after the previous one was due; a tick
                // a decision woke early leaves that schedule as it was.
                if (!woken)
                {
                    next += (long)(period.TotalSeconds * Stopwatch.Frequency);
                }

                woken = false;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait <= TimeSpan.Zero)
                {
                    next = Stopwatch.GetTimestamp();
                    continue;
                }

                woken = waking is null ? Sleep(stoppingToken, wait) : WaitForDecision(waking, stoppingToken, wait);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            DaemonLog.TickFailed(_logger, _engine.Fibre.Name, e);
            _health.Fail(e.Message);
            ExitCode = 3;
            _lifetime.StopApplication();
        }
    }

    private static bool Sleep(CancellationToken stoppingToken, TimeSpan wait)
    {
        stoppingToken.WaitHandle.WaitOne(wait);
        return false;
    }

    // The wake ring cannot see the stopping token: wait in slices short enough for a prompt stop.
    // A woken tick runs after a short pause that gathers the decisions of a burst, so a storm of
    // decisions cannot keep the loop spinning.
    private static bool WaitForDecision(IWakingSensor waking, CancellationToken stoppingToken, TimeSpan wait)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (!stoppingToken.IsCancellationRequested)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            if (waking.WaitForDecision(left < StopSlice ? left : StopSlice))
            {
                stoppingToken.WaitHandle.WaitOne(WokenPause);
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The loop has stopped: put back the CPU masks a placement changed, while still armed.
        try
        {
            await _engine.RestorePlacementAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            DaemonLog.Problem(_logger, _engine.Fibre.Name, "could not restore the CPU affinity of pinned threads: " + e.Message);
        }

        _enforcer?.Disarm();
        if (_kernel is not null)
        {
            try
            {
                _kernel.SetArmed(false, Environment.ProcessId);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                DaemonLog.CheckpointProblem(_logger, _engine.Fibre.Name, "could not disarm the kernel: " + e.Message);
            }
        }

        await _engine.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _enforcer?.Throttler?.Dispose();
        Checkpoint();
        DaemonLog.Stopped(_logger, _engine.Fibre.Name, _engine.Ticks, Sequence);
    }

    /// <summary>Writes a checkpoint now.</summary>
    public void Checkpoint()
    {
        if (_store is null)
        {
            return;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        try
        {
            _store.Save(_engine.CaptureState(sequence));
            _engine.Metrics.RecordCheckpoint(true);
            _health.Checkpointed(true);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            Interlocked.Decrement(ref _sequence);
            _engine.Metrics.RecordCheckpoint(false);
            _health.Checkpointed(false, e.Message);
            DaemonLog.CheckpointFailed(_logger, _engine.Fibre.Name, e.Message);
        }
    }
}
