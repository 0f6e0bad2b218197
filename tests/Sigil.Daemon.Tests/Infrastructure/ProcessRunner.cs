using System.Diagnostics;
using System.Text;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>The result of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string All => StandardOutput + StandardError;
}

/// <summary>Runs child processes with a time limit; a child that overruns is killed and the test fails.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running child; the caller kills it.</summary>
    public static Process Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (arguments.Contains("workload"))
        {
            Sigil.Runtime.Workloads.WorkloadEnvironment.Apply(info.Environment);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The path of the sigil command's assembly, built next to the tests.</summary>
    public static string SigilDll => Sigil.Tests.Shared.SigilCommand.Dll;

    /// <summary>Runs <c>dotnet sigil.dll args</c>.</summary>
    public static Task<ProcessResult> RunSigilAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        RunAsync("dotnet", new[] { SigilDll }.Concat(arguments), timeout: timeout, environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["NO_COLOR"] = "1" });

    /// <summary>
    /// Builds <paramref name="fibre"/> as <c>sigil emit</c> does into <paramref name="output"/> and
    /// returns its daemon descriptor: what <c>sigil run</c> reads for a fibre no project builds.
    /// </summary>
    public static async Task<string> EmitDaemonAsync(string fibre, string output)
    {
        var emit = await RunSigilAsync(["emit", fibre, "-o", output]);
        Xunit.Assert.True(emit.ExitCode == 0, Describe(emit));
        return Xunit.Assert.Single(Directory.GetFiles(Path.Combine(output, "daemon"), "*.daemon.json"));
    }

    public static string Describe(ProcessResult result) =>
        new StringBuilder().Append("exit ").Append(result.ExitCode).Append("\nstdout:\n").Append(result.StandardOutput).Append("\nstderr:\n").Append(result.StandardError).ToString();
}
