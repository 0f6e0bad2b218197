using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The eBPF backend: a pure function from a <see cref="FibreSpec"/> to the fibre's eBPF C
/// (<c>bpf/&lt;fibre&gt;.bpf.c</c>), the header with the layouts it shares with the daemon
/// (<c>bpf/&lt;fibre&gt;.h</c>) and the C# mirror of those layouts. No IO: the build writes the
/// files and compiles them with clang (eng/bpf.targets).
/// </summary>
/// <remarks>
/// The C and the C# both come from one <see cref="BpfPlan"/>, so every map key and value has
/// the same size and offsets on both sides; the tests check it against the BTF clang writes.
/// The shared header <c>bpf/sigil_fixed.h</c> holds the fixed-point price update; the
/// generated programs include it, and so does the host build that checks the C# mirror.
/// </remarks>
public static class BpfEmitter
{
    /// <summary>The artefact target name.</summary>
    public const string Target = "bpf";

    /// <summary>
    /// Binary digits after the point of the exported price maps the daemon writes (a price p is
    /// stored as round(p * 2^DaemonPriceScaleBits)) when the fibre keeps no price in the kernel.
    /// </summary>
    public const int DaemonPriceScaleBits = FixedPointSpec.DefaultScaleBits;

    /// <summary>True when the fibre has a kernel side (sensors or a kernel price); others emit nothing.</summary>
    public static bool IsApplicable(FibreSpec spec) => BpfModelBuilder.IsApplicable(spec);

    /// <summary>
    /// What in <paramref name="spec"/> the eBPF backend cannot express, each a SIG3xxx problem at
    /// the fibre statement; empty when <see cref="Emit"/> will succeed (or has nothing to emit).
    /// The compiler runs this check (Analysis/TargetLimitAnalyzer), so a spec it returns passes it.
    /// </summary>
    public static IReadOnlyList<TargetProblem> Check(FibreSpec spec)
    {
        var problems = new TargetProblems();
        if (IsApplicable(spec))
        {
            BpfModelBuilder.Build(spec, problems);
        }

        return problems.Items;
    }

    /// <summary>
    /// The fibre's eBPF artefacts, sorted by path: <c>bpf/&lt;fibre&gt;.bpf.c</c>,
    /// <c>bpf/&lt;fibre&gt;.bpf.json</c> (the descriptor, <see cref="Describe"/>) and
    /// <c>bpf/&lt;fibre&gt;.h</c>; none when the fibre has no kernel side.
    /// </summary>
    /// <exception cref="NotSupportedException">The fibre needs what the backend cannot express (see <see cref="Check"/>).</exception>
    public static IReadOnlyList<Artefact> Emit(FibreSpec spec, IEnumerable<KeyValuePair<string, string>>? fibreFiles = null)
    {
        if (!IsApplicable(spec))
        {
            return Array.Empty<Artefact>();
        }

        var plan = Plan(spec);
        return new[]
        {
            new Artefact(Target, $"bpf/{plan.Model.SourceName}", Render(plan.Model.Behaviour is null ? BpfTemplates.Source : BpfTemplates.Behaviour, plan.Model)),
            new Artefact(Target, $"bpf/{plan.Model.HeaderName}", Render(BpfTemplates.Header, plan.Model)),
            new Artefact(Target, BpfDescriptorFile.RelativePath(plan.Model.Fibre), BpfDescriptorFile.Write(Describe(spec, fibreFiles))),
        }.OrderBy(static a => a.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Empty programs on the same tracepoints as the fibre's programs, with the same names
    /// (<c>bpf/&lt;fibre&gt;_baseline.bpf.c</c>): benchmarks attach them to measure the floor.
    /// </summary>
    public static Artefact EmitBaseline(FibreSpec spec)
    {
        var plan = Plan(spec);
        return new Artefact(Target, $"bpf/{plan.Model.Fibre}_baseline.bpf.c", Render(BpfTemplates.Baseline, plan.Model));
    }

    /// <summary>Every struct of the fibre's header, the shared ones first, in header order.</summary>
    public static IReadOnlyList<BpfStructLayout> Layouts(FibreSpec spec) =>
        BpfCommonLayouts.Structs.Concat(Plan(spec).FibreStructs).ToList();

    /// <summary>
    /// The kernel-facing facts of the fibre's eBPF object: what its descriptor file
    /// (<see cref="BpfDescriptorFile"/>) holds. <paramref name="fibreFiles"/> are the files it was
    /// compiled from (path relative to its folder, text), recorded by SHA-256.
    /// </summary>
    public static BpfObjectDescription Describe(FibreSpec spec, IEnumerable<KeyValuePair<string, string>>? fibreFiles = null)
    {
        var plan = Plan(spec);
        var model = plan.Model;
        var layouts = BpfCommonLayouts.Structs.Concat(plan.FibreStructs).ToDictionary(static l => "struct " + l.CName, static l => l.Size, StringComparer.Ordinal);
        return new BpfObjectDescription(
            BpfDescriptorFile.FormatVersion,
            model.Fibre,
            model.ObjectName,
            plan.AgentKey,
            plan.StateMap,
            model.StatsMap,
            model.ControlMap,
            model.AllowMap,
            model.ScopeMap,
            model.EventsMap,
            model.WakeMap.Length == 0 ? null : model.WakeMap,
            plan.PriceMap.Length == 0 ? null : plan.PriceMap,
            model.Behaviour?.MemberMap,
            plan.ScaleBits,
            model.Price is null ? null : spec.FixedPoint,
            plan.ThrottlePrice,
            plan.KillPrice,
            model.Programs.Select(p => p.Name).ToEquatableArray(),
            model.Maps.Select(m => new BpfMapDescription(m.Name, m.Type, m.MaxEntries, m.Key, SizeOf(m.Key, layouts), m.Value, SizeOf(m.Value, layouts))).ToEquatableArray(),
            BpfDescriptorFile.Digests(fibreFiles));
    }

    /// <summary>The hint name of <see cref="EmitCSharp"/>'s output: <c>&lt;Fibre&gt;.Bpf.g.cs</c>.</summary>
    public static string CSharpHintName(FibreSpec spec) => $"{BpfNames.ToPascalCase(spec.Name)}.Bpf.g.cs";

    /// <summary>
    /// The C# side of the fibre's eBPF object in <paramref name="namespace"/>: a static class
    /// <c>&lt;Fibre&gt;Bpf</c> with the map and tunable names, and one struct per fibre struct of the
    /// header. The object's names and constants for the runtime are in its descriptor file
    /// (<see cref="Describe"/>), not here.
    /// The shared structs live in <c>Sigil.Runtime.Bpf</c> (<see cref="EmitCommonCSharp"/>).
    /// </summary>
    public static string EmitCSharp(FibreSpec spec, string @namespace)
    {
        var plan = Plan(spec);
        var model = plan.Model;
        var name = BpfNames.ToPascalCase(model.Fibre) + "Bpf";
        var w = new BpfCSharpWriter();
        w.Header(@namespace);
        w.Line();
        w.Summary($"The eBPF object of the fibre {model.Fibre} ({model.ObjectName}, generated from {model.SourceFile}): its maps, tunables and defaults.");
        w.Line(w.GeneratedCodeAttribute);
        w.Open($"public static partial class {name}");
        w.Summary("The object file the build writes.");
        w.Line($"public const string ObjectFile = {BpfCSharpWriter.String(model.ObjectName)};");
        foreach (var map in model.Maps)
        {
            w.Line();
            w.Summary($"Map {map.Name}: {map.Comment}.");
            var member = map.Name.StartsWith(model.Fibre + "_", StringComparison.Ordinal) ? map.Name.Substring(model.Fibre.Length + 1) : map.Name;
            w.Line($"public const string {BpfNames.ToPascalCase(member)}Map = {BpfCSharpWriter.String(map.Name)};");
        }

        w.Line();
        w.Summary("Names of the const volatile tunables, set before load.");
        w.Open("public static class Tunables");
        for (var i = 0; i < plan.Tunables.Count; i++)
        {
            var tunable = plan.Tunables[i];
            if (i > 0)
            {
                w.Line();
            }

            w.Summary($"{tunable.CName} ({BpfModelBuilder.CType(tunable.Type)}): {tunable.Comment}; default {tunable.Value.ToString(CultureInfo.InvariantCulture)}.");
            w.Line($"public const string {tunable.CSharpName} = {BpfCSharpWriter.String(tunable.CName)};");
        }

        w.Close();
        w.Close();
        foreach (var layout in plan.FibreStructs)
        {
            w.Struct(layout, $"struct {layout.CName} of {model.HeaderName}: {layout.Comment}.");
        }

        return w.ToString();
    }

    /// <summary>
    /// The C# mirror of the layouts every fibre shares (<see cref="BpfCommonLayouts"/>), in the
    /// namespace <c>Sigil.Runtime.Bpf</c>: the runtime's <c>Bpf/SigilBpfLayouts.g.cs</c> is this
    /// text, and a test keeps it so.
    /// </summary>
    public static string EmitCommonCSharp()
    {
        var w = new BpfCSharpWriter();
        w.Header("Sigil.Runtime.Bpf");
        foreach (var layout in BpfCommonLayouts.Structs)
        {
            w.Struct(layout, $"struct {layout.CName} of every fibre's header: {layout.Comment}.");
        }

        foreach (var layout in BpfCommonLayouts.Enums)
        {
            w.Enum(layout);
        }

        return w.ToString();
    }

    // The size of a map's key or value C type: a scalar, or a struct of the fibre's header.
    private static int SizeOf(string cType, Dictionary<string, int> layouts) => cType switch
    {
        "" => 0,
        "int" or "__u32" or "__s32" => 4,
        "__u64" or "__s64" => 8,
        _ when layouts.TryGetValue(cType, out var size) => size,
        _ => throw new InvalidOperationException($"no layout for the map type '{cType}'"),
    };

    private static BpfPlan Plan(FibreSpec spec)
    {
        var problems = new TargetProblems();
        var plan = BpfModelBuilder.Build(spec, problems);
        if (plan is null)
        {
            throw new NotSupportedException($"fibre {spec.Name}: the eBPF backend cannot build it: " + string.Join("; ", problems.Items.Select(static p => p.Message)));
        }

        return plan;
    }

    private static string Render(string template, BpfFibreModel model)
    {
        var text = BpfTemplates.Render(template, model);
        return text.TrimEnd('\n') + "\n";
    }
}
