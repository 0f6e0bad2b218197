using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Sigil.Cli.Output;
using Sigil.Runtime.Solvers;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>An offline solution: each variable member's value, and each row's price, load and budget.</summary>
internal sealed record OfflineSolution(
    IReadOnlyList<(string Variable, double Value)> Values,
    IReadOnlyList<(string Row, double Price, double Load, double Budget)> Prices,
    long Iterations,
    double PrimalResidual,
    double DualResidual,
    bool Converged,
    double RelativeGap);

/// <summary>
/// <c>sigil solve &lt;fibre.sigil&gt; [--members index=N]</c>: build the fibre's instance (its tables,
/// and sizes for dynamic index sets), solve it with the solver engines by the fibre's method, and
/// show x and the prices. Exit 0 when converged, 3 when not.
/// </summary>
internal static class SolveCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file (its tables beside it)." };
        var sizes = new Option<string[]>("--members") { Description = "Sizes of dynamic index sets, name=N (their members appear only at run time).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("solve", "Solve the fibre's instance offline and print x and the prices.") { fibre, sizes };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = FibreSource.Compile(parse.GetValue(fibre)!, Console.Error);
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
            SolverResult? result = null;
            Terminal.Out.Status().Start($"solving '{spec.Name}' ({spec.Solver.Method.ToString().ToLowerInvariant()}, {instance.VariableNames.Length} variables, {instance.RowNames.Length} rows)", _ => result = instance.Solve(spec));
            Render(Terminal.Out, spec.Name, new OfflineSolution(
                instance.VariableNames.Select((name, i) => (name, result!.X[i])).ToList(),
                instance.RowNames.Select((name, i) => (name, result!.Prices[i], result.Loads[i], instance.Problem.Capacity[i])).ToList(),
                result!.Iterations,
                result.PrimalResidual,
                result.DualResidual,
                result.Converged,
                result.RelativeDualityGap));
            return result.Converged ? CliExitCodes.Ok : CliExitCodes.Failed;
        }));
        return command;
    }

    /// <summary>The solution as two tables.</summary>
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
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{(solution.Converged ? "[green]converged[/]" : "[red]did not converge[/]")} in {solution.Iterations} iterations; primal residual {solution.PrimalResidual:G3}, dual residual {solution.DualResidual:G3}, relative gap {solution.RelativeGap:G3}"));
    }
}
