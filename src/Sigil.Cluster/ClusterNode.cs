using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sigil.Cluster;

/// <summary>
/// One node of a cluster fibre. Every half round it renews its lease, reads the cluster record,
/// solves its local problem against the cluster price with its cluster load capped at its granted
/// share, publishes its desired load under a key bound to its lease, and applies the capped
/// allocation. Beside that it campaigns to be the updater (etcd's election API) and, while
/// elected, runs <see cref="ClusterPriceUpdate"/> once per round, fencing each write on its
/// leader key. Timers read the monotonic clock; the wall clock only stamps records for people.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    private readonly ClusterSettings _settings;
    private readonly IClusterStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly string[] _keys;
    private PowerModelFit? _fit;
    private double _scaledGain = 1;
    private double _scaledOffset;
    private NodeProblem? _scaled;
    private NodeProblem? _scaledFrom;
    private NodeProblem? _appliedProblem;
    private double _appliedModel = double.NaN;
    private long _lease;
    private long _leaseGeneration;
    private long _lastContact;
    private long _round;
    private double _price;
    private double _share;
    private bool _granted;
    private bool _updater;
    private long _failures;
    private long _ignored;
    private ClusterMode _mode = ClusterMode.Joining;
    private PriceRecord? _written;
    private LoadRecord? _published;
    private long _publishedLease;
    private double _cap;
    private string? _lastProblem;
    private CancellationTokenSource? _campaign;
    private double _rampFrom;
    private int _rampLeft;
    private long _admmIteration = -1;
    private double _admmLoad = double.NaN;
    private double _admmPrice;

    /// <summary>A node named <paramref name="name"/> solving <paramref name="problem"/>.</summary>
    public ClusterNode(string name, ClusterSettings settings, NodeProblem problem, IClusterStore store, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(settings));
        }

        if (ClusterPriceUpdate.Check(settings, name, "{}", 0, out _) is { } bad && bad.StartsWith("node name", StringComparison.Ordinal))
        {
            throw new ArgumentException(bad, nameof(name));
        }

        Name = name;
        _settings = settings;
        _keys = ClusterRecordKeys.NodeKeys(settings, name);
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _lastContact = _time.GetTimestamp();
        _share = _cap = problem.Floor;
        Status = Snapshot(problem.Solve(0, problem.Floor), problem.Solve(0));
    }

    /// <summary>The node's name (its key under <c>loads/</c>).</summary>
    public string Name { get; }

    /// <summary>The local problem; replace it when the node's jobs change (the next round uses it).</summary>
    public NodeProblem Problem { get; set; }

    /// <summary>
    /// The node's sensed cluster load since the last round (for power, watts from RAPL or the
    /// CPU-time model), or null when there is no reading. When set, the node fits
    /// <c>sensed = gain x model + offset</c> over its rounds (<see cref="PowerModelFit"/>: recursive
    /// least squares, bounded, with a forgetting factor), where <c>model</c> is its problem's cluster
    /// load of the allocation it applied, and solves with its cluster coefficients times the gain and
    /// the offset added to its cluster load: it publishes and caps what it draws, not what its model
    /// says, so a node that draws more than its model (or draws beside its jobs) is still held to its share.
    /// </summary>
    public Func<double?>? SensedLoad { get; set; }

    /// <summary>The latest status.</summary>
    public ClusterNodeStatus Status { get; private set; }

    /// <summary>Raised after every node round with the allocation to apply and the status.</summary>
    public event Action<NodeSolution, ClusterNodeStatus>? Applied;

    /// <summary>Updater rounds this node ran, and their total time (for the simulation's figures).</summary>
    internal long UpdateRounds;

    /// <summary>Milliseconds spent in <see cref="UpdateRounds"/>.</summary>
    internal double UpdateMilliseconds;

    /// <summary>Runs the node round and, when <paramref name="campaign"/>, the updater candidacy until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken, bool campaign = true)
    {
        try
        {
            await Task.WhenAll(RunNodeAsync(cancellationToken), campaign ? RunUpdaterAsync(cancellationToken) : Task.CompletedTask).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a request cut short by the stop is no failure.
        }
    }

    /// <summary>One node round (public for tests and the simulation).</summary>
    public async Task<ClusterNodeStatus> RoundAsync(CancellationToken cancellationToken)
    {
        var problem = Corrected();
        try
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            var record = Parse(await _store.GetKeysAsync(_keys, cancellationToken).ConfigureAwait(false));
            double cap;
            lock (_gate)
            {
                _lastContact = _time.GetTimestamp();
                if (record is not null && record.Round > _round)
                {
                    _round = record.Round;
                    _price = double.IsFinite(record.Price) && record.Price >= 0 ? record.Price : _price;
                    if (record.Nodes.TryGetValue(Name, out var grant) && double.IsFinite(grant.Share) && grant.Share >= 0)
                    {
                        _share = grant.Share;
                        _granted = true;
                    }
                    else
                    {
                        // No grant (not yet, or the updater gave this node's share away after it
                        // was missing too long): the floor until the next grant.
                        _share = problem.Floor;
                        _granted = false;
                    }
                }

                if (_mode is ClusterMode.Fallback or ClusterMode.Floor)
                {
                    // Back in touch: ramp from what was applied while out of reach, never above the grant.
                    _rampFrom = _cap;
                    _rampLeft = _settings.RejoinRounds;
                }

                _mode = _granted ? ClusterMode.Joined : ClusterMode.Joining;
                _lastProblem = null;
                cap = _share;
                if (_rampLeft > 0)
                {
                    _rampLeft--;
                    cap = Math.Min(_share, _rampFrom + ((_share - _rampFrom) / (_rampLeft + 1)));
                    _rampFrom = cap;
                }

                _cap = cap;
            }

            var price = _price;
            if (_settings.AdmmRho is { } rho)
            {
                if (record?.Admm is { } admm && admm.Iteration > _admmIteration)
                {
                    // The x-update of ADMM's sharing form: the prox centre is this node's last
                    // x_i less the updater's offset (a node joining starts from its load at the price).
                    var last = double.IsNaN(_admmLoad) ? problem.Solve(record.Price).ClusterLoad : _admmLoad;
                    var answer = ClusterAdmm.Prox(problem, rho, last - admm.Offset);
                    _admmPrice = answer.Price;
                    _admmLoad = answer.Load;
                    _admmIteration = admm.Iteration;
                }

                price = _admmPrice;
            }

            var desired = Solve(problem, price, double.PositiveInfinity);
            var applied = Solve(problem, price, cap);
            var bound = _settings.NodeLoadMax;
            var load = new LoadRecord(_round, Math.Min(bound, desired.ClusterLoad), Math.Min(bound, applied.ClusterLoad), Math.Min(bound, problem.Floor), _time.GetUtcNow().ToUnixTimeMilliseconds(), problem.Slope(price, desired.ClusterLoad), _admmIteration);
            if (_published is { } published && published.Round == load.Round && published.Iteration == load.Iteration && published.Load == load.Load && published.Applied == load.Applied && _publishedLease == Volatile.Read(ref _lease))
            {
                // Nothing new since the last put (same round, same loads, same lease): the key stands.
                return Finish(applied, desired);
            }

            var lease = Volatile.Read(ref _lease);
            await _store.PutAsync(_settings.KeyPrefix + "/loads/" + Name, JsonSerializer.Serialize(load, ClusterJsonContext.Default.LoadRecord), lease, cancellationToken).ConfigureAwait(false);
            _published = load;
            _publishedLease = lease;
            return Finish(applied, desired);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            double cap;
            lock (_gate)
            {
                var age = _time.GetElapsedTime(_lastContact);
                var mode = age >= _settings.FloorAfter ? ClusterMode.Floor : age >= _settings.FallbackAfter ? ClusterMode.Fallback : _mode;
                if (mode is ClusterMode.Fallback or ClusterMode.Floor && (mode != _mode || !string.Equals(e.Message, _lastProblem, StringComparison.Ordinal)))
                {
                    // Once on entering the mode, and again when the reason changes (a deadline first, then the TLS refusal that caused it).
                    ClusterLog.Fallback(_logger, Name, mode.ToString().ToLowerInvariant(), age.TotalSeconds, e.Message);
                    _lastProblem = e.Message;
                }

                _mode = mode;
                cap = _mode == ClusterMode.Floor ? Math.Min(problem.Floor, _cap) : _cap;
                _cap = cap;
            }

            var held = _settings.AdmmRho is null ? _price : _admmPrice;
            return Finish(Solve(problem, held, cap), Solve(problem, held, double.PositiveInfinity));
        }
    }

    /// <summary>
    /// One updater round when elected (public for tests and the simulation): null when the record
    /// is corrupt and this node wrote none before it (nothing is written; nodes keep their shares).
    /// </summary>
    /// <exception cref="ClusterFencedException">The ticket's leader key is gone: another node may be the updater.</exception>
    public async Task<ClusterRound?> UpdateAsync(ElectionTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var loads = await _store.GetPrefixAsync(_settings.KeyPrefix + "/loads/", cancellationToken).ConfigureAwait(false);
        var keys = await _store.GetKeysAsync(ClusterRecordKeys.AllKeys(_settings), cancellationToken).ConfigureAwait(false);
        var previous = Parse(keys);
        if (previous is null && keys.ContainsKey(ClusterRecordKeys.Price(_settings)))
        {
            // A corrupt record: continue from the one this node wrote, or write nothing (nodes keep their shares).
            ClusterLog.CorruptRecord(_logger, Name);
            previous = _written;
            if (previous is null)
            {
                return null;
            }
        }

        var next = ClusterPriceUpdate.Next(_settings, previous, loads, Name);
        foreach (var ignored in next.Ignored)
        {
            ClusterLog.IgnoredKey(_logger, ignored.Node, ignored.Reason);
        }

        if (!await _store.PutIfLeaderAsync(ticket, ClusterRecordKeys.Split(_settings, next.Record), cancellationToken).ConfigureAwait(false))
        {
            throw new ClusterFencedException($"node '{Name}' is no longer the updater: its leader key changed");
        }

        _written = next.Record;
        Interlocked.Add(ref _ignored, next.Ignored.Count);
        return next;
    }

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();

    private async Task RunNodeAsync(CancellationToken cancellationToken)
    {
        var period = _settings.Round / 2;
        while (!cancellationToken.IsCancellationRequested)
        {
            var start = _time.GetTimestamp();
            await RoundAsync(cancellationToken).ConfigureAwait(false);
            var left = period - _time.GetElapsedTime(start);
            if (left > TimeSpan.Zero)
            {
                await Delay(left, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunUpdaterAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var lease = Volatile.Read(ref _lease);
            var generation = Interlocked.Read(ref _leaseGeneration);
            if (lease == 0)
            {
                await Delay(_settings.Round / 2, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // A lease replaced while the campaign waits (this node was cut off long enough for it to
            // expire) ends the campaign: its key went with the old lease, and it campaigns anew.
            using var campaign = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Volatile.Write(ref _campaign, campaign);
            try
            {
                var ticket = await _store.CampaignAsync(_settings.KeyPrefix + "/updater", lease, Name, campaign.Token).ConfigureAwait(false);
                while (!cancellationToken.IsCancellationRequested && Interlocked.Read(ref _leaseGeneration) == generation)
                {
                    var start = _time.GetTimestamp();
                    await UpdateAsync(ticket, cancellationToken).ConfigureAwait(false);
                    if (!_updater)
                    {
                        // The updater is the node whose fenced write succeeded, not merely one whose campaign returned.
                        _updater = true;
                        ClusterLog.Elected(_logger, Name);
                    }

                    UpdateRounds++;
                    UpdateMilliseconds += _time.GetElapsedTime(start).TotalMilliseconds;
                    var left = _settings.Round - _time.GetElapsedTime(start);
                    if (left > TimeSpan.Zero)
                    {
                        await Delay(left, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception) when (campaign.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The lease changed under the campaign: campaign again with the new one.
            }
            catch (ClusterFencedException e) when (!cancellationToken.IsCancellationRequested)
            {
                ClusterLog.UpdaterFailed(_logger, Name, e.Message);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                ClusterLog.UpdaterFailed(_logger, Name, e.Message);
                await Delay(_settings.Round, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _updater = false;
                Interlocked.CompareExchange(ref _campaign, null, campaign);
            }
        }
    }

    // Keeps the lease alive once per round; a lease etcd no longer knows is replaced, which drops
    // this node's keys and its campaign (the updater loop campaigns again with the new lease).
    private long _renewedAt;

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var lease = Volatile.Read(ref _lease);
        if (lease != 0 && _time.GetElapsedTime(_renewedAt) < _settings.Round)
        {
            return;
        }

        if (lease == 0 || !await _store.KeepAliveAsync(lease, cancellationToken).ConfigureAwait(false))
        {
            lease = await _store.GrantLeaseAsync(_settings.LeaseTtl, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lease, lease);
            Interlocked.Increment(ref _leaseGeneration);
            try
            {
                Volatile.Read(ref _campaign)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The campaign ended meanwhile.
            }
        }

        _renewedAt = _time.GetTimestamp();
    }

    // The problem in sensed units: each round's reading (the power since the last round, while the
    // allocation of the last round applied) is one more point of the fit of sensed on modelled load.
    private NodeProblem Corrected()
    {
        var problem = Problem;
        if (SensedLoad is { } sense)
        {
            double? sensed = null;
            try
            {
                sensed = sense();
            }
            catch (Exception e) when (e is System.IO.IOException or FormatException or UnauthorizedAccessException)
            {
                // A counter that cannot be read this round gives no reading; the fit keeps its estimate.
                ClusterLog.NoReading(_logger, Name, e.Message);
            }

            if (sensed is { } reading && ReferenceEquals(problem, _appliedProblem) && !double.IsNaN(_appliedModel))
            {
                // Regressor scale: the jobs' largest modelled load; the offset at most a node's bound.
                _fit ??= new PowerModelFit(problem.Ceiling > 0 ? problem.Ceiling : _settings.NodeLoadMax, _settings.NodeLoadMax);
                _fit.Add(_appliedModel, reading);
            }
        }

        var gain = _fit?.Gain ?? 1;
        var offset = _fit?.Offset ?? 0;
        if (!ReferenceEquals(problem, _scaledFrom) || gain != _scaledGain || offset != _scaledOffset)
        {
            _scaled = gain == 1 && offset == 0 ? problem : problem.WithClusterModel(gain, offset);
            _scaledFrom = problem;
            _scaledGain = gain;
            _scaledOffset = offset;
        }

        return _scaled!;
    }

    // The allocation at the price with the cluster load capped: under ADMM also at the node's
    // x-update load (where a linear job jumps at the price, the cap fills the jump exactly).
    private NodeSolution Solve(NodeProblem problem, double price, double cap) =>
        problem.Solve(price, _settings.AdmmRho is not null && !double.IsNaN(_admmLoad) ? Math.Min(cap, _admmLoad) : cap);

    private ClusterNodeStatus Finish(NodeSolution applied, NodeSolution desired)
    {
        _appliedModel = _scaledFrom?.ClusterLoadOf(applied.X) ?? double.NaN;
        _appliedProblem = _scaledFrom;
        var status = Snapshot(applied, desired);
        Status = status;
        try
        {
            Applied?.Invoke(applied, status);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An actuator's failure is reported; it does not stop the node's rounds.
            ClusterLog.ApplyFailed(_logger, Name, e.ToString());
        }

        return status;
    }

    private ClusterNodeStatus Snapshot(NodeSolution applied, NodeSolution desired)
    {
        lock (_gate)
        {
            return new ClusterNodeStatus(Name, _mode, _round, _price, _share, _cap, desired.ClusterLoad, applied.ClusterLoad, applied.NodePrice, _updater,
                _time.GetElapsedTime(_lastContact).TotalSeconds, Interlocked.Read(ref _failures), _store.Requests, Interlocked.Read(ref _ignored), _scaledGain, _scaledOffset, double.IsNaN(_appliedModel) ? 0 : _appliedModel);
        }
    }

    // The record from the keys read; null when absent or corrupt (the caller keeps what it had).
    private PriceRecord? Parse(System.Collections.Generic.IReadOnlyDictionary<string, string> keys)
    {
        try
        {
            return ClusterRecordKeys.Join(_settings, keys);
        }
        catch (ClusterRecordCorruptException)
        {
            return null;
        }
    }

    private Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, _time, cancellationToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

/// <summary>The updater's leader key changed under it: its write was refused, another node may lead.</summary>
public sealed class ClusterFencedException(string message) : Exception(message);
