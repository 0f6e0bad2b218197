using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Testing;

/// <summary>
/// A minimal LSP client (tests and benchmarks) over a child process's stdio: Content-Length framing, requests matched by
/// id, notifications queued. Written against the protocol text, not the server's types, so the
/// test checks the wire format a real editor sees.
/// </summary>
internal sealed class LspClient : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly BlockingCollection<JsonNode> _notifications = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private int _nextId;

    private LspClient(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        _reader = Task.Run(ReadLoop);
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public Process Process => _process;

    /// <summary>Starts <c>dotnet <paramref name="sigilDll"/> lsp</c>.</summary>
    public static LspClient Start(string sigilDll)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(sigilDll);
        info.ArgumentList.Add("lsp");
        return new LspClient(Process.Start(info)!);
    }

    public async Task<JsonNode?> RequestAsync(string method, object? parameters, int timeoutMs = 30_000)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = ToNode(parameters) });
        var finished = await Task.WhenAny(completion.Task, Task.Delay(timeoutMs));
        if (finished != completion.Task)
        {
            throw new TimeoutException($"{method}: no answer in {timeoutMs} ms; server stderr: {StandardError}");
        }

        return await completion.Task;
    }

    public Task NotifyAsync(string method, object? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = ToNode(parameters) });

    /// <summary>The next notification of <paramref name="method"/> whose params satisfy <paramref name="match"/>; others are dropped.</summary>
    public JsonNode WaitForNotification(string method, Func<JsonNode, bool> match, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_notifications.TryTake(out var message, left))
            {
                throw new TimeoutException($"no {method} notification in {timeoutMs} ms; server stderr: {StandardError}");
            }

            if ((string?)message["method"] == method && message["params"] is { } p && match(p))
            {
                return p;
            }
        }
    }

    private static JsonNode? ToNode(object? value) => value is null ? null : value as JsonNode ?? JsonSerializer.SerializeToNode(value);

    private async Task SendAsync(JsonNode message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _input.WriteAsync(header);
        await _input.WriteAsync(body);
        await _input.FlushAsync();
    }

    private async Task ReadLoop()
    {
        try
        {
            while (true)
            {
                var length = -1;
                while (true)
                {
                    var line = await ReadLineAsync();
                    if (line is null)
                    {
                        return;
                    }

                    if (line.Length == 0)
                    {
                        break;
                    }

                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                var body = new byte[length];
                await _output.ReadExactlyAsync(body);
                var message = JsonNode.Parse(body)!;
                if (message["id"] is { } id && message["method"] is null)
                {
                    if (_pending.TryRemove(id.GetValue<int>(), out var completion))
                    {
                        if (message["error"] is { } error)
                        {
                            completion.TrySetException(new InvalidOperationException("LSP error: " + error.ToJsonString()));
                        }
                        else
                        {
                            completion.TrySetResult(message["result"]);
                        }
                    }
                }
                else
                {
                    _notifications.Add(message);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
        {
        }
    }

    private async Task<string?> ReadLineAsync()
    {
        var bytes = new System.Collections.Generic.List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await _output.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        _ = _reader;
    }
}
