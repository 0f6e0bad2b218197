using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Cli.Output;
using System.Text;
using System.Text.Json;
using Sigil.Runtime.Solvers;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>An offline solution: each variable member's value, each row's price, load and budget, and how the solve ended.</summary>
internal sealed record OfflineSolution(
    IReadOnlyList<(string Variable, double Value)> Values,
    IReadOnlyList<(string Row, double Price, double Load, double Budget)> Prices,
    SolverResult Result,
    int NonZeros = 0);

/// <summary>
/// <c>sigil solve &lt;fibre.sigil&gt; [--members index=N] [--table path=file] [--format text|json|csv]</c>: build
/// the fibre's instance (its tables, or other files in their place, and sizes for dynamic index sets), solve it
/// with the solver engines by the fibre's method, and show x, the prices and the status. Exit 0 when solved, 3 otherwise.
/// </summary>
internal static class SolveCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file (its tables beside it)." };
        var sizes = new Option<string[]>("--members") { Description = "Sizes of dynamic index sets, name=N (their members appear only at run time).", AllowMultipleArgumentsPerToken = true };
        var tables = new Option<string[]>("--table") { Description = "New table data for this run, path=file: the table the fibre reads from 'path' is read from 'file' (same format; the fibre is unchanged).", AllowMultipleArgumentsPerToken = true };
        var format = FormatOption.Create(OutputFormat.Csv);
        var command = new Command("solve", "Solve the fibre's instance offline and print x, the prices and the status.") { fibre, sizes, tables, format };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // json and csv print every number in round-trip form.
            var output = parse.GetValue(format);
            var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(tables) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    throw new CliException(CliExitCodes.BadInput, $"--table: '{pair}' is not path=file");
                }

                if (!File.Exists(parts[1]))
                {
                    throw new CliException(CliExitCodes.BadInput, $"--table: {parts[1]}: no such file");
                }

                replacements[parts[0]] = parts[1];
            }

            var spec = FibreSource.Compile(parse.GetValue(fibre)!, Console.Error, replacements, out _);
            var dynamic = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(sizes) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    throw new CliException(CliExitCodes.BadInput, $"--members: '{pair}' is not name=N");
                }

                dynamic[parts[0]] = size;
            }

            var instance = OfflineInstance.Build(spec, dynamic);
            SolverResult result;
            if (output == OutputFormat.Text)
            {
                SolverResult? solved = null;
                Terminal.Out.Status().Start($"solving '{spec.Name}' ({spec.Solver.Method.ToString().ToLowerInvariant()}, {instance.VariableNames.Length} variables, {instance.RowNames.Length} rows, {instance.Problem.Coupling.NonZeroCount} nonzeros)", _ => solved = instance.Solve(spec));
                result = solved!;
            }
            else
            {
                result = instance.Solve(spec);
            }

            var solution = new OfflineSolution(
                instance.VariableNames.Select((name, i) => (name, result.X[i])).ToList(),
                instance.RowNames.Select((name, i) => (name, result.Prices[i], result.Loads[i], instance.Problem.Capacity[i])).ToList(),
                result,
                instance.Problem.Coupling.NonZeroCount);
            switch (output)
            {
                case OutputFormat.Json:
                    Console.Out.Write(Json(spec.Name, spec.Solver.Method.ToString().ToLowerInvariant(), solution));
                    break;
                case OutputFormat.Csv:
                    Console.Out.Write(Csv(solution));
                    break;
                default:
                    Render(Terminal.Out, spec.Name, solution);
                    break;
            }

            return result.Status == SolveStatus.Solved ? CliExitCodes.Ok : CliExitCodes.Failed;
        }));
        return command;
    }

    /// <summary>The status word printed and written (<c>solved</c>, <c>solved inaccurate</c>, <c>iteration limit</c>, ...).</summary>
    public static string StatusText(SolveStatus status) => status switch
    {
        SolveStatus.Solved => "solved",
        SolveStatus.SolvedInaccurate => "solved inaccurate",
        SolveStatus.IterationLimit => "iteration limit",
        SolveStatus.TimeLimit => "time limit",
        SolveStatus.PrimalInfeasible => "primal infeasible",
        SolveStatus.DualInfeasible => "unbounded",
        _ => "numerical failure",
    };

    /// <summary>The solution as two tables and a status line.</summary>
    public static void Render(IAnsiConsole console, string fibre, OfflineSolution solution)
    {
        var values = new Table().Title($"[bold]{Markup.Escape(fibre)}[/]: allocation").AddColumn("variable").AddColumn("x", c => c.RightAligned());
        foreach (var (variable, value) in solution.Values)
        {
            values.AddRow(Markup.Escape(variable), value.ToString("G6", CultureInfo.InvariantCulture));
        }

        var prices = new Table().Title("prices").AddColumn("row").AddColumn("load", c => c.RightAligned()).AddColumn("budget", c => c.RightAligned()).AddColumn("price", c => c.RightAligned());
        foreach (var (row, price, load, budget) in solution.Prices)
        {
            prices.AddRow(Markup.Escape(row), load.ToString("G6", CultureInfo.InvariantCulture), budget.ToString("G6", CultureInfo.InvariantCulture), price.ToString("G6", CultureInfo.InvariantCulture));
        }

        console.Write(values);
        console.Write(prices);
        var r = solution.Result;
        var colour = r.Status == SolveStatus.Solved ? "green" : r.Status == SolveStatus.SolvedInaccurate ? "yellow" : "red";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[{colour}]{StatusText(r.Status)}[/] after {r.Iterations} iterations; primal residual {r.PrimalResidual:G3}, dual residual {r.DualResidual:G3}, relative gap {r.RelativeDualityGap:G3} (over their tolerances: rows {r.Accuracy.Primal:G3}, stationarity {r.Accuracy.Dual:G3}, gap {r.Accuracy.Gap:G3})"));
        if (r.InfeasibilityCertificate is { } y)
        {
            console.MarkupLine("certificate (row prices y >= 0 with min over the bounds of y'Ax > c'y): " + Markup.Escape(string.Join(", ", solution.Prices.Select((p, i) => p.Row + "=" + y[i].ToString("R", CultureInfo.InvariantCulture)).Where((_, i) => y[i] != 0))));
        }
    }

    /// <summary>The solution as one JSON object; numbers in round-trip form, non-finite ones as null.</summary>
    public static string Json(string fibre, string method, OfflineSolution solution)
    {
        var r = solution.Result;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("fibre", fibre);
            json.WriteString("method", method);
            json.WriteString("status", StatusText(r.Status));
            json.WriteNumber("iterations", r.Iterations);
            json.WriteNumber("nonzeros", solution.NonZeros);
            Number(json, "primal_objective", r.PrimalObjective);
            Number(json, "dual_objective", r.DualObjective);
            Number(json, "relative_gap", r.RelativeDualityGap);
            Number(json, "primal_residual", r.PrimalResidual);
            Number(json, "relative_primal_residual", r.RelativePrimalResidual);
            Number(json, "dual_residual", r.DualResidual);
            json.WriteStartObject("accuracy");
            Number(json, "rows", r.Accuracy.Primal);
            Number(json, "stationarity", r.Accuracy.Dual);
            Number(json, "gap", r.Accuracy.Gap);
            json.WriteEndObject();
            json.WriteStartObject("tolerances");
            Number(json, "absolute", r.Tolerances.Absolute);
            Number(json, "relative", r.Tolerances.Relative);
            Number(json, "feasibility", r.Tolerances.Feasibility);
            json.WriteEndObject();
            json.WriteStartArray("variables");
            foreach (var (variable, value) in solution.Values)
            {
                json.WriteStartObject();
                json.WriteString("name", variable);
                Number(json, "value", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("rows");
            for (var i = 0; i < solution.Prices.Count; i++)
            {
                var (row, price, load, budget) = solution.Prices[i];
                json.WriteStartObject();
                json.WriteString("name", row);
                Number(json, "load", load);
                Number(json, "budget", budget);
                Number(json, "price", price);
                if (r.InfeasibilityCertificate is { } y)
                {
                    Number(json, "certificate", y[i]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// The solution as CSV, one record per fact: <c>section,name,value,load,budget,price</c>, with the
    /// summary first (<c>summary,status,solved,,,</c>); numbers in round-trip form.
    /// </summary>
    public static string Csv(OfflineSolution solution)
    {
        var r = solution.Result;
        var text = new StringBuilder("section,name,value,load,budget,price\n");
        void Line(string section, string name, string value, string load = "", string budget = "", string price = "") =>
            text.Append(section).Append(',').Append(Field(name)).Append(',').Append(Field(value)).Append(',').Append(load).Append(',').Append(budget).Append(',').Append(price).Append('\n');
        Line("summary", "status", StatusText(r.Status));
        Line("summary", "iterations", r.Iterations.ToString(CultureInfo.InvariantCulture));
        Line("summary", "primal_objective", R(r.PrimalObjective));
        Line("summary", "dual_objective", R(r.DualObjective));
        Line("summary", "relative_gap", R(r.RelativeDualityGap));
        Line("summary", "primal_residual", R(r.PrimalResidual));
        Line("summary", "dual_residual", R(r.DualResidual));
        foreach (var (variable, value) in solution.Values)
        {
            Line("variable", variable, R(value));
        }

        foreach (var (row, price, load, budget) in solution.Prices)
        {
            Line("row", row, string.Empty, R(load), R(budget), R(price));
        }

        return text.ToString();
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
