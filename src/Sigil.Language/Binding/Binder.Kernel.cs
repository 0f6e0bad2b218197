using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System;
using Sigil.Language.Analysis;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Runtime.Hosting;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    private static readonly string[] s_sensors = { "span", "oncpu", "count", "files", "bytes" };
    private static readonly string[] s_sensorKeys = { "pid", "tid", "fd", "cpu", "tree" };
    private static readonly string[] s_byteUnits = { "B", "KiB", "MiB", "GiB" };
    private static readonly string[] s_actuators = { "throttle", "kill", "affinity", "freeze" };
    private static readonly string[] s_aggregates = { "mean", "sum", "max", "min", "count" };
    private static readonly string[] s_instruments = { "calls", "entries" };
    private static readonly string[] s_hookArguments = { "site", "result", "fd" };
    private static readonly string[] s_responses = { "backoff", "refuse" };
    private static readonly string[] s_reservedMetricSuffixes = { "_total", "_count", "_sum", "_bucket", "_created", "_info" };

    // sense $v[t] <- span(open, close) key (pid, fd) | oncpu(sched:sched_switch) key (tid) | count(tp);
    private void BindSense(SenseDeclarationSyntax syntax)
    {
        var variable = LookupVariable(syntax.Target.Identifier);
        if (variable is null || ResolveSubscript(syntax.Target, variable.IndexSets, IndexScope.Open(), allowOmitted: true) is null)
        {
            return;
        }

        var kindName = syntax.Call.Identifier.Text;
        SensorKind kind;
        int tracepointCount;
        switch (kindName)
        {
            case "span": kind = SensorKind.Span; tracepointCount = 2; break;
            case "oncpu": kind = SensorKind.OnCpu; tracepointCount = 1; break;
            case "count": kind = SensorKind.Count; tracepointCount = 1; break;
            case "files": kind = SensorKind.Files; tracepointCount = -1; break;
            case "bytes": kind = SensorKind.Bytes; tracepointCount = -1; break;
            default:
                if (!syntax.Call.Identifier.IsMissing)
                {
                    _diagnostics.ReportUnknownWord(syntax.Call.Identifier.Span, kindName, "sensor", OneOf(s_sensors), DidYouMean(kindName, s_sensors));
                }

                return;
        }

        if (variable.IndexSets.Length != 1 || variable.IndexSets[0].Kind != IndexKind.Dynamic)
        {
            _diagnostics.ReportSensorKey(syntax.Target.Span, variable.Name, "a sensed variable ranges over one index set keyed in the kernel, e.g. 'index task by pid;'");
            return;
        }

        var index = variable.IndexSets[0];
        if (tracepointCount < 0)
        {
            BindFileSensor(syntax, variable, index, kind);
            return;
        }

        if (syntax.Call.Arguments.Length != tracepointCount || syntax.Call.Arguments.Any(static a => a.Tracepoint is null || a.Name is not null))
        {
            var what = tracepointCount == 2 ? "two tracepoints, the opening and the closing event" : "one tracepoint 'category:event'";
            _diagnostics.ReportInvalidArgument(syntax.Call.Span, "'" + kindName + "'", "takes " + what);
            return;
        }

        var tracepoints = new List<TracepointSpec>();
        foreach (var argument in syntax.Call.Arguments)
        {
            var tracepoint = argument.Tracepoint!;
            if (!CheckName(tracepoint.Category) || !CheckName(tracepoint.Event))
            {
                return;
            }

            var category = tracepoint.Category.Text;
            var eventName = tracepoint.Event.Text;
            if (!_tracepoints.Contains(category, eventName))
            {
                var suggestion = Suggest(category + ":" + eventName, _tracepoints.EventsOf(category));
                _diagnostics.ReportUnknownTracepoint(tracepoint.Span, category, eventName, " (" + _tracepoints.Description + ")" + (suggestion is null ? string.Empty : "; did you mean '" + suggestion + "'?"));
                return;
            }

            if (kind == SensorKind.OnCpu && (category != "sched" || eventName != "sched_switch"))
            {
                _diagnostics.ReportInvalidArgument(tracepoint.Span, "'oncpu'", "measures on-CPU time from 'sched:sched_switch' only");
                return;
            }

            tracepoints.Add(new TracepointSpec(category, eventName));
        }

        if (kind == SensorKind.Span && !CheckSpanMeaning(syntax, tracepoints))
        {
            return;
        }

        var indexKey = index.Key switch
        {
            KernelKey.Pid => "pid",
            KernelKey.Tid => "tid",
            KernelKey.Cpu => "cpu",
            KernelKey.Tree => "tree",
            _ => "pid",
        };
        var keys = new List<string>();
        foreach (var key in syntax.Keys)
        {
            if (!s_sensorKeys.Contains(key.Text))
            {
                _diagnostics.ReportUnknownWord(key.Span, key.Text, "sensor key", OneOf(s_sensorKeys), DidYouMean(key.Text, s_sensorKeys));
                return;
            }

            if (keys.Contains(key.Text))
            {
                _diagnostics.ReportSensorKey(key.Span, variable.Name, "'" + key.Text + "' appears twice");
                return;
            }

            keys.Add(key.Text);
        }

        if (keys.Count == 0)
        {
            keys.Add(indexKey);
        }
        else if (!keys.Contains(indexKey))
        {
            _diagnostics.ReportSensorKey(syntax.Keys[0].Span, variable.Name, "the key holds no '" + indexKey + "', the kernel key of index set '" + index.Name + "'");
            return;
        }

        double nanoseconds = 0;
        if (kind != SensorKind.Count)
        {
            if (Units.NanosecondsPerUnit(variable.Unit) is not { } ns)
            {
                _diagnostics.ReportSensorUnit(syntax.Call.Identifier.Span, kindName, variable.Name, variable.Unit.ToString());
                return;
            }

            nanoseconds = ns;
        }

        if (_fibre.Sensors.Any(s => s.Value.Variable == variable.Name))
        {
            _diagnostics.ReportDuplicateDeclaration(syntax.Target.Span, "'$" + variable.Name + "'", "a sensor");
            return;
        }

        var spec = new SensorSpec(variable.Name, kind, tracepoints.ToEquatableArray(), keys.ToEquatableArray(), nanoseconds, Statement(syntax));
        _fibre.Sensors.Add(new Bound<SensorSpec>(spec, syntax.Span));
    }

    // A span keyed by fd opens where a syscall returns a new fd (its sys_exit) and closes where the
    // first argument is an fd; anything else keys the span on a byte count, a 0 or a pointer.
    private bool CheckSpanMeaning(SenseDeclarationSyntax syntax, List<TracepointSpec> tracepoints)
    {
        if (!syntax.Keys.Any(static k => k.Text == "fd"))
        {
            return true;
        }

        const string Enter = "sys_enter_";
        var (open, close) = (tracepoints[0], tracepoints[1]);
        var arguments = syntax.Call.Arguments;
        if (open.Category != "syscalls" || !open.Event.StartsWith(Enter, StringComparison.Ordinal) || !SyscallFacts.ReturnsFd(open.Event.Substring(Enter.Length)))
        {
            _diagnostics.ReportSensorMeaning(arguments[0].Span, open.Category + ":" + open.Event, "does not return a file descriptor, so a span keyed by fd cannot open there; open at a syscall that returns one (sys_enter_open, sys_enter_openat, sys_enter_openat2, sys_enter_creat, sys_enter_dup, sys_enter_socket, ...)");
            return false;
        }

        if (close.Category != "syscalls" || !close.Event.StartsWith(Enter, StringComparison.Ordinal) || !SyscallFacts.TakesFd(close.Event.Substring(Enter.Length)))
        {
            var first = close.Category == "syscalls" && close.Event.StartsWith(Enter, StringComparison.Ordinal) ? SyscallFacts.FirstArgument(close.Event.Substring(Enter.Length)) : "no syscall argument";
            _diagnostics.ReportSensorMeaning(arguments[1].Span, close.Category + ":" + close.Event, "takes " + first + " first, not a file descriptor, so a span keyed by fd cannot close there; close at a syscall whose first argument is the fd (sys_enter_close, ...)");
            return false;
        }

        return true;
    }

    // sense $v[a] <- files(file:overwrite, ...) | bytes(file:write);  over an index by tree, pid or tid.
    // Both are rates: the variable's unit is (files or 1 | B, KiB, MiB, GiB) per time unit.
    private void BindFileSensor(SenseDeclarationSyntax syntax, VariableSymbol variable, IndexSymbol index, SensorKind kind)
    {
        var kindName = syntax.Call.Identifier.Text;
        if (syntax.Call.Arguments.IsEmpty || syntax.Call.Arguments.Any(static a => a.Tracepoint is null || a.Name is not null))
        {
            _diagnostics.ReportInvalidArgument(syntax.Call.Span, "'" + kindName + "'", "takes one or more file events 'file:event' (" + string.Join(", ", FileEvents.Names) + ")");
            return;
        }

        if (index.Key is not (KernelKey.Tree or KernelKey.Pid or KernelKey.Tid))
        {
            _diagnostics.ReportSensorKey(syntax.Target.Span, variable.Name, "file events happen to processes: the index is keyed by tree, pid or tid");
            return;
        }

        var events = new List<TracepointSpec>();
        foreach (var argument in syntax.Call.Arguments)
        {
            var tracepoint = argument.Tracepoint!;
            var category = tracepoint.Category.Text;
            var name = tracepoint.Event.Text;
            var fileEvent = category == FileEvents.Category ? FileEvents.Find(name) : null;
            if (fileEvent is null)
            {
                var suggestion = category == FileEvents.Category ? DidYouMean(name, FileEvents.Names.ToArray()) : string.Empty;
                _diagnostics.ReportSensorMeaning(tracepoint.Span, category + ":" + name, "is not a file event; '" + kindName + "' takes " + string.Join(", ", FileEvents.Names.Select(static n => "file:" + n)) + suggestion);
                return;
            }

            if (kind == SensorKind.Bytes && !fileEvent.CarriesSize)
            {
                _diagnostics.ReportSensorMeaning(tracepoint.Span, "file:" + name, "carries no byte count for 'bytes' to sum; file:write does");
                return;
            }

            if (kind == SensorKind.Files && !fileEvent.Distinct)
            {
                _diagnostics.ReportSensorMeaning(tracepoint.Span, "file:" + name, "is not once per file, so 'files' cannot count distinct files with it; count file:fill, file:overwrite, file:truncate or file:remove");
                return;
            }

            if (events.Any(e => e.Event == name))
            {
                _diagnostics.ReportInvalidArgument(tracepoint.Span, "'" + kindName + "'", "'file:" + name + "' is named twice");
                return;
            }

            events.Add(new TracepointSpec(FileEvents.Category, name));
        }

        foreach (var key in syntax.Keys)
        {
            if (key.Text != KernelKeyWord(index.Key))
            {
                _diagnostics.ReportSensorKey(key.Span, variable.Name, "a file sensor is keyed by its agent alone, '" + KernelKeyWord(index.Key) + "'");
                return;
            }
        }

        // A rate: one time factor to the power -1; bytes need one byte factor, files none.
        var factors = variable.Unit.Factors;
        var time = factors.Where(static f => f.Power == -1 && Units.NanosecondsPerUnit(new UnitSpec(EquatableArray.Create(new UnitFactor(f.Name, 1)))) is not null).ToList();
        var rest = factors.Where(f => time.Count != 1 || f != time[0]).ToList();
        var bytesOk = kind == SensorKind.Bytes
            ? rest.Count == 1 && rest[0].Power == 1 && s_byteUnits.Contains(rest[0].Name)
            : rest.All(f => !s_byteUnits.Contains(f.Name));
        if (time.Count != 1 || !bytesOk)
        {
            var expected = kind == SensorKind.Bytes ? "bytes per time unit, e.g. 'MiB/s'" : "files per time unit, e.g. 'files/s'";
            _diagnostics.ReportSensorMeaning(syntax.Call.Identifier.Span, kindName, "measures a rate in " + expected + "; '$" + variable.Name + "' is in '" + variable.Unit + "'");
            return;
        }

        if (_fibre.Sensors.Any(s => s.Value.Variable == variable.Name))
        {
            _diagnostics.ReportDuplicateDeclaration(syntax.Target.Span, "'$" + variable.Name + "'", "a sensor");
            return;
        }

        var nanoseconds = Units.NanosecondsPerUnit(new UnitSpec(EquatableArray.Create(new UnitFactor(time[0].Name, 1))))!.Value;
        var spec = new SensorSpec(variable.Name, kind, events.ToEquatableArray(), EquatableArray.Create(KernelKeyWord(index.Key)), nanoseconds, Statement(syntax));
        _fibre.Sensors.Add(new Bound<SensorSpec>(spec, syntax.Span));
    }

    private static string KernelKeyWord(KernelKey key) => key switch
    {
        KernelKey.Tid => "tid",
        KernelKey.Cpu => "cpu",
        KernelKey.Tree => "tree",
        _ => "pid",
    };

    // act throttle(cpu = 20%) when ^r[t] >= value; | act kill when ...; | act freeze when ...; | act affinity;
    private void BindAct(ActDeclarationSyntax syntax)
    {
        var name = syntax.Call.Identifier.Text;
        ActuatorKind kind;
        switch (name)
        {
            case "throttle": kind = ActuatorKind.Throttle; break;
            case "kill": kind = ActuatorKind.Kill; break;
            case "affinity": kind = ActuatorKind.Affinity; break;
            case "freeze": kind = ActuatorKind.Freeze; break;
            default:
                if (!syntax.Call.Identifier.IsMissing)
                {
                    _diagnostics.ReportUnknownWord(syntax.Call.Identifier.Span, name, "actuator", OneOf(s_actuators), DidYouMean(name, s_actuators));
                }

                return;
        }

        var arguments = new List<ArgumentSpec>();
        foreach (var argument in syntax.Call.Arguments)
        {
            if (kind != ActuatorKind.Throttle || argument.Name?.Text != "cpu" || argument.Value is null)
            {
                var what = kind == ActuatorKind.Throttle ? "takes one argument 'cpu = fraction', e.g. 'cpu = 20%'" : "takes no arguments";
                _diagnostics.ReportInvalidArgument(argument.Span, "'" + name + "'", what);
                return;
            }

            var value = BindValue(argument.Value, IndexScope.Closed(Array.Empty<IndexSymbol>()));
            if (value.IsError)
            {
                return;
            }

            if (!value.Spec!.IsConstant || value.Spec.Constant <= 0 || value.Spec.Constant > 1)
            {
                _diagnostics.ReportInvalidArgument(argument.Value.Span, "'cpu' of 'throttle'", "is a share of one CPU in (0, 1], e.g. 20%");
                return;
            }

            if (arguments.Count > 0)
            {
                _diagnostics.ReportInvalidArgument(argument.Span, "'throttle'", "'cpu' is given twice");
                return;
            }

            arguments.Add(new ArgumentSpec("cpu", value.Spec.Constant));
        }

        if (kind == ActuatorKind.Throttle && arguments.Count == 0)
        {
            _diagnostics.ReportInvalidArgument(syntax.Call.Span, "'throttle'", "needs 'cpu = fraction', e.g. 'throttle(cpu = 20%)'");
            return;
        }

        var resource = string.Empty;
        double threshold = 0;
        if (kind == ActuatorKind.Affinity)
        {
            if (syntax.Condition is not null)
            {
                _diagnostics.ReportActuatorCondition(syntax.Condition.Span, name, "takes no condition: it applies the solved placement");
                return;
            }
        }
        else
        {
            if (syntax.Condition is null)
            {
                _diagnostics.ReportActuatorCondition(syntax.Call.Span, name, "needs a condition: 'when ^price[t] >= threshold'");
                return;
            }

            if (!BindCondition(syntax.Condition, out resource, out threshold))
            {
                return;
            }
        }

        var spec = new ActuatorSpec(kind, resource, threshold, arguments.ToEquatableArray(), Statement(syntax));
        _fibre.Actuators.Add(new Bound<ActuatorSpec>(spec, syntax.Span));
    }

    private bool BindCondition(ExpressionSyntax syntax, out string resource, out double threshold)
    {
        resource = string.Empty;
        threshold = 0;
        while (syntax is ParenthesizedExpressionSyntax parenthesized)
        {
            syntax = parenthesized.Expression;
        }

        if (syntax is not BinaryExpressionSyntax { OperatorToken.Kind: SyntaxKind.GreaterOrEqualToken } comparison
            || comparison.Left is not NameExpressionSyntax { NameKind: SyntaxKind.PriceExpression } price)
        {
            if (syntax is not ErrorExpressionSyntax)
            {
                _diagnostics.ReportBadCondition(syntax.Span, "'" + Shorten(_tree.GetStatementText(syntax.Span)) + "'");
            }

            return false;
        }

        var symbol = LookupResource(price.Identifier);
        if (symbol is null || ResolveSubscript(price, symbol.IndexSets, IndexScope.Open(), allowOmitted: true) is null)
        {
            return false;
        }

        var value = BindValue(comparison.Right, IndexScope.Closed(Array.Empty<IndexSymbol>()));
        if (value.IsError)
        {
            return false;
        }

        if (!value.Spec!.IsConstant || value.Spec.Constant < 0)
        {
            _diagnostics.ReportBadCondition(comparison.Right.Span, "a threshold that is not one number of at least 0");
            return false;
        }

        resource = symbol.Name;
        threshold = value.Spec.Constant;
        return true;
    }

    // metric name = mean|sum|max|min|count($var | ^price | @res) [target value];
    private void BindMetric(MetricDeclarationSyntax syntax)
    {
        var name = syntax.Identifier.Text;
        if (!CheckName(syntax.Identifier))
        {
            return;
        }

        var suffix = s_reservedMetricSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal));
        if (suffix is not null)
        {
            _diagnostics.ReportMetricName(syntax.Identifier.Span, name, "the suffix '" + suffix + "' is reserved for Prometheus counters, histograms and summaries");
            return;
        }

        if (name.IndexOf(':') >= 0)
        {
            _diagnostics.ReportMetricName(syntax.Identifier.Span, name, "colons are reserved for recording rules");
            return;
        }

        if (_metricNames.ContainsKey(name))
        {
            _diagnostics.ReportDuplicateName(syntax.Identifier.Span, name, "a metric");
            return;
        }

        MetricAggregateKind aggregate;
        switch (syntax.Aggregate.Text)
        {
            case "mean": aggregate = MetricAggregateKind.Mean; break;
            case "sum": aggregate = MetricAggregateKind.Sum; break;
            case "max": aggregate = MetricAggregateKind.Max; break;
            case "min": aggregate = MetricAggregateKind.Min; break;
            case "count": aggregate = MetricAggregateKind.Count; break;
            default:
                _diagnostics.ReportUnknownWord(syntax.Aggregate.Span, syntax.Aggregate.Text, "metric aggregate", OneOf(s_aggregates), DidYouMean(syntax.Aggregate.Text, s_aggregates));
                return;
        }

        if (syntax.Source is not NameExpressionSyntax source || source.NameKind == SyntaxKind.NameExpression)
        {
            if (syntax.Source is not ErrorExpressionSyntax)
            {
                _diagnostics.ReportInvalidArgument(syntax.Source.Span, "'" + syntax.Aggregate.Text + "'", "takes one family: '$variable', '^price' or '@resource'");
            }

            return;
        }

        if (source.Subscript is not null)
        {
            _diagnostics.ReportInvalidArgument(source.Subscript.Span, "'" + syntax.Aggregate.Text + "'", "aggregates over every member; drop the subscript");
            return;
        }

        UnitSpec unit;
        MetricSourceKind role;
        switch (source.NameKind)
        {
            case SyntaxKind.VariableExpression:
                {
                    var variable = LookupVariable(source.Identifier);
                    if (variable is null)
                    {
                        return;
                    }

                    unit = variable.Unit;
                    role = MetricSourceKind.Variable;
                    break;
                }

            default:
                {
                    var resource = LookupResource(source.Identifier);
                    if (resource is null)
                    {
                        return;
                    }

                    role = source.NameKind == SyntaxKind.PriceExpression ? MetricSourceKind.Price : MetricSourceKind.Resource;
                    unit = role == MetricSourceKind.Price ? Units.Inverse(resource.Unit) : resource.Unit;
                    break;
                }
        }

        if (aggregate == MetricAggregateKind.Count)
        {
            unit = UnitSpec.Dimensionless;
        }

        double? target = null;
        if (syntax.Target is not null)
        {
            var value = BindValue(syntax.Target, IndexScope.Closed(Array.Empty<IndexSymbol>()));
            if (value.IsError || !ExpectUnit(unit, value, syntax.Target.Span))
            {
                return;
            }

            if (!value.Spec!.IsConstant)
            {
                _diagnostics.ReportExpectedConstant(syntax.Target.Span, "a value per member; a target is one number");
                return;
            }

            target = value.Spec.Constant;
        }

        _metricNames.Add(name, syntax.Identifier.Span);
        var spec = new MetricSpec(name, aggregate, source.Identifier.Text, role, unit, target, Statement(syntax));
        _fibre.Metrics.Add(new Bound<MetricSpec>(spec, syntax.Span));
    }

    // instrument calls(f, "g*") | entries(...) [pass (site, result, fd)] [respond backoff(us = n) | refuse(errno = n)];
    private void BindInstrument(InstrumentDeclarationSyntax syntax)
    {
        var name = syntax.Call.Identifier.Text;
        InstrumentKind kind;
        switch (name)
        {
            case "calls": kind = InstrumentKind.Calls; break;
            case "entries": kind = InstrumentKind.Entries; break;
            default:
                if (!syntax.Call.Identifier.IsMissing)
                {
                    _diagnostics.ReportUnknownWord(syntax.Call.Identifier.Span, name, "instrumentation", OneOf(s_instruments), DidYouMean(name, s_instruments));
                }

                return;
        }

        if (syntax.Call.Arguments.IsEmpty)
        {
            _diagnostics.ReportInvalidArgument(syntax.Call.Span, "'" + name + "'", "takes at least one function name or \"glob\" pattern");
            return;
        }

        var patterns = new List<string>();
        foreach (var argument in syntax.Call.Arguments)
        {
            string pattern;
            if (argument.Name is null && argument.Value is NameExpressionSyntax { NameKind: SyntaxKind.NameExpression, Subscript: null } function)
            {
                if (!CheckName(function.Identifier))
                {
                    return;
                }

                pattern = function.Identifier.Text;
            }
            else if (argument.Name is null && argument.Value is StringExpressionSyntax text)
            {
                pattern = Unquote(text.StringToken.Text);
                if (pattern.Length == 0 || pattern.Length > IdentifierRules.MaxLength || !pattern.All(static c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '*' or '?'))
                {
                    _diagnostics.ReportInvalidPattern(text.Span, Shorten(pattern));
                    return;
                }
            }
            else
            {
                _diagnostics.ReportInvalidArgument(argument.Span, "'" + name + "'", "takes function names or \"glob\" patterns");
                return;
            }

            if (!patterns.Contains(pattern))
            {
                patterns.Add(pattern);
            }
        }

        var passes = new List<HookArgument>();
        foreach (var pass in syntax.Passes)
        {
            HookArgument argument;
            switch (pass.Text)
            {
                case "site": argument = HookArgument.Site; break;
                case "result": argument = HookArgument.Result; break;
                case "fd": argument = HookArgument.Fd; break;
                default:
                    _diagnostics.ReportUnknownWord(pass.Span, pass.Text, "hook argument", OneOf(s_hookArguments), DidYouMean(pass.Text, s_hookArguments));
                    return;
            }

            if (passes.Contains(argument) || (argument == HookArgument.Result && kind == InstrumentKind.Entries))
            {
                var why = passes.Contains(argument) ? "'" + pass.Text + "' is passed twice" : "'result' is a call's returned value; a function entry has none";
                _diagnostics.ReportInvalidArgument(pass.Span, "'pass'", why);
                return;
            }

            passes.Add(argument);
        }

        ResponseSpec? response = null;
        if (syntax.Response is { } respond)
        {
            response = BindResponse(respond);
            if (response is null)
            {
                return;
            }
        }

        var spec = new InstrumentSpec(kind, patterns.ToEquatableArray(), passes.ToEquatableArray(), response, Statement(syntax));
        _fibre.Instruments.Add(new Bound<InstrumentSpec>(spec, syntax.Span));
    }

    private ResponseSpec? BindResponse(CallSyntax call)
    {
        var name = call.Identifier.Text;
        if (!s_responses.Contains(name))
        {
            if (!call.Identifier.IsMissing)
            {
                _diagnostics.ReportUnknownWord(call.Identifier.Span, name, "response", OneOf(s_responses), DidYouMean(name, s_responses));
            }

            return null;
        }

        var (argumentName, low, high, what) = name == "backoff"
            ? ("us", 0.0, 1e6, "microseconds of back-off per unit of price, from 0 to 1000000")
            : ("errno", 1.0, 4095.0, "a whole errno value from 1 to 4095");
        if (call.Arguments.Length != 1 || call.Arguments[0].Name?.Text != argumentName || call.Arguments[0].Value is null)
        {
            _diagnostics.ReportInvalidArgument(call.Span, "'" + name + "'", "takes one argument '" + argumentName + " = ...': " + what);
            return null;
        }

        var value = BindValue(call.Arguments[0].Value!, IndexScope.Closed(Array.Empty<IndexSymbol>()));
        if (value.IsError)
        {
            return null;
        }

        var number = value.Spec!.IsConstant ? value.Spec.Constant : double.NaN;
        if (!(number >= low && number <= high) || (name == "refuse" && number != Math.Floor(number)))
        {
            _diagnostics.ReportInvalidArgument(call.Arguments[0].Span, "'" + argumentName + "' of '" + name + "'", "is " + what);
            return null;
        }

        return new ResponseSpec(name, EquatableArray.Create(new ArgumentSpec(argumentName, number)));
    }
}
