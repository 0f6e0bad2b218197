using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sigil.Language;
using Sigil.Language.Emit;
using Sigil.Language.Emit.CSharp;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Generators.Tests;

/// <summary>
/// Tables too large for C# literals: the generated code reads them from the fibre's table data
/// file, which the build embeds (TableDataFile). It solves exactly as the literals do, stays
/// small, and a missing, cut, altered or forged file is an <see cref="InvalidDataException"/>
/// that says which, never a crash or a wrong answer.
/// </summary>
public sealed class TableDataTests
{
    /// <summary>
    /// A bound on a generated solver file that holds a fibre's code (its run-time parameters'
    /// <c>Instance</c> included) and none of a large table's entries, which would grow with the
    /// table.
    /// </summary>
    internal const int SmallSolverFile = 48_000;

    private const string Namespace = "Consumer.Fibres";

    // A route matrix R[link, flow] (ranges hold at most 1024 members): each flow crosses `hops` distinct links (pseudo-random, fixed seed).
    internal static string Network(int links, int flows) => $$"""
        fibre network {
            index link in 0 .. {{links - 1}};
            index flow in 0 .. {{flows - 1}};
            table R[link, flow] from "routes.csv";
            $rate[flow] : Mbit/s in [0, 100];
            @cap[link] : Mbit/s = 10;
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { tolerance = 1e-7; iterations = 20000; }
        }
        """;

    internal static string Routes(int links, int flows, int hops)
    {
        var csv = new StringBuilder("link,flow,value\n");
        var random = new Random(7);
        var entries = new List<(int Link, int Flow, double Value)>();
        for (var f = 0; f < flows; f++)
        {
            foreach (var l in Enumerable.Range(0, links).OrderBy(_ => random.Next()).Take(hops))
            {
                entries.Add((l, f, 0.5 + random.Next(4)));
            }
        }

        foreach (var (l, f, v) in entries.OrderBy(static e => e.Link).ThenBy(static e => e.Flow))
        {
            csv.Append(l).Append(',').Append(f).Append(',').Append(v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    private static readonly Lazy<(FibreSpec Spec, ImmutableArray<AdditionalText> Files)> s_network = new(() =>
    {
        var fibre = Network(links: 40, flows: 1000);
        var routes = Routes(links: 40, flows: 1000, hops: 3);
        var result = SigilCompiler.Compile(new SourceFile("/src/network.sigil", fibre), relative => relative == "routes.csv" ? routes : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return (result.Spec!, ImmutableArray.Create<AdditionalText>(new GeneratorHost.InMemoryText("/src/network.sigil", fibre), new GeneratorHost.InMemoryText("/src/routes.csv", routes)));
    });

    [Fact]
    public void LargeTable_GeneratedCode_ReadsTheDataFile_AndSolvesExactlyAsTheLiterals()
    {
        var (spec, files) = s_network.Value;
        var table = spec.Tables.Single();
        Assert.True(TableDataFile.IsExternal(table), $"{TableDataFile.StoredValues(table)} values: the test wants a table above the literal limit");

        // The generator's code names the resource, its length and digest, and holds no entry.
        var (_, output, diagnostics) = GeneratorHost.Run(GeneratorHost.NewDriver(files), GeneratorHost.NewCompilation());
        Assert.Empty(diagnostics);
        var solver = output.SyntaxTrees.Select(static t => t.ToString()).Single(static t => t.Contains("CreateProblem(", StringComparison.Ordinal));
        var data = TableDataFile.Write(spec)!;
        Assert.Contains($"EmbeddedTables.Load(typeof(NetworkFibre).Assembly, \"sigil/network.tables\", {data.Length}L, \"{TableDataFile.Digest(data)}\")", solver, StringComparison.Ordinal);
        Assert.DoesNotContain("double[] s_R_value", solver, StringComparison.Ordinal);
        Assert.Contains("var s_R_value = tables.EntryValues(\"R\");", solver, StringComparison.Ordinal);
        Assert.True(solver.Length < SmallSolverFile, $"the solver file is {solver.Length} characters");

        var external = Solve(Emit(output, data));
        var literals = Solve(Emit(Compile(CSharpEmitter.Emit(spec, Namespace, tableLiteralLimit: int.MaxValue)), resource: null));
        Assert.Equal(SolveStatus.Solved, external.Result.Status);
        Assert.Equal(table.Matrix!.Values.Count, external.NonZeros);
        Assert.Equal(literals.NonZeros, external.NonZeros);
        Assert.Equal(literals.Result.X.ToArray(), external.Result.X.ToArray());
        Assert.Equal(literals.Result.Prices.ToArray(), external.Result.Prices.ToArray());
    }

    // A table of rows: its keys (the index members) and its columns come from the data file.
    [Fact]
    public void LargeRowTable_MembersAndColumns_ComeFromTheDataFile_AndSolveExactlyAsTheLiterals()
    {
        const int Edits = 1000;
        var csv = new StringBuilder("edit,cost,weight,lo,hi\n");
        for (var j = 0; j < Edits; j++)
        {
            csv.Append("e").Append(j).Append(',').Append((1 + (0.25 * (j % 7))).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(1 + (j % 5)).Append(",0,").Append(5 + (j % 3)).Append('\n');
        }

        const string Fibre = """
            fibre edits {
                table edits from "edits.csv" {
                    cost;
                    weight;
                    lo : mmol/gDW/h;
                    hi : mmol/gDW/h;
                }
                index edit from edits;
                $flux[edit] : mmol/gDW/h in [lo[edit], hi[edit]];
                @atp : mmol/gDW/h = 400;
                couple @atp >= sum(j in edit) cost[j] * $flux[j];
                utility $flux[j] ~ weight[j] * log($flux[j] + 0.001);
                solve dual { tolerance = 1e-7; iterations = 20000; }
            }
            """;
        var text = csv.ToString();
        var result = SigilCompiler.Compile(new SourceFile("/src/edits.sigil", Fibre), relative => relative == "edits.csv" ? text : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        var spec = result.Spec!;
        Assert.True(TableDataFile.IsExternal(spec.Tables.Single()));

        var data = TableDataFile.Write(spec)!;
        var (_, output, diagnostics) = GeneratorHost.Run(
            GeneratorHost.NewDriver(ImmutableArray.Create<AdditionalText>(new GeneratorHost.InMemoryText("/src/edits.sigil", Fibre), new GeneratorHost.InMemoryText("/src/edits.csv", text))),
            GeneratorHost.NewCompilation());
        Assert.Empty(diagnostics);
        var solver = output.SyntaxTrees.Select(static t => t.ToString()).Single(static t => t.Contains("CreateProblem(", StringComparison.Ordinal));
        Assert.Contains("var s_edits_cost = tables.Column(\"edits\", \"cost\");", solver, StringComparison.Ordinal);
        Assert.Contains("Edit => global::Consumer.Fibres.EditsFibre.TableData().Keys(\"edits\");", solver, StringComparison.Ordinal);
        Assert.True(solver.Length < SmallSolverFile, $"the solver file is {solver.Length} characters");

        var externalAssembly = Emit(output, data, "edits");
        var literalAssembly = Emit(Compile(CSharpEmitter.Emit(spec, Namespace, tableLiteralLimit: int.MaxValue)), resource: null);
        var members = (IReadOnlyList<string>)externalAssembly.GetType(Namespace + ".EditsFibre")!.GetNestedType("Members")!.GetProperty("Edit")!.GetValue(null)!;
        Assert.Equal(spec.Tables.Single().Keys.ToArray(), members.ToArray());
        var external = Solve(externalAssembly, "EditsFibre");
        var literals = Solve(literalAssembly, "EditsFibre");
        Assert.Equal(SolveStatus.Solved, external.Result.Status);
        Assert.Equal(literals.Result.X.ToArray(), external.Result.X.ToArray());
        Assert.Equal(literals.Result.Prices.ToArray(), external.Result.Prices.ToArray());
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "missing", "is missing: the build step SigilWriteArtefacts embeds it" },
        { "cut short", "the generated code expects" },
        { "one byte flipped", "does not hash to the SHA-256 in its header (damaged)" },
        { "another build's", "(the tables of another build)" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedDataFile_CreateProblem_IsAClearError_AndTheFibreStaysUsable(string damage, string message)
    {
        var (spec, files) = s_network.Value;
        var data = TableDataFile.Write(spec)!;
        byte[]? resource = damage switch
        {
            "missing" => null,
            "cut short" => data[..^100],
            "one byte flipped" => Flip(data, data.Length - 9),
            _ => TableDataFile.Write(spec with { Tables = EquatableArray.Create(Scaled(spec.Tables[0], 2)) })!,
        };
        var (_, output, _) = GeneratorHost.Run(GeneratorHost.NewDriver(files), GeneratorHost.NewCompilation());
        var type = Emit(output, resource).GetType(Namespace + ".NetworkFibre")!;

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var e = Assert.Throws<TargetInvocationException>(() => type.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null));
            var error = Assert.IsType<InvalidDataException>(e.InnerException);
            Assert.Contains("the table data \"sigil/network.tables\" of assembly Consumer", error.Message, StringComparison.Ordinal);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }

        // Only the tables are refused: the rest of the fibre's class still loads.
        var flows = (IReadOnlyList<string>)type.GetNestedType("Members")!.GetProperty("Flow")!.GetValue(null)!;
        Assert.Equal(1000, flows.Count);
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "NaN entry", "not a finite nonzero number" },
        { "zero entry", "not a finite nonzero number" },
        { "column out of range", "out of 0 to 999 or not ascending in row 0" },
        { "huge count", "more than its remaining" },
        { "trailing bytes", "bytes after its last table" },
        { "version 2", "has format version 2" },
    };

    // A file whose header digest matches its payload (as a forger would make it) still meets the shape checks.
    [Theory]
    [MemberData(nameof(Forgeries))]
    public void ForgedDataFile_WithAMatchingDigest_IsRefusedByItsShapeChecks(string forgery, string message)
    {
        var (spec, _) = s_network.Value;
        var data = TableDataFile.Write(spec)!;
        var matrix = spec.Tables[0].Matrix!;
        var header = TableDataFile.HeaderSize + 4 + 4 + 1 + 1; // table count, name length, "R", kind
        var starts = header + 12; // rows, columns, entries
        var columns = starts + (4 * matrix.RowStarts.Count);
        var values = columns + (4 * matrix.Columns.Count);
        var forged = forgery switch
        {
            "NaN entry" => Patch(data, values, BitConverter.GetBytes(double.NaN)),
            "zero entry" => Patch(data, values + 8, BitConverter.GetBytes(0.0)),
            "column out of range" => Patch(data, columns, BitConverter.GetBytes(1000)),
            "huge count" => Patch(data, header + 8, BitConverter.GetBytes(int.MaxValue - 2)),
            "trailing bytes" => [.. data, 0, 0, 0],
            _ => Patch(data, 4, BitConverter.GetBytes(2)),
        };
        Reseal(forged);

        var e = Assert.Throws<InvalidDataException>(() => TableDataFile.Read(forged, forged.Length, TableDataFile.Digest(forged), "forged.tables"));
        Assert.StartsWith("forged.tables ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataFile_RoundTrip_GivesTheCompilersTable_AndIsDeterministic()
    {
        var (spec, _) = s_network.Value;
        var data = TableDataFile.Write(spec)!;
        Assert.Equal(data, TableDataFile.Write(spec));
        var read = TableDataFile.Read(data, data.Length, TableDataFile.Digest(data), "network.tables");
        var matrix = spec.Tables[0].Matrix!;
        Assert.Equal(["R"], read.Names);
        Assert.Equal(matrix.RowStarts.ToArray(), read.RowStarts("R"));
        Assert.Equal(matrix.Columns.ToArray(), read.EntryColumns("R"));
        Assert.Equal(matrix.Values.ToArray(), read.EntryValues("R"));
        Assert.Null(TableDataFile.Write(spec, literalLimit: int.MaxValue));
    }

    private static TableSpec Scaled(TableSpec table, double factor) =>
        table with { Matrix = table.Matrix! with { Values = table.Matrix.Values.Select(v => v * factor).ToEquatableArray() } };

    private static byte[] Flip(byte[] data, int at)
    {
        var copy = data.ToArray();
        copy[at] ^= 0x40;
        return copy;
    }

    private static byte[] Patch(byte[] data, int at, byte[] bytes)
    {
        var copy = data.ToArray();
        bytes.CopyTo(copy, at);
        return copy;
    }

    // Rewrites the header's payload length and SHA-256 to match the (forged) payload.
    private static void Reseal(byte[] file)
    {
        BitConverter.GetBytes((ulong)(file.Length - TableDataFile.HeaderSize)).CopyTo(file, 8);
        System.Security.Cryptography.SHA256.HashData(file.AsSpan(TableDataFile.HeaderSize)).CopyTo(file, 16);
    }

    private static CSharpCompilation Compile(IEnumerable<GeneratedSource> sources) =>
        GeneratorHost.NewCompilation().AddSyntaxTrees(sources.Select(static s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), path: s.HintName)));

    private static Assembly Emit(Compilation compilation, byte[]? resource, string fibre = "network")
    {
        using var stream = new MemoryStream();
        var resources = resource is null
            ? null
            : new[] { new ResourceDescription(TableDataFile.ResourceName(fibre), () => new MemoryStream(resource), isPublic: true) };
        var emit = compilation.Emit(stream, manifestResources: resources);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }

    private static (SolverResult Result, int NonZeros) Solve(Assembly assembly, string typeName = "NetworkFibre")
    {
        var type = assembly.GetType(Namespace + "." + typeName)!;
        var problem = type.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null)!;
        var coupling = (CouplingMatrix)problem.GetType().GetProperty("Coupling")!.GetValue(problem)!;
        var solve = type.GetMethods().Single(static m => m.Name == "Solve" && m.GetParameters().Length == 1);
        return ((SolverResult)solve.Invoke(null, [problem])!, coupling.NonZeroCount);
    }
}

/// <summary>
/// A fibre whose table has 10^5 nonzeros, built by a real <c>dotnet build</c> of a consumer
/// project: the build embeds the table data file, the generated C# stays small, and the built
/// assembly's <c>CreateProblem</c> reads exactly the compiler's entries back.
/// </summary>
public sealed class LargeTableBuildTests : IDisposable
{
    private const int Links = 1000;
    private const int Flows = 1000;
    private const int Hops = 100;

    private readonly string _folder = Directory.CreateTempSubdirectory("sigil-large-table-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async System.Threading.Tasks.Task HundredThousandNonzeros_RealBuild_EmbedsTheTable_AndTheGeneratedCodeStaysSmall()
    {
        var repo = GeneratorHost.RepoRoot.TrimEnd('/') + "/";
        var project = Path.Combine(_folder, "large");
        Directory.CreateDirectory(project);
        var fibre = TableDataTests.Network(Links, Flows);
        var routes = TableDataTests.Routes(Links, Flows, Hops);
        File.WriteAllText(Path.Combine(project, "network.sigil"), fibre);
        File.WriteAllText(Path.Combine(project, "routes.csv"), routes);
        File.WriteAllText(Path.Combine(project, "Large.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{{repo}}Directory.Build.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <SigilNamespace>Large</SigilNamespace>
                <SigilAutoInclude>false</SigilAutoInclude>
                <SigilNativeBuild>false</SigilNativeBuild>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <SigilBuildTaskAssembly>{{repo}}src/Sigil.Build/bin/Release/netstandard2.0/Sigil.Build.dll</SigilBuildTaskAssembly>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <SigilFibre Include="network.sigil" />
                <AdditionalFiles Include="routes.csv" />
                <ProjectReference Include="{{repo}}src/Sigil.Solvers/Sigil.Solvers.csproj" />
                <ProjectReference Include="{{repo}}src/Sigil.Generators/Sigil.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
              <Import Project="{{repo}}src/Sigil.Generators/build/Sigil.Generators.props" />
              <Import Project="{{repo}}src/Sigil.Generators/build/Sigil.Generators.targets" />
            </Project>
            """);

        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet", ["build", Path.Combine(project, "Large.csproj"), "-c", "Release", "-nologo", "-p:BuildProjectReferences=false", "-warnaserror"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project,
        };
        using var build = Process.Start(start)!;
        var reading = System.Threading.Tasks.Task.WhenAll(build.StandardOutput.ReadToEndAsync(), build.StandardError.ReadToEndAsync());
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(10));
        await build.WaitForExitAsync(timeout.Token);
        var texts = await reading;
        Assert.True(build.ExitCode == 0, texts[0] + texts[1]);
        Console.WriteLine($"large table: dotnet build took {clock.Elapsed.TotalSeconds:F0} s");

        // The generated C# names the data file and holds none of its entries.
        var solver = Directory.GetFiles(project, "NetworkFibre.Solver.g.cs", SearchOption.AllDirectories).Single();
        Assert.InRange(new FileInfo(solver).Length, 1, TableDataTests.SmallSolverFile);
        Assert.Contains("sigil/network.tables", File.ReadAllText(solver), StringComparison.Ordinal);
        var data = Directory.GetFiles(Path.Combine(project, "obj", "sigil", "network", "data"), "network.tables").Single();

        // The built assembly carries the file and reads back the compiler's entries.
        var result = SigilCompiler.Compile(new SourceFile(Path.Combine(project, "network.sigil"), fibre), relative => relative == "routes.csv" ? routes : null);
        var matrix = result.Spec!.Tables.Single().Matrix!;
        Assert.Equal(Flows * Hops, matrix.Values.Count);
        Assert.Equal(TableDataFile.Write(result.Spec), File.ReadAllBytes(data));

        var dll = Directory.GetFiles(Path.Combine(project, "bin"), "Large.dll", SearchOption.AllDirectories).Single();
        var context = new System.Runtime.Loader.AssemblyLoadContext("large-table", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            Assert.Contains(TableDataFile.ResourceName("network"), assembly.GetManifestResourceNames());
            var problem = assembly.GetType("Large.NetworkFibre")!.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null)!;
            var coupling = (CouplingMatrix)problem.GetType().GetProperty("Coupling")!.GetValue(problem)!;
            Assert.Equal(matrix.RowStarts.ToArray(), coupling.RowStart.ToArray());
            Assert.Equal(matrix.Columns.ToArray(), coupling.RowColumn.ToArray());
            Assert.Equal(matrix.Values.ToArray(), coupling.RowValue.ToArray());
        }
        finally
        {
            context.Unload();
        }
    }
}
