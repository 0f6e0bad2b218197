using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using Sigil.Language.Analysis;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// Plans a behaviour program: a fibre whose agents are process trees (<c>index a by tree</c>) and
/// whose sensors count file events (<c>files(file:overwrite, ...)</c>, <c>bytes(file:write)</c>).
/// The kernel keeps the price of the one exported resource whose row those sensors load, as a
/// weighted sum, and kills at the kill price. Problems are sentences quoting the fibre, as in
/// <see cref="BpfModelBuilder"/>.
/// </summary>
/// <remarks>
/// The object it plans, for <c>ransomware</c>:
/// <code>
/// maps:      price_damage (root -> price), ransomware_agent (root -> state), ransomware_members (tgid -> root),
///            ransomware_files ((dev, root, ino) -> what the agent did), ransomware_boundary,
///            ransomware_classes (exe -> weight), _cgroup_classes (cgroup id -> weight), _allow_exes,
///            _allow_cgroups, _stats, _control, _allow, _scope, _events, _wake
/// programs:  handle_fork (tp_btf/task_newtask), handle_da_write_begin, handle_write_begin, handle_dirty_folio,
///            handle_change (writeback_mark_inode_dirty), handle_truncate, handle_read, handle_unlink, handle_evict
/// </code>
/// </remarks>
internal static class BpfBehaviourBuilder
{
    /// <summary>File facts kept per agent: the file map holds capacity * this many entries.</summary>
    internal const int FilesPerAgent = 64;

    /// <summary>The largest file map.</summary>
    internal const int FileMapMax = 1 << 20;

    /// <summary>Executables with a class weight.</summary>
    internal const int ClassCapacity = 256;

    /// <summary>Boundary set capacity (tgids whose children root new agents).</summary>
    internal const int BoundaryCapacity = 1024;

    /// <summary>True when the fibre senses file behaviour (a files or bytes sensor, or an index by tree).</summary>
    public static bool Applies(FibreSpec spec) =>
        spec.Sensors.Any(static s => s.Kind is SensorKind.Files or SensorKind.Bytes) || spec.Indices.Any(static i => i.Key == KernelKey.Tree);

    /// <summary>The plan, or null with the problems that prevent one.</summary>
    public static BpfPlan? Build(FibreSpec spec, TargetProblems problems)
    {
        var fibre = spec.Name;
        if (!BpfNames.IsIdentifier(fibre))
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", fibre, "its name is not a C identifier");
            return null;
        }

        var sensors = spec.Sensors.ToList();
        var wrong = sensors.FirstOrDefault(static s => s.Kind is not (SensorKind.Files or SensorKind.Bytes));
        if (wrong is not null)
        {
            problems.Add(new SpecSite(SpecSiteKind.Sensor, sensors.IndexOf(wrong)), DiagnosticDescriptors.KernelSensor, Quote(wrong.Statement), "a fibre over file behaviour senses files(...) and bytes(...) only");
            return null;
        }

        var indexNames = sensors.Select(s => spec.Variables.First(v => v.Name == s.Variable).IndexSets[0]).Distinct().ToList();
        var index = indexNames.Count == 1 ? spec.Indices.FirstOrDefault(i => i.Name == indexNames[0]) : null;
        if (index is null || index.Key != KernelKey.Tree)
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", fibre, "a behaviour fibre senses one index by tree (index agent by tree;), the process trees its sensors see");
            return null;
        }

        if (!BpfNames.IsIdentifier(index.Name) || sensors.Any(s => !BpfNames.IsIdentifier(s.Variable)))
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", fibre, "the agent index and sensed variables need C identifiers as names");
            return null;
        }

        if (index.Capacity <= 0 || index.Capacity > (1 << 24))
        {
            problems.Add(new SpecSite(SpecSiteKind.Index, BpfModelBuilder.IndexOf(spec.Indices, index)), DiagnosticDescriptors.TargetLimit, "eBPF", fibre, $"the index {index.Name} needs a capacity between 1 and {1 << 24} (index {index.Name} by tree max N;)");
            return null;
        }

        // The priced row: the one exported resource whose row loads the sensed variables.
        var sensed = sensors.ToDictionary(static s => s.Variable, StringComparer.Ordinal);
        var rows = spec.Couplings.Where(c => c.Resource is not null && c.Terms.Any(t => sensed.ContainsKey(t.Variable))).ToList();
        if (rows.Count != 1)
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", fibre, $"a behaviour fibre prices one resource in the kernel from its sensors; {rows.Count} rows load them");
            return null;
        }

        var row = rows[0];
        var resourceName = row.Resource!;
        var rowSite = new SpecSite(SpecSiteKind.Row, BpfModelBuilder.IndexOf(spec.Couplings, row));
        var export = spec.PriceExports.FirstOrDefault(e => e.Resource == resourceName);
        var resource = spec.Resources.FirstOrDefault(r => r.Name == resourceName);
        if (export is null || !BpfNames.IsIdentifier(export.MapName))
        {
            problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, $"the kernel keeps it: export it by name (^{resourceName} -> map price_{resourceName};)");
            return null;
        }

        if (resource is null || !resource.IndexSets.SequenceEqual(new[] { index.Name }) || row.Sense != RowSense.LessOrEqual || !row.Rhs.IsConstant || row.Rhs.Constant < 0)
        {
            problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, $"the kernel prices @{resourceName}[{index.Name}] >= a weighted sum of sensed rates, with a constant budget of at least 0");
            return null;
        }

        var solver = spec.Solver;
        if (solver.Method != SolverMethod.Dual || !solver.Online)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.KernelPrice, resourceName, "a kernel price is the online dual update (solve dual { step = ...; online; })");
            return null;
        }

        var nanoseconds = sensors.Select(static s => s.NanosecondsPerUnit).Distinct().ToList();
        if (nanoseconds.Count != 1)
        {
            problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, "every sensed rate of one row has the same time unit");
            return null;
        }

        var actions = spec.Actuators.Where(a => a.Resource == resourceName).ToList();
        var kill = actions.FirstOrDefault(static a => a.Kind == ActuatorKind.Kill);
        var freeze = actions.FirstOrDefault(static a => a.Kind == ActuatorKind.Freeze);
        if (actions.Count == 0 || actions.Count > 2 || actions.Any(static a => a.Kind is not (ActuatorKind.Kill or ActuatorKind.Freeze)) || actions.Count(static a => a.Kind == ActuatorKind.Kill) > 1
            || actions.Count(static a => a.Kind == ActuatorKind.Freeze) > 1 || actions.Any(static a => !(a.Threshold > 0)))
        {
            problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, $"a behaviour fibre acts on it with 'act kill when ^{resourceName}[a] >= price;', 'act freeze when ^{resourceName}[a] >= price;' or both, each once and above 0 (throttle is too late for file damage)");
            return null;
        }

        var scaleBits = FixedPointSpec.DefaultScaleBits;
        var scale = Math.Pow(2, scaleBits);
        var perSecond = 1e9 / nanoseconds[0];
        var drainPerSecond = Math.Round(solver.Step * row.Rhs.Constant * perSecond * scale, MidpointRounding.AwayFromZero);
        // 0: no such rule (the kernel then never stops that way).
        var killThreshold = kill?.Threshold ?? 0;
        var freezeThreshold = freeze?.Threshold ?? 0;
        var priceMax = Math.Max(1e6, 4 * Math.Max(killThreshold, freezeThreshold));
        if (drainPerSecond >= 8.5e9 || priceMax * scale >= 9e18)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.KernelPrice, resourceName, "step * budget and the price bound must fit the kernel's 64-bit fixed point; lower them");
            return null;
        }

        var stateStruct = $"{fibre}_{index.Name}_state";
        var stateMap = $"{fibre}_{index.Name}";
        var state = new BpfLayoutBuilder(stateStruct, $"per-agent state of the index {index.Name}, keyed by the root tgid of a process tree")
            .Add("start_time", BpfScalarType.U64, "the root's start time: tells a reused root tgid")
            .Add("last_ns", BpfScalarType.U64, "when the price last drained (bpf_ktime_get_ns)");
        var tunables = new List<BpfTunablePlan>
        {
            BpfModelBuilder.Tunable("fx_drain_per_s", BpfScalarType.S64, (long)drainPerSecond, $"step * budget per second, {BpfNames.Number(solver.Step)} * {BpfNames.Number(row.Rhs.Constant)} per {BpfNames.Number(nanoseconds[0])} ns"),
            BpfModelBuilder.Tunable("fx_price_max", BpfScalarType.S64, (long)Math.Round(priceMax * scale), "prices saturate here"),
            BpfModelBuilder.Tunable("kill_price", BpfScalarType.S64, (long)Math.Round(killThreshold * scale), $"default kill price, {BpfNames.Number(killThreshold)} (0: no kill rule); the control map may override it"),
            BpfModelBuilder.Tunable("freeze_price", BpfScalarType.S64, (long)Math.Round(freezeThreshold * scale), $"freeze price, {BpfNames.Number(freezeThreshold)} (0: no freeze rule)"),
        };

        var terms = new Dictionary<string, List<BpfTermModel>>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sensors.Count; i++)
        {
            var sensor = sensors[i];
            var v = sensor.Variable;
            var term = row.Terms.FirstOrDefault(t => t.Variable == v);
            state.Add($"{v}_total", BpfScalarType.U64, $"${v}: events (or bytes) sensed")
                .Add($"{v}_samples", BpfScalarType.U64, $"${v}: events sensed");
            if (term is null)
            {
                continue;
            }

            if (!term.Coefficient.IsConstant || term.Coefficient.Constant < 0 || !term.Sums.IsEmpty)
            {
                problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, $"${v} has a weight that is not one number of at least 0");
                return null;
            }

            var variable = spec.Variables.First(x => x.Name == v);
            var shift = sensor.Kind == SensorKind.Bytes ? ByteShift(variable.Unit) : 0;
            var weight = Math.Round(solver.Step * term.Coefficient.Constant * scale, MidpointRounding.AwayFromZero);
            if (weight >= 2147483648.0)
            {
                problems.Add(rowSite, DiagnosticDescriptors.KernelPrice, resourceName, $"step * the weight of ${v} is {BpfNames.Number(weight / scale)}; the kernel needs it below 2048");
                return null;
            }

            var name = $"w_{v}";
            tunables.Add(BpfModelBuilder.Tunable(name, BpfScalarType.S64, (long)weight, $"step * the weight of ${v}, {BpfNames.Number(solver.Step)} * {BpfNames.Number(term.Coefficient.Constant)}, per {(shift == 0 ? "event" : $"2^{shift} bytes")}"));
            foreach (var e in sensor.Tracepoints)
            {
                if (!terms.TryGetValue(e.Event, out var list))
                {
                    terms[e.Event] = list = new List<BpfTermModel>();
                    numbers[e.Event] = i;
                }

                list.Add(new BpfTermModel { Statement = Quote(sensor.Statement), Variable = v, Weight = name, Shift = shift });
            }
        }

        var events = FileEvents.All.Where(e => terms.ContainsKey(e.Name)).Select(e => new BpfFileEventModel
        {
            Name = e.Name,
            Meaning = BpfNames.CommentText(e.Meaning),
            Number = numbers[e.Name],
            Terms = terms[e.Name],
        }).ToList();

        var member = new BpfLayoutBuilder($"{fibre}_member", "a process's agent: the root of its tree")
            .Add("root", BpfScalarType.U32, "the root's tgid")
            .Add("pad", BpfScalarType.U32, "padding")
            .Add("root_start", BpfScalarType.U64, "the root's start time")
            .Add("self_start", BpfScalarType.U64, "this process's start time: tells a reused tgid")
            .Build();
        var fileKey = new BpfLayoutBuilder($"{fibre}_file_key", "a file as one agent knows it")
            .Add("dev", BpfScalarType.U32, "the file system's device")
            .Add("root", BpfScalarType.U32, "the agent's root tgid")
            .Add("ino", BpfScalarType.U64, "the inode number")
            .Build();
        var exeKey = new BpfLayoutBuilder($"{fibre}_exe_key", "an executable file, the key of a class")
            .Add("dev", BpfScalarType.U32, "the file system's device")
            .Add("pad", BpfScalarType.U32, "padding")
            .Add("ino", BpfScalarType.U64, "the inode number")
            .Build();
        var taskCache = new BpfLayoutBuilder($"{fibre}_task", "a task's cache: its agent, and the last settled file it met")
            .Add("root", BpfScalarType.U32, "the agent's root tgid; 0 until the task's first event")
            .Add("file_dev", BpfScalarType.U32, "the settled file's device")
            .Add("root_start", BpfScalarType.U64, "the root's start time")
            .Add("file_ino", BpfScalarType.U64, "the settled file's inode number (filled or counted: its facts never change)")
            .Add("pending", BpfScalarType.U64, "bytes written by the task and not yet priced (under one batch)")
            .Build();
        var stateLayout = state.Build();
        var fibreStructs = new List<BpfStructLayout> { stateLayout, member, fileKey, exeKey, taskCache };

        var capacity = index.Capacity;
        var common = CommonMaps.Of(fibre, wake: true);
        var memberMap = $"{fibre}_members";
        var boundaryMap = $"{fibre}_boundary";
        var fileMap = $"{fibre}_files";
        var classMap = $"{fibre}_classes";
        var cgroupClassMap = $"{fibre}_cgroup_classes";
        var allowExeMap = $"{fibre}_allow_exes";
        var allowCgroupMap = $"{fibre}_allow_cgroups";
        var taskMap = $"{fibre}_tasks";
        var maps = new List<BpfMapModel>
        {
            BpfModelBuilder.Map(export.MapName, $"^{resourceName}: the price by root tgid, fixed point (value * 2^{scaleBits}); exported", "BPF_MAP_TYPE_LRU_HASH", capacity, "__u32", "__s64"),
            BpfModelBuilder.Map(stateMap, "per-agent state, keyed by root tgid; the least recently used goes first", "BPF_MAP_TYPE_LRU_HASH", capacity, "__u32", $"struct {stateStruct}"),
            BpfModelBuilder.Map(memberMap, "each process forked since load: its agent", "BPF_MAP_TYPE_LRU_HASH", (long)capacity * 8, "__u32", $"struct {member.CName}"),
            BpfModelBuilder.Map(boundaryMap, "tgids whose children root new agents (besides pid 1 and the daemon)", "BPF_MAP_TYPE_HASH", BoundaryCapacity, "__u32", "__u32"),
            BpfModelBuilder.Map(fileMap, "what each agent did to each file: FILE_FILLED, FILE_READ, FILE_COUNTED", "BPF_MAP_TYPE_LRU_HASH", Math.Min(FileMapMax, (long)capacity * FilesPerAgent), $"struct {fileKey.CName}", "__u32"),
            BpfModelBuilder.Map(classMap, $"executables with a class weight (fixed point, 2^{scaleBits} is 1): archivers, compilers, databases; 0 spares them", "BPF_MAP_TYPE_HASH", ClassCapacity, $"struct {exeKey.CName}", "__s64"),
            BpfModelBuilder.Map(cgroupClassMap, $"cgroup v2 ids with a class weight (fixed point, 2^{scaleBits} is 1), covering their descendants", "BPF_MAP_TYPE_HASH", ClassCapacity, "__u64", "__s64"),
            BpfModelBuilder.Map(allowExeMap, "executables whose processes are never signalled nor frozen", "BPF_MAP_TYPE_HASH", ClassCapacity, $"struct {exeKey.CName}", "__u32"),
            BpfModelBuilder.Map(allowCgroupMap, "cgroup v2 ids whose processes (and their descendants') are never signalled nor frozen", "BPF_MAP_TYPE_HASH", ClassCapacity, "__u64", "__u32"),
            new BpfMapModel
            {
                Name = taskMap,
                Comment = "each task's agent and last settled file, freed with the task",
                Type = "BPF_MAP_TYPE_TASK_STORAGE",
                Key = "int",
                Value = $"struct {taskCache.CName}",
                Attributes = new[]
                {
                    "__uint(type, BPF_MAP_TYPE_TASK_STORAGE);",
                    "__uint(map_flags, BPF_F_NO_PREALLOC);",
                    "__type(key, int);",
                    $"__type(value, struct {taskCache.CName});",
                },
            },
        };

        maps.AddRange(common.Models("tgids (or agent roots)", "agent roots", "kill"));

        var programs = new List<BpfProgramModel>
        {
            Program("tp_btf/task_newtask", "handle_fork"),
            Program("tp_btf/ext4_da_write_begin", "handle_da_write_begin"),
            Program("tp_btf/ext4_write_begin", "handle_write_begin"),
            Program("tp_btf/writeback_dirty_folio", "handle_dirty_folio"),
            Program("tp_btf/ext4_truncate_enter", "handle_truncate"),
            Program("tp_btf/mm_filemap_get_pages", "handle_read"),
            Program("tp_btf/ext4_unlink_enter", "handle_unlink"),
            Program("tp_btf/ext4_evict_inode", "handle_evict"),
        };

        // The first sign of a change (mtime stamped before any byte is copied) stops the write that
        // would reach the stop price before it lands; it exists where overwrites are priced.
        if (terms.ContainsKey("overwrite"))
        {
            programs.Insert(4, Program("tp_btf/writeback_mark_inode_dirty", "handle_change"));
        }

        var summary = sensors.Select((s, i) => $"sensor {i.ToString(CultureInfo.InvariantCulture)}: {Quote(s.Statement)}").ToList();
        summary.Add($"price:    ^{resourceName} in the kernel, fixed point: {Quote(row.Statement)}");
        if (kill is not null)
        {
            summary.Add($"kill:     {Quote(kill.Statement)} (SIGKILL from the kernel at the damaging event, only while armed)");
        }

        if (freeze is not null)
        {
            summary.Add($"freeze:   {Quote(freeze.Statement)} (SIGSTOP from the kernel at the damaging event, only while armed; the daemon freezes the agent's cgroup)");
        }


        var model = new BpfFibreModel
        {
            Fibre = fibre,
            SourceFile = BpfNames.CommentText(spec.SourceFileName),
            Summary = summary,
            Enums = BpfModelBuilder.EnumModels(),
            Structs = BpfCommonLayouts.Structs.Concat(fibreStructs).Select(BpfModelBuilder.StructModel).ToList(),
            Tunables = tunables.Select(BpfModelBuilder.TunableModel).ToList(),
            Maps = maps,
            Common = common,
            Agent = new BpfAgentModel
            {
                Index = index.Name,
                IsProcess = true,
                KeyField = "root",
                KeyExpr = "root",
                StartTimePath = "group_leader->start_time",
                StateStruct = stateStruct,
                StateMap = stateMap,
                Noun = "process tree",
            },
            Programs = programs,
            Behaviour = new BpfBehaviourModel
            {
                Resource = resourceName,
                PriceMap = export.MapName,
                ScaleBits = scaleBits,
                CoupleStatement = Quote(row.Statement),
                SolveStatement = Quote(solver.Statement),
                KillStatement = kill is null ? "no kill rule" : Quote(kill.Statement),
                FreezeStatement = freeze is null ? "no freeze rule" : Quote(freeze.Statement),
                MemberMap = memberMap,
                MemberStruct = member.CName,
                BoundaryMap = boundaryMap,
                FileMap = fileMap,
                FileKeyStruct = fileKey.CName,
                TaskMap = taskMap,
                TaskStruct = taskCache.CName,
                ClassMap = classMap,
                ExeKeyStruct = exeKey.CName,
                CgroupClassMap = cgroupClassMap,
                AllowExeMap = allowExeMap,
                AllowCgroupMap = allowCgroupMap,
                HasCgroupClasses = spec.Classes.Any(static c => !c.Members.Cgroups.IsEmpty),
                Events = events,
                HasWrite = terms.ContainsKey("write"),
                HasFill = terms.ContainsKey("fill"),
                HasOverwrite = terms.ContainsKey("overwrite"),
                HasTruncate = terms.ContainsKey("truncate"),
                HasRemove = terms.ContainsKey("remove"),
            },
        };

        return new BpfPlan
        {
            Model = model,
            FibreStructs = fibreStructs,
            Tunables = tunables,
            PriceMap = export.MapName,
            StateMap = stateMap,
            AgentKey = "tree",
            ScaleBits = scaleBits,
            KillPrice = kill is null ? null : (long)Math.Round(killThreshold * scale),
        };
    }

    // Bytes per unit of a rate in B, KiB, MiB or GiB per time unit, as a power of two.
    private static int ByteShift(UnitSpec unit) => unit.Factors.FirstOrDefault(static f => f.Power == 1)?.Name switch
    {
        "KiB" => 10,
        "MiB" => 20,
        "GiB" => 30,
        _ => 0,
    };

    private static string Quote(string statement) => BpfNames.CommentText(statement);

    private static BpfProgramModel Program(string section, string name) => new() { Section = section, Name = name, Context = "void" };
}
