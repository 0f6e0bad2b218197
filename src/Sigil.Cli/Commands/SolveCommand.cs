using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>An offline solution: each variable member's value and each resource member's price.</summary>
internal sealed record OfflineSolution(
    IReadOnlyList<(string Variable, string Member, double Value)> Values,
    IReadOnlyList<(string Resource, string Member, double Price)> Prices,
    long Iterations,
    double PrimalResidual,
    double DualResidual);

/// <summary><c>sigil solve &lt;fibre.sigil&gt;</c>: solve an offline instance and show x and the prices.</summary>
internal static class SolveCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file (its tables beside it)." };
        var command = new Command("solve", "Solve the fibre's instance offline and print x and the prices.") { fibre };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = FibreSource.Compile(parse.GetValue(fibre)!, Console.Error);

            // Seam: the solver engines (Sigil.Runtime.Solvers) solve the spec by its method (dual,
            // ADMM, penalty) and return an OfflineSolution, which Render shows.
            throw CliException.NotAvailable($"solving '{spec.Name}'", "the solver engines (Sigil.Runtime.Solvers)");
        }));
        return command;
    }

    /// <summary>The solution as two tables.</summary>
    public static void Render(IAnsiConsole console, string fibre, OfflineSolution solution)
    {
        var values = new Table().Title($"[bold]{Markup.Escape(fibre)}[/]: allocation").AddColumn("variable").AddColumn("member").AddColumn("x", c => c.RightAligned());
        foreach (var (variable, member, value) in solution.Values)
        {
            values.AddRow(Markup.Escape("$" + variable), Markup.Escape(member), value.ToString("G6", CultureInfo.InvariantCulture));
        }

        var prices = new Table().Title("prices").AddColumn("resource").AddColumn("member").AddColumn("price", c => c.RightAligned());
        foreach (var (resource, member, price) in solution.Prices)
        {
            prices.AddRow(Markup.Escape("^" + resource), Markup.Escape(member), price.ToString("G6", CultureInfo.InvariantCulture));
        }

        console.Write(values);
        console.Write(prices);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{solution.Iterations} iterations; primal residual {solution.PrimalResidual:G3}, dual residual {solution.DualResidual:G3}[/]"));
    }
}
