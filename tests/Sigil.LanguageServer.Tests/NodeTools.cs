using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Sigil.LanguageServer.Tests;

/// <summary>
/// The npm packages the grammar test runs (vscode-textmate, vscode-oniguruma), at the versions the
/// extension's package.json names, installed once into .tools/textmate (eng/setup.sh does the same).
/// </summary>
internal static class NodeTools
{
    private static readonly object s_lock = new();

    /// <summary>Installs the packages if absent; returns their node_modules folder (for NODE_PATH).</summary>
    public static string EnsureTextMate(string extension)
    {
        var devDependencies = JsonNode.Parse(File.ReadAllText(Path.Combine(extension, "package.json")))!["devDependencies"]!.AsObject();
        var packages = new[] { "vscode-textmate", "vscode-oniguruma" }.Select(p => p + "@" + (string)devDependencies[p]!).ToArray();
        var folder = Path.Combine(Repository.Root, ".tools", "textmate");
        var modules = Path.Combine(folder, "node_modules");
        lock (s_lock)
        {
            var installed = packages.All(p =>
            {
                var name = p.Substring(0, p.LastIndexOf('@'));
                var manifest = Path.Combine(modules, name, "package.json");
                return File.Exists(manifest) && (string?)JsonNode.Parse(File.ReadAllText(manifest))!["version"] == p.Substring(p.LastIndexOf('@') + 1);
            });
            if (!installed)
            {
                Directory.CreateDirectory(folder);
                var info = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
                foreach (var arg in new[] { "install", "--prefix", folder, "--no-save", "--no-audit", "--no-fund", "--loglevel=error" }.Concat(packages))
                {
                    info.ArgumentList.Add(arg);
                }

                using var npm = Process.Start(info)!;
                var error = npm.StandardError.ReadToEndAsync();
                npm.StandardOutput.ReadToEnd();
                npm.WaitForExit();
                Assert.True(npm.ExitCode == 0, "npm install " + string.Join(" ", packages) + ": " + error.Result);
            }
        }

        return modules;
    }
}
