using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace Sigil.Cluster;

/// <summary>Where etcd is and how to authenticate to it.</summary>
/// <param name="Endpoints">Comma-separated client URLs (<c>http://127.0.0.1:2379</c>, or <c>https://…</c> with TLS).</param>
/// <param name="CaFile">PEM file of the CA that signed the servers' certificates (TLS), or null.</param>
/// <param name="CertFile">PEM client certificate (TLS client authentication), or null.</param>
/// <param name="KeyFile">PEM private key of <paramref name="CertFile"/>, or null.</param>
public sealed record EtcdEndpoint(string Endpoints, string? CaFile = null, string? CertFile = null, string? KeyFile = null)
{
    /// <summary>True when the endpoints use TLS.</summary>
    public bool Tls => Endpoints.Contains("https://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A won election: the leader key to fence writes with.</summary>
/// <param name="Key">The leader's key.</param>
/// <param name="Revision">Its create revision.</param>
public sealed record ElectionTicket(string Key, long Revision);

/// <summary>The few etcd operations the cluster protocol needs (a seam for fault injection in tests).</summary>
public interface IClusterStore : IDisposable
{
    /// <summary>Requests sent so far (each RPC counts one).</summary>
    long Requests { get; }

    /// <summary>Grants a lease of <paramref name="ttl"/> (whole seconds).</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Renews a lease once; false when etcd says it has expired.</summary>
    Task<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken);

    /// <summary>Puts a key bound to a lease (0: none).</summary>
    Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken);

    /// <summary>Reads a key; null when absent.</summary>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Reads every key under a prefix at one revision: key suffix to value.</summary>
    Task<IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Reads some keys at one revision, in one request: key to value, absent keys left out.</summary>
    Task<IReadOnlyDictionary<string, string>> GetKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Campaigns in an election with a lease; returns when elected.</summary>
    Task<ElectionTicket> CampaignAsync(string election, long lease, string value, CancellationToken cancellationToken);

    /// <summary>Puts keys in one transaction only while the ticket's leader key still exists unchanged; false otherwise.</summary>
    Task<bool> PutIfLeaderAsync(ElectionTicket ticket, IReadOnlyList<KeyValuePair<string, string>> puts, CancellationToken cancellationToken);
}

/// <summary><see cref="IClusterStore"/> on etcd v3 through dotnet-etcd (KV, Lease, Election and Txn over gRPC).</summary>
public sealed class EtcdClusterStore : IClusterStore
{
    private readonly EtcdClient _client;
    private readonly EtcdEndpoint _endpoint;
    private readonly TimeSpan _timeout;
    private long _requests;
    private volatile string? _tlsRejection;

    /// <summary>A store on <paramref name="endpoint"/>; every request is cancelled after <paramref name="timeout"/>.</summary>
    public EtcdClusterStore(EtcdEndpoint endpoint, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        _timeout = timeout;
        _client = endpoint.Tls ? new EtcdClient(endpoint.Endpoints, ConfigureTls) : new EtcdClient(endpoint.Endpoints);
    }

    /// <inheritdoc/>
    public long Requests => Interlocked.Read(ref _requests);

    /// <inheritdoc/>
    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var response = await SendAsync(token => _client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Math.Ceiling(ttl.TotalSeconds) }, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        return response.ID;
    }

    /// <inheritdoc/>
    public async Task<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken)
    {
        long ttl = -1;
        await SendAsync(async token =>
        {
            await _client.LeaseKeepAlive(new LeaseKeepAliveRequest { ID = lease }, r => ttl = r.TTL, token, null).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return ttl > 0;
    }

    /// <inheritdoc/>
    public async Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken)
    {
        await SendAsync(token => _client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value), Lease = lease }, cancellationToken: token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var response = await SendAsync(token => _client.GetAsync(key, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : response.Kvs[0].Value.ToStringUtf8();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var response = await SendAsync(token => _client.GetRangeAsync(prefix, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, string>(response.Kvs.Count, StringComparer.Ordinal);
        foreach (var kv in response.Kvs)
        {
            result[kv.Key.ToStringUtf8()[prefix.Length..]] = kv.Value.ToStringUtf8();
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var txn = new TxnRequest();
        foreach (var key in keys)
        {
            txn.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(key) } });
        }

        var response = await SendAsync(token => _client.TransactionAsync(txn, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, string>(keys.Count, StringComparer.Ordinal);
        foreach (var op in response.Responses)
        {
            foreach (var kv in op.ResponseRange.Kvs)
            {
                result[kv.Key.ToStringUtf8()] = kv.Value.ToStringUtf8();
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<ElectionTicket> CampaignAsync(string election, long lease, string value, CancellationToken cancellationToken)
    {
        // A campaign waits for leadership: no deadline, only the caller's cancellation.
        var response = await SendAsync(token => _client.CampaignAsync(election, lease, value, cancellationToken: token), cancellationToken, deadline: false).ConfigureAwait(false);
        return new ElectionTicket(response.Leader.Key.ToStringUtf8(), response.Leader.Rev);
    }

    /// <inheritdoc/>
    public async Task<bool> PutIfLeaderAsync(ElectionTicket ticket, IReadOnlyList<KeyValuePair<string, string>> puts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(puts);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare
        {
            Key = ByteString.CopyFromUtf8(ticket.Key),
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Equal,
            CreateRevision = ticket.Revision,
        });
        foreach (var (key, value) in puts)
        {
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) } });
        }

        var response = await SendAsync(token => _client.TransactionAsync(txn, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        return response.Succeeded;
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    // One request. Deadlines run on the monotonic clock (CancelAfter), not on gRPC's wall-clock
    // deadline, so a clock jump neither cuts a request short nor lets it hang. A request that fails
    // because the server's certificate was refused says why, not only that the channel is down.
    private async Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, bool deadline = true)
    {
        Interlocked.Increment(ref _requests);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline)
        {
            cts.CancelAfter(_timeout);
        }

        try
        {
            return await call(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (_tlsRejection is { } why && !cancellationToken.IsCancellationRequested)
        {
            throw new EtcdTlsException($"TLS with etcd at {_endpoint.Endpoints} failed: {why}", e);
        }
    }

    private void ConfigureTls(SslClientAuthenticationOptions ssl)
    {
        if (_endpoint.CertFile is not null && _endpoint.KeyFile is not null)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(_endpoint.CertFile, _endpoint.KeyFile)];
        }

        if (_endpoint.CaFile is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(_endpoint.CaFile);
            var caFile = _endpoint.CaFile;
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    _tlsRejection = "the server sent no certificate";
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var server = new X509Certificate2(certificate);
                if (chain.Build(server))
                {
                    _tlsRejection = null;
                    return true;
                }

                var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                _tlsRejection = $"the server's certificate '{server.Subject}' does not chain to the CA in '{caFile}' ({status})";
                return false;
            };
        }
    }
}

/// <summary>etcd's TLS handshake failed: the message says why (for example a certificate from another CA).</summary>
public sealed class EtcdTlsException(string message, Exception inner) : Exception(message, inner);
