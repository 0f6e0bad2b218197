using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>Runs a native helper with binary input on stdin and returns its binary stdout.</summary>
public static class NativeRun
{
    public static byte[] Binary(string file, string argument, byte[] input)
    {
        var info = new ProcessStartInfo(file, argument)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new MemoryStream();
        var reader = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        var writer = Task.Run(() =>
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        });
        Task.WaitAll(reader, writer);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {argument} exited {process.ExitCode}: {error.Result}");
        }

        return output.ToArray();
    }
}
