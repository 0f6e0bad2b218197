using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// Turns a <see cref="FibreSpec"/> into a <see cref="BpfPlan"/>: which maps, structs, tunables
/// and programs the fibre's eBPF object has. Anything the backend cannot express is reported as
/// a problem (a sentence naming the fibre statement) instead of emitting wrong C.
/// </summary>
/// <remarks>
/// The object it plans, for <c>dwell</c>:
/// <code>
/// maps:      price_dwell (tgid -> price), dwell_task (tgid -> state), dwell_hold_open ((tgid, fd) -> span),
///            dwell_hold_pend (task storage: pending openat), dwell_stats, dwell_control, dwell_allow, dwell_events
/// programs:  handle_hold_open_enter/exit (syscalls:sys_enter/exit_openat), handle_hold_close
///            (syscalls:sys_enter_close), handle_exit (sched:sched_process_exit)
/// </code>
/// </remarks>
internal static class BpfModelBuilder
{
    /// <summary>Span entries per agent: the open-file map holds capacity * this many entries.</summary>
    internal const int SpansPerAgent = 8;

    /// <summary>Allow-list capacity (tgids).</summary>
    internal const int AllowListCapacity = 1024;

    /// <summary>Scope set capacity (tgids a scoped daemon senses).</summary>
    internal const int ScopeCapacity = 256;

    /// <summary>Ring buffer size in bytes (a power of two, a multiple of the page size).</summary>
    internal const int RingBufferBytes = 1 << 20;

    /// <summary>The wake ring's size: one page, the smallest ring buffer.</summary>
    internal const int WakeRingBytes = 4096;

    /// <summary>True when the fibre has a kernel side: sensors or a kernel price.</summary>
    public static bool IsApplicable(FibreSpec spec) => !spec.Sensors.IsEmpty || spec.FixedPoint is not null;

    /// <summary>The plan, or null with the problems that prevent one.</summary>
    public static BpfPlan? Build(FibreSpec spec, TargetProblems problems)
    {
        if (LongestStructName(spec) is { } tooLong)
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", spec.Name, $"the C struct name '{BpfNames.CommentText(tooLong)}' made from its names is longer than 64 characters; shorten the fibre's, its index's or its sensed variable's name");
            return null;
        }

        if (BpfBehaviourBuilder.Applies(spec))
        {
            return BpfBehaviourBuilder.Build(spec, problems);
        }

        // freeze stops a process at a damaging file event: only the behaviour program has such events.
        for (var i = 0; i < spec.Actuators.Count; i++)
        {
            if (spec.Actuators[i].Kind == ActuatorKind.Freeze)
            {
                problems.Add(Site(SpecSiteKind.Actuator, i), DiagnosticDescriptors.KernelAction, Quote(spec.Actuators[i].Statement), "freeze stops an agent at a damaging file event, which only a behaviour fibre senses (index ... by tree, files(...) and bytes(...) sensors)");
            }
        }

        var fibre = spec.Name;
        if (!BpfNames.IsIdentifier(fibre))
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", fibre, "its name is not a C identifier");
            return null;
        }

        var agent = FindAgent(spec, problems);
        if (agent is null)
        {
            return null;
        }

        var (index, isProcess) = agent.Value;
        var keyField = isProcess ? "tgid" : "tid";
        var keyExpr = isProcess ? "(__u32)task->tgid" : "(__u32)task->pid";
        var stateStruct = $"{fibre}_{index.Name}_state";
        var stateMap = $"{fibre}_{index.Name}";
        var capacity = index.Capacity;

        // The agent's state: when it started (to tell a reused key), then per sensor the last
        // sample, the running total and the count, and for fd spans the open count and top fd.
        var state = new BpfLayoutBuilder(stateStruct, $"per-{(isProcess ? "process" : "thread")} state of the index {index.Name}, keyed by {keyField}")
            .Add("start_time", BpfScalarType.U64, isProcess ? "the process's start time (group leader)" : "the thread's start time");
        var fibreStructs = new List<BpfStructLayout>();
        var sensors = new List<BpfSensorModel>();
        var maps = new List<BpfMapModel>();
        var programs = new List<BpfProgramModel>();

        // Who named each map: a fibre statement (site) or the backend itself (null), and what the map is.
        var claims = new List<(string Name, SpecSite? Site, string What)>();
        var priced = PricedVariable(spec, problems);

        for (var i = 0; i < spec.Sensors.Count; i++)
        {
            var sensor = spec.Sensors[i];
            var site = Site(SpecSiteKind.Sensor, i);
            var v = sensor.Variable;
            if (!BpfNames.IsIdentifier(v))
            {
                problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"the sensed variable '{BpfNames.CommentText(v)}' is not a C identifier");
                continue;
            }

            if (sensors.Any(s => s.Variable == v))
            {
                problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"${v} already has a sensor; the kernel keeps one sensor per variable");
                continue;
            }

            var unit = sensor.Kind == SensorKind.Count ? "events" : "kernel ns";
            state.Add($"{v}_last", BpfScalarType.U64, $"${v}: the last sample ({unit})")
                .Add($"{v}_total", BpfScalarType.U64, $"${v}: the sum of samples ({unit})")
                .Add($"{v}_samples", BpfScalarType.U64, $"${v}: the number of samples");

            var keyword = isProcess ? "pid" : "tid";
            var draft = new BpfSensorModel
            {
                Number = i,
                Variable = v,
                Statement = Quote(sensor.Statement),
                IsPriced = priced == v,
                Unit = unit,
                StateStruct = stateStruct,
                StateMap = stateMap,
                KeyField = keyField,
                KeyExpr = keyExpr,
            };

            switch (sensor.Kind)
            {
                case SensorKind.Span:
                    if (!sensor.Keys.SequenceEqual(new[] { keyword, "fd" }))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"a span in the kernel is keyed by ({keyword}, fd), the key of index {index.Name} and the file descriptor");
                        continue;
                    }

                    if (sensor.Tracepoints.Count != 2 || !IsSyscallEnter(sensor.Tracepoints[0]) || !IsSyscallEnter(sensor.Tracepoints[1]))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"a span keyed by fd opens at a syscalls:sys_enter_* tracepoint (its sys_exit_* gives the fd) and closes at a syscalls:sys_enter_* tracepoint whose first argument is the fd");
                        continue;
                    }

                    state.Add($"{v}_fd_bound", BpfScalarType.U32, $"${v}: one past the highest fd opened, 0 for none (the exit sweep's bound)");
                    var key = new BpfLayoutBuilder($"{fibre}_{v}_key", $"${v}: an open span's key")
                        .Add(keyField, BpfScalarType.U32, isProcess ? "process" : "thread")
                        .Add("fd", BpfScalarType.S32, "file descriptor")
                        .Build();
                    var span = new BpfLayoutBuilder($"{fibre}_{v}_span", $"${v}: the span of one fd; kept after its close, for reuse")
                        .Add("open_ns", BpfScalarType.U64, "when the open began (bpf_ktime_get_ns); 0 once closed")
                        .Add("start_time", BpfScalarType.U64, "the opener's start time: a reused key does not match")
                        .Add("charged", BpfScalarType.S64, "the hold beyond the budget (fixed point) the hold timer has charged to the price; -1 once closed")
                        .Build();
                    var pending = new BpfLayoutBuilder($"{fibre}_{v}_pending", $"${v}: per thread, an open between syscall entry and exit")
                        .Add("enter_ns", BpfScalarType.U64, "when the open began; zero when none is pending")
                        .Add("fd_bound", BpfScalarType.U32, "the process's fd bound as this thread last raised it")
                        .Build();
                    fibreStructs.Add(key);
                    fibreStructs.Add(span);
                    fibreStructs.Add(pending);
                    draft.IsSpan = true;
                    draft.OpenEnter = sensor.Tracepoints[0].Event;
                    draft.OpenExit = "sys_exit_" + sensor.Tracepoints[0].Event.Substring("sys_enter_".Length);
                    draft.CloseEnter = sensor.Tracepoints[1].Event;
                    draft.KeyStruct = key.CName;
                    draft.SpanStruct = span.CName;
                    draft.PendingStruct = pending.CName;
                    draft.OpenMap = $"{fibre}_{v}_open";
                    draft.PendingMap = $"{fibre}_{v}_pend";
                    draft.FdBoundField = $"{v}_fd_bound";
                    claims.Add((draft.OpenMap, site, $"the open spans of ${v}"));
                    claims.Add((draft.PendingMap, site, $"the pending opens of ${v}"));
                    maps.Add(Map(draft.OpenMap, $"${v}: spans by ({keyField}, fd); a close zeroes open_ns, a new open of the same key overwrites, the exit sweep deletes", "BPF_MAP_TYPE_HASH", (long)capacity * SpansPerAgent, $"struct {key.CName}", $"struct {span.CName}"));
                    maps.Add(new BpfMapModel
                    {
                        Name = draft.PendingMap,
                        Comment = $"${v}: the pending {draft.OpenEnter} of each thread, freed with the thread",
                        Type = "BPF_MAP_TYPE_TASK_STORAGE",
                        Key = "int",
                        Value = $"struct {pending.CName}",
                        Attributes = new[]
                        {
                            "__uint(type, BPF_MAP_TYPE_TASK_STORAGE);",
                            "__uint(map_flags, BPF_F_NO_PREALLOC);",
                            "__type(key, int);",
                            $"__type(value, struct {pending.CName});",
                        },
                    });
                    programs.Add(Program($"tp/syscalls/{draft.OpenEnter}", $"handle_{v}_open_enter", "struct trace_event_raw_sys_enter"));
                    programs.Add(Program($"tp/syscalls/{draft.OpenExit}", $"handle_{v}_open_exit", "struct trace_event_raw_sys_exit"));
                    programs.Add(Program($"tp/syscalls/{draft.CloseEnter}", $"handle_{v}_close", "struct trace_event_raw_sys_enter"));
                    break;

                case SensorKind.OnCpu:
                    if (!sensor.Keys.SequenceEqual(new[] { keyword }))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"on-CPU time in the kernel is keyed by ({keyword}), the key of index {index.Name}");
                        continue;
                    }

                    if (sensor.Tracepoints.Count != 1 || sensor.Tracepoints[0] != new TracepointSpec("sched", "sched_switch"))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), "on-CPU time is sensed at sched:sched_switch");
                        continue;
                    }

                    draft.IsOnCpu = true;
                    draft.CpuMap = $"{fibre}_{v}_cpu";
                    claims.Add((draft.CpuMap, site, $"the slice starts of ${v}"));
                    maps.Add(Map(draft.CpuMap, $"${v}: when the running slice began, per CPU", "BPF_MAP_TYPE_PERCPU_ARRAY", 1, "__u32", "__u64"));
                    programs.Add(Program("tp/sched/sched_switch", $"handle_{v}_switch", "struct trace_event_raw_sched_switch"));
                    break;

                case SensorKind.Count:
                    if (!sensor.Keys.SequenceEqual(new[] { keyword }))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"a count in the kernel is keyed by ({keyword}), the key of index {index.Name}");
                        continue;
                    }

                    if (sensor.Tracepoints.Count != 1 || !BpfNames.IsIdentifier(sensor.Tracepoints[0].Category) || !BpfNames.IsIdentifier(sensor.Tracepoints[0].Event))
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), "a count names one tracepoint, category:event");
                        continue;
                    }

                    if (draft.IsPriced)
                    {
                        problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), "the kernel price is updated from time spans, not counts");
                        continue;
                    }

                    draft.IsCount = true;
                    draft.Category = sensor.Tracepoints[0].Category;
                    draft.Event = sensor.Tracepoints[0].Event;
                    programs.Add(Program($"tp/{draft.Category}/{draft.Event}", $"handle_{v}_count", "void"));
                    break;

                default:
                    problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"the eBPF backend has no {sensor.Kind} sensor");
                    continue;
            }

            draft.LastField = $"{v}_last";
            draft.TotalField = $"{v}_total";
            draft.SamplesField = $"{v}_samples";
            sensors.Add(draft);
        }

        programs.Add(Program("tp/sched/sched_process_exit", "handle_exit", "void"));

        var stateLayout = state.Build();
        fibreStructs.Insert(0, stateLayout);

        // The kernel price, its tunables and the actions on it.
        var tunables = new List<BpfTunablePlan>();
        BpfPriceModel? price = null;
        var fp = spec.FixedPoint;
        long? throttlePrice = null, killPrice = null;
        string priceMap = "";
        if (fp is not null)
        {
            var row = RowSite(spec, fp.Resource);
            if (sensors.Any(static s => s.IsPriced))
            {
                CheckFixedPoint(fp, problems);
            }

            if (priced is not null && !sensors.Any(s => s.IsPriced) && problems.Count == 0)
            {
                problems.Add(row, DiagnosticDescriptors.KernelPrice, fp.Resource, $"it is updated from ${priced}, whose sensor the eBPF backend could not build");
            }

            var export = spec.PriceExports.FirstOrDefault(e => e.Resource == fp.Resource);
            var coupling = spec.Couplings.FirstOrDefault(c => c.Resource == fp.Resource);
            var resource = spec.Resources.FirstOrDefault(r => r.Name == fp.Resource);
            if (export is null || !BpfNames.IsIdentifier(export.MapName))
            {
                problems.Add(row, DiagnosticDescriptors.KernelPrice, fp.Resource, $"the kernel keeps it in a map: export it by name (^{fp.Resource} -> map price_{fp.Resource};)");
            }
            else if (resource is null || !resource.IndexSets.SequenceEqual(new[] { index.Name }))
            {
                problems.Add(resource is null ? row : Site(SpecSiteKind.Resource, IndexOf(spec.Resources, resource)), DiagnosticDescriptors.KernelPrice, fp.Resource, $"the kernel keeps one price per member of index {index.Name}: the resource must range over [{index.Name}]");
            }
            else
            {
                priceMap = export.MapName;
                var throttle = SingleAction(spec, fp.Resource, ActuatorKind.Throttle, problems);
                var kill = SingleAction(spec, fp.Resource, ActuatorKind.Kill, problems);
                throttlePrice = throttle is null ? null : ToFixed(throttle.Threshold, fp.ScaleBits);
                killPrice = kill is null ? null : ToFixed(kill.Threshold, fp.ScaleBits);
                price = new BpfPriceModel
                {
                    Map = export.MapName,
                    Resource = fp.Resource,
                    CoupleStatement = coupling is null ? "" : Quote(coupling.Statement),
                    SolveStatement = Quote(spec.Solver.Statement),
                    Throttle = throttle is null ? null : new BpfActionModel { Statement = Quote(throttle.Statement), Tunable = "throttle_price" },
                    Kill = kill is null ? null : new BpfActionModel { Statement = Quote(kill.Statement), Tunable = "kill_price" },
                };
                claims.Add((export.MapName, Site(SpecSiteKind.PriceExport, IndexOf(spec.PriceExports, export)), $"the kernel price of @{fp.Resource}"));
                maps.Insert(0, Map(export.MapName, $"^{fp.Resource}: the price by {keyField}, fixed point (value * 2^{fp.ScaleBits}); exported", "BPF_MAP_TYPE_HASH", capacity, "__u32", "__s64"));

                var budgetText = resource.Budget.IsConstant ? BpfNames.Number(resource.Budget.Constant) : "a table value";
                tunables.Add(Tunable("fx_scale_bits", BpfScalarType.U32, fp.ScaleBits, $"binary digits after the point: a price p is stored as p * 2^{fp.ScaleBits}"));
                tunables.Add(Tunable("fx_step", BpfScalarType.S64, fp.StepFixed, $"the dual step, {BpfNames.Number(spec.Solver.Step)}"));
                tunables.Add(Tunable("fx_budget", BpfScalarType.S64, fp.BudgetFixed, $"the budget of @{fp.Resource}, {budgetText}"));
                tunables.Add(Tunable("fx_load_max", BpfScalarType.S64, fp.LoadMaxFixed, $"loads are clamped to [0, {BpfNames.Number(fp.LoadMaxFixed / Math.Pow(2, fp.ScaleBits))}]"));
                tunables.Add(Tunable("fx_price_max", BpfScalarType.S64, fp.PriceMaxFixed, "prices saturate here"));
                tunables.Add(Tunable("fx_ns_per_unit", BpfScalarType.U64, fp.NanosecondsPerUnit, "kernel nanoseconds per unit of load"));
                if (throttlePrice is not null)
                {
                    tunables.Add(Tunable("throttle_price", BpfScalarType.S64, throttlePrice.Value, $"default throttle price, {BpfNames.Number(throttle!.Threshold)}; the control map may override it"));
                }

                if (killPrice is not null)
                {
                    tunables.Add(Tunable("kill_price", BpfScalarType.S64, killPrice.Value, $"default kill price, {BpfNames.Number(kill!.Threshold)}; the control map may override it"));
                }

                // A priced span still open is charged by a kernel timer (sensor_span): its map and
                // the program that arms it, run once by the loader (BPF_PROG_RUN of a syscall program).
                foreach (var span in sensors.Where(static s => s.IsSpan && s.IsPriced))
                {
                    span.HasHoldTimer = true;
                    span.TickMap = $"{fibre}_{span.Variable}_tick";
                    claims.Add((span.TickMap, null, $"the hold timer of ${span.Variable}"));
                    var close = programs.FindIndex(p => p.Name == $"handle_{span.Variable}_close");
                    programs.Insert(close + 1, Program("syscall", $"arm_{span.Variable}_tick", "void"));
                }

                if (sensors.Any(static s => s.HasHoldTimer))
                {
                    tunables.Add(Tunable("fx_tick_ns", BpfScalarType.U64, FixedPointSpec.HoldTickNanoseconds, "the hold timer's period: open spans are charged at least this often"));
                }
            }
        }

        // Prices the daemon keeps and publishes for the fibre's hooks.
        var daemonPrices = new List<BpfExportedPriceModel>();
        foreach (var export in spec.PriceExports.OrderBy(e => e.MapName, StringComparer.Ordinal))
        {
            if (fp is not null && export.Resource == fp.Resource)
            {
                continue;
            }

            var exportSite = Site(SpecSiteKind.PriceExport, IndexOf(spec.PriceExports, export));
            if (!BpfNames.IsIdentifier(export.MapName))
            {
                problems.Add(exportSite, DiagnosticDescriptors.KernelPrice, export.Resource, $"the map name '{BpfNames.CommentText(export.MapName)}' is not a C identifier");
                continue;
            }

            var resource = spec.Resources.FirstOrDefault(r => r.Name == export.Resource);
            var sets = resource?.IndexSets ?? EquatableArray<string>.Empty;
            var set = sets.Count == 1 ? spec.Indices.FirstOrDefault(x => x.Name == sets[0]) : null;
            if (sets.Count > 1 || (sets.Count == 1 && set is null))
            {
                problems.Add(exportSite, DiagnosticDescriptors.KernelPrice, export.Resource, $"it ranges over {sets.Count} indices; an exported price map is keyed by one");
                continue;
            }

            var (type, entries, keyText) = set switch
            {
                null => ("BPF_MAP_TYPE_ARRAY", 1, "0"),
                { Kind: IndexKind.Dynamic } => ("BPF_MAP_TYPE_HASH", set.Capacity, set.Key == KernelKey.Tid ? "tid" : "tgid"),
                _ => ("BPF_MAP_TYPE_ARRAY", Math.Max(1, set.Capacity), $"the member number of {set.Name}"),
            };
            maps.Add(Map(export.MapName, $"^{export.Resource}: the daemon's price by {keyText}, fixed point (value * 2^{fp?.ScaleBits ?? FixedPointSpec.DefaultScaleBits}); exported", type, entries, "__u32", "__s64"));
            claims.Add((export.MapName, exportSite, $"the daemon's price of @{export.Resource}"));
            daemonPrices.Add(new BpfExportedPriceModel { Map = export.MapName, Resource = export.Resource });
        }

        var common = CommonMaps.Of(fibre, wake: price?.HasActions == true);
        maps.Insert(price is null ? 0 : 1, Map(stateMap, $"per-{(isProcess ? "process" : "thread")} state, keyed by {keyField}; removed at exit", "BPF_MAP_TYPE_HASH", capacity, "__u32", $"struct {stateStruct}"));
        maps.AddRange(common.Models("tgids", "tgids", "throttle, release, kill"));

        claims.Add((stateMap, Site(SpecSiteKind.Index, IndexOf(spec.Indices, index)), $"the state of index {index.Name}"));
        var fibreMaps = common.Roles().ToList();
        claims.AddRange(fibreMaps.Select(static m => (m.Name, (SpecSite?)null, m.What)));
        foreach (var (name, _) in fibreMaps.Where(static m => BpfNames.IsHeaderName(m.Name)))
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.GeneratedNameReserved, "fibre " + fibre, name, "eBPF object", "a name the kernel's headers (vmlinux.h, bpf_helpers.h) declare");
        }

        foreach (var name in BpfTemplates.FileScopeNames(sensors.Select(static s => s.Variable)))
        {
            claims.Add((name, null, "a function of the generated C"));
        }

        foreach (var tunable in tunables)
        {
            claims.Add((tunable.CName, null, "a tunable of the generated C"));
        }

        CheckMapNames(spec, claims, problems);

        if (problems.Count > 0)
        {
            return null;
        }

        var structs = BpfCommonLayouts.Structs.Concat(fibreStructs).ToList();
        var model = new BpfFibreModel
        {
            Fibre = fibre,
            SourceFile = BpfNames.CommentText(spec.SourceFileName),
            Summary = Summary(spec, sensors, price),
            Enums = EnumModels(),
            Structs = structs.Select(StructModel).ToList(),
            Tunables = tunables.Select(TunableModel).ToList(),
            Maps = maps,
            Common = common,
            Agent = new BpfAgentModel
            {
                Index = index.Name,
                IsProcess = isProcess,
                KeyField = keyField,
                KeyExpr = keyExpr,
                StartTimePath = isProcess ? "group_leader->start_time" : "start_time",
                StateStruct = stateStruct,
                StateMap = stateMap,
                Noun = isProcess ? "process" : "thread",
            },
            Sensors = sensors,
            SpanSensors = sensors.Where(s => s.IsSpan).ToList(),
            Price = price,
            Programs = programs,
            DaemonPrices = daemonPrices,
        };

        return new BpfPlan
        {
            Model = model,
            FibreStructs = fibreStructs,
            Tunables = tunables,
            PriceMap = priceMap,
            StateMap = stateMap,
            AgentKey = keyField,
            ScaleBits = fp?.ScaleBits ?? FixedPointSpec.DefaultScaleBits,
            ThrottlePrice = throttlePrice,
            KillPrice = killPrice,
        };
    }

    /// <summary>The C type of a scalar.</summary>
    internal static string CType(BpfScalarType type) => type switch
    {
        BpfScalarType.Char => "char",
        BpfScalarType.U32 => "__u32",
        BpfScalarType.S32 => "__s32",
        BpfScalarType.U64 => "__u64",
        _ => "__s64",
    };

    private static (IndexSpec Index, bool IsProcess)? FindAgent(FibreSpec spec, TargetProblems problems)
    {
        IndexSpec? agent = null;
        for (var i = 0; i < spec.Sensors.Count; i++)
        {
            var sensor = spec.Sensors[i];
            var site = Site(SpecSiteKind.Sensor, i);
            var variable = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
            if (variable is null || variable.IndexSets.Count != 1)
            {
                problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), "a kernel sensor senses a variable over one index (the agents)");
                return null;
            }

            var index = spec.Indices.FirstOrDefault(x => x.Name == variable.IndexSets[0]);
            if (index is null || index.Kind != IndexKind.Dynamic || (index.Key != KernelKey.Pid && index.Key != KernelKey.Tid))
            {
                problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), "the agents of a kernel sensor are an index by pid or by tid");
                return null;
            }

            if (agent is not null && agent != index)
            {
                problems.Add(site, DiagnosticDescriptors.KernelSensor, Quote(sensor.Statement), $"every kernel sensor of a fibre senses the same index ({agent.Name})");
                return null;
            }

            agent = index;
        }

        if (agent is null)
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.TargetLimit, "eBPF", spec.Name, "it keeps a price in the kernel but senses nothing there: add a sense statement");
            return null;
        }

        if (!BpfNames.IsIdentifier(agent.Name))
        {
            problems.Add(Site(SpecSiteKind.Index, IndexOf(spec.Indices, agent)), DiagnosticDescriptors.TargetLimit, "eBPF", spec.Name, $"the index name '{BpfNames.CommentText(agent.Name)}' is not a C identifier");
            return null;
        }

        if (agent.Capacity <= 0 || agent.Capacity > (1 << 24))
        {
            problems.Add(Site(SpecSiteKind.Index, IndexOf(spec.Indices, agent)), DiagnosticDescriptors.TargetLimit, "eBPF", spec.Name, $"the index {agent.Name} needs a capacity between 1 and {1 << 24} (index {agent.Name} by ... max N;)");
            return null;
        }

        return (agent, agent.Key == KernelKey.Pid);
    }

    private static string? PricedVariable(FibreSpec spec, TargetProblems problems)
    {
        var fp = spec.FixedPoint;
        if (fp is null)
        {
            return null;
        }

        var coupling = spec.Couplings.FirstOrDefault(c => c.Resource == fp.Resource);
        var sensed = coupling?.Terms.Select(t => t.Variable).Where(v => spec.Sensors.Any(s => s.Variable == v)).Distinct().ToList();
        if (sensed is null || sensed.Count != 1)
        {
            problems.Add(RowSite(spec, fp.Resource), DiagnosticDescriptors.KernelPrice, fp.Resource, $"the kernel updates it from one sensed variable; its row loads {sensed?.Count ?? 0}");
            return null;
        }

        return sensed[0];
    }

    private static ActuatorSpec? SingleAction(FibreSpec spec, string resource, ActuatorKind kind, TargetProblems problems)
    {
        var ordinals = Enumerable.Range(0, spec.Actuators.Count).Where(i => spec.Actuators[i].Kind == kind && spec.Actuators[i].Resource == resource).ToList();
        foreach (var extra in ordinals.Skip(1))
        {
            problems.Add(Site(SpecSiteKind.Actuator, extra), DiagnosticDescriptors.KernelAction, Quote(spec.Actuators[extra].Statement), $"the kernel applies one {kind.ToString().ToLowerInvariant()} threshold per price, and '{Quote(spec.Actuators[ordinals[0]].Statement)}' sets it already");
        }

        return ordinals.Count == 0 ? null : spec.Actuators[ordinals[0]];
    }

    private static void CheckFixedPoint(FixedPointSpec fp, TargetProblems problems)
    {
        if (fp.ScaleBits is < 0 or > 32)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.KernelPrice, fp.Resource, $"the kernel's fixed point has {fp.ScaleBits} fraction bits; 0 to 32 are supported");
        }

        if (fp.NanosecondsPerUnit is < 1 or > (1L << 32))
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.KernelPrice, fp.Resource, $"{fp.NanosecondsPerUnit} kernel nanoseconds per unit of load is outside 1 to 2^32");
        }

        if (fp.LoadMaxFixed < 0 || fp.PriceMaxFixed < 0)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.KernelPrice, fp.Resource, "the kernel's load bound and price bound must not be negative");
        }
    }

    private static long ToFixed(double value, int scaleBits)
    {
        var scaled = Math.Round(value * Math.Pow(2, scaleBits), MidpointRounding.AwayFromZero);
        return scaled >= 9.2e18 ? long.MaxValue : scaled <= -9.2e18 ? long.MinValue : (long)scaled;
    }

    private static bool IsSyscallEnter(TracepointSpec tp) =>
        tp.Category == "syscalls" && tp.Event.StartsWith("sys_enter_", StringComparison.Ordinal) &&
        tp.Event.Length > "sys_enter_".Length && BpfNames.IsIdentifier(tp.Event);

    private static string Quote(string statement) => BpfNames.CommentText(statement);

    // Two maps of one object may not share a name; a fibre name that makes a map's name equal to
    // one the backend generates is reported at the fibre statement, as is the later of two names
    // both from fibre statements. A map name is also a file-scope C variable: it may not be a
    // name the included headers declare (a kernel type, a helper such as bpf_tail_call).
    private static void CheckMapNames(FibreSpec spec, List<(string Name, SpecSite? Site, string What)> claims, TargetProblems problems)
    {
        const string Target = "eBPF object";
        var first = new Dictionary<string, (SpecSite? Site, string What)>(StringComparer.Ordinal);
        foreach (var (name, site, what) in claims.OrderBy(c => c.Site is null ? 0 : 1))
        {
            if (site is { } at && BpfNames.IsHeaderName(name))
            {
                problems.Add(at, DiagnosticDescriptors.GeneratedNameReserved, Describe(spec, at), name, Target, "a name the kernel's headers (vmlinux.h, bpf_helpers.h) declare");
            }

            if (!first.TryGetValue(name, out var earlier))
            {
                first[name] = (site, what);
                continue;
            }

            if (site is not { } later)
            {
                continue;
            }

            if (earlier.Site is { } one)
            {
                problems.Add(later, DiagnosticDescriptors.GeneratedNameCollision, Describe(spec, one), Describe(spec, later), name, Target);
            }
            else
            {
                problems.Add(later, DiagnosticDescriptors.GeneratedNameReserved, Describe(spec, later), name, Target, earlier.What);
            }
        }
    }

    // How a message names the statement at a site: "index control", "^dwell -> map price_dwell".
    private static string Describe(FibreSpec spec, SpecSite site) => site.Kind switch
    {
        SpecSiteKind.Index => "index " + spec.Indices[site.Ordinal].Name,
        SpecSiteKind.Sensor => Quote(spec.Sensors[site.Ordinal].Statement),
        SpecSiteKind.PriceExport => "^" + spec.PriceExports[site.Ordinal].Resource + " -> map " + spec.PriceExports[site.Ordinal].MapName,
        _ => spec.Name,
    };

    // The struct names both program kinds make from the fibre's, its indices' and its sensed
    // variables' names (<fibre>_<index>_state, <fibre>_<v>_pending, <fibre>_file_key, ...): the first
    // that is too long to be an identifier, or null.
    private static string? LongestStructName(FibreSpec spec)
    {
        var parts = spec.Indices.Select(static i => i.Name + "_state")
            .Concat(spec.Sensors.SelectMany(static s => new[] { s.Variable + "_key", s.Variable + "_span", s.Variable + "_pending" }))
            .Concat(new[] { "member", "file_key", "exe_key" });
        return parts.Select(p => spec.Name + "_" + p).Where(static n => n.Length > 64).OrderByDescending(static n => n.Length).FirstOrDefault();
    }

    internal static int IndexOf<T>(EquatableArray<T> items, T item)
        where T : IEquatable<T>
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Equals(item))
            {
                return i;
            }
        }

        return 0;
    }

    private static SpecSite Site(SpecSiteKind kind, int ordinal) => new(kind, Math.Max(0, ordinal));

    // The row that budgets the kernel's resource, or the solve statement when there is none.
    private static SpecSite RowSite(FibreSpec spec, string resource)
    {
        for (var i = 0; i < spec.Couplings.Count; i++)
        {
            if (spec.Couplings[i].Resource == resource)
            {
                return new SpecSite(SpecSiteKind.Row, i);
            }
        }

        return SpecSite.Solve;
    }

    /// <summary>The shared enums as the templates print them.</summary>
    internal static List<BpfEnumModel> EnumModels() => BpfCommonLayouts.Enums.Select(e => new BpfEnumModel
    {
        CName = e.CName,
        Comment = BpfNames.CommentText(e.Comment),
        Members = e.Members.Select(m => new BpfConstantModel { CName = m.CName, Value = BpfNames.CLiteral(m.Value), Comment = BpfNames.CommentText(m.Comment) }).ToList(),
    }).ToList();

    /// <summary>A tunable as the templates print it.</summary>
    internal static BpfTunableModel TunableModel(BpfTunablePlan t) => new()
    {
        CType = CType(t.Type),
        Name = t.CName,
        Value = t.Type == BpfScalarType.U64 ? BpfNames.CLiteral((ulong)t.Value) : BpfNames.CLiteral(t.Value),
        Comment = BpfNames.CommentText(t.Comment),
    };

    internal static BpfMapModel Map(string name, string comment, string type, long entries, string key, string value) => new()
    {
        Name = name,
        Comment = BpfNames.CommentText(comment),
        Type = type,
        MaxEntries = entries,
        Key = key,
        Value = value,
        Attributes = new[]
        {
            $"__uint(type, {type});",
            $"__uint(max_entries, {entries.ToString(CultureInfo.InvariantCulture)});",
            $"__type(key, {key});",
            $"__type(value, {value});",
        },
    };

    private static BpfProgramModel Program(string section, string name, string context) => new() { Section = section, Name = name, Context = context };

    internal static BpfTunablePlan Tunable(string name, BpfScalarType type, long value, string comment) => new()
    {
        CName = name,
        CSharpName = BpfNames.ToPascalCase(name),
        Type = type,
        Value = value,
        Comment = comment,
    };

    internal static BpfStructModel StructModel(BpfStructLayout layout) => new()
    {
        CName = layout.CName,
        Comment = BpfNames.CommentText(layout.Comment),
        Size = layout.Size,
        Lines = layout.Fields.Select(f => f.Count == 1
            ? $"{CType(f.Type)} {f.CName}; /* {BpfNames.CommentText(f.Comment)} */"
            : $"{CType(f.Type)} {f.CName}[{f.Count.ToString(CultureInfo.InvariantCulture)}]; /* {BpfNames.CommentText(f.Comment)} */").ToList(),
    };

    private static List<string> Summary(FibreSpec spec, List<BpfSensorModel> sensors, BpfPriceModel? price)
    {
        var lines = new List<string>();
        foreach (var sensor in sensors)
        {
            lines.Add($"sensor {sensor.Number.ToString(CultureInfo.InvariantCulture)}: {sensor.Statement}");
        }

        if (price is not null)
        {
            lines.Add($"price:    ^{price.Resource} in the kernel, fixed point: {price.CoupleStatement}");
            if (price.Throttle is not null)
            {
                lines.Add($"throttle: {price.Throttle.Statement} (the daemon acts on the event)");
            }

            if (price.Kill is not null)
            {
                lines.Add($"kill:     {price.Kill.Statement} (SIGKILL from the kernel, only while armed)");
            }
        }

        return lines;
    }
}

/// <summary>
/// The maps every fibre's program has, named from the fibre: counters, the daemon's control, the
/// allow-list, the scope set, the events ring and, where the kernel decides, the wake ring ("" when
/// it does not).
/// </summary>
internal sealed record CommonMaps(string Stats, string Control, string Allow, string Scope, string Events, string Wake)
{
    public static CommonMaps Of(string fibre, bool wake) =>
        new($"{fibre}_stats", $"{fibre}_control", $"{fibre}_allow", $"{fibre}_scope", $"{fibre}_events", wake ? $"{fibre}_wake" : "");

    /// <summary>The maps' declarations; the comments say what the allow-list and scope set hold and which decisions wake the daemon.</summary>
    public IEnumerable<BpfMapModel> Models(string allowHolds, string scopeHolds, string decisions)
    {
        yield return BpfModelBuilder.Map(Stats, "counters, per CPU: seen = processed + filtered + dropped", "BPF_MAP_TYPE_PERCPU_ARRAY", 1, "__u32", "struct sigil_stats");
        yield return BpfModelBuilder.Map(Control, "the daemon's control: armed, its tgid, scope, thresholds", "BPF_MAP_TYPE_ARRAY", 1, "__u32", "struct sigil_control");
        yield return BpfModelBuilder.Map(Allow, $"{allowHolds} the programs never signal", "BPF_MAP_TYPE_HASH", BpfModelBuilder.AllowListCapacity, "__u32", "__u32");
        yield return BpfModelBuilder.Map(Scope, $"{scopeHolds} sensed besides the control's target_tgid while sensing is scoped", "BPF_MAP_TYPE_HASH", BpfModelBuilder.ScopeCapacity, "__u32", "__u32");
        yield return Ring(Events, "events the daemon must see (struct sigil_event)", BpfModelBuilder.RingBufferBytes);
        if (Wake.Length > 0)
        {
            yield return Ring(Wake, $"one byte per decision ({decisions}), written to wake a waiting daemon at once; the decision itself is in the events ring", BpfModelBuilder.WakeRingBytes);
        }
    }

    /// <summary>Each map with the role a clash report names it by.</summary>
    public IEnumerable<(string Name, string What)> Roles()
    {
        yield return (Stats, "the counters map");
        yield return (Control, "the daemon's control map");
        yield return (Allow, "the allow-list map");
        yield return (Scope, "the scope map");
        yield return (Events, "the events ring");
        if (Wake.Length > 0)
        {
            yield return (Wake, "the wake ring");
        }
    }

    private static BpfMapModel Ring(string name, string comment, int bytes) => new()
    {
        Name = name,
        Comment = comment,
        Type = "BPF_MAP_TYPE_RINGBUF",
        MaxEntries = bytes,
        Attributes = new[] { "__uint(type, BPF_MAP_TYPE_RINGBUF);", $"__uint(max_entries, {bytes.ToString(CultureInfo.InvariantCulture)});" },
    };
}
