using System;
using System.CommandLine;
using System.Linq;
using Sigil.Language.Diagnostics;

namespace Sigil.Cli.Commands;

/// <summary><c>sigil check &lt;fibre.sigil&gt;</c>: diagnostics as <c>file(line,col): severity SIGnnnn: message</c>.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file to check." };
        var command = new Command("check", "Report a fibre's diagnostics; exit 1 when there are errors.") { fibre };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(fibre)!;
            var result = FibreSource.CompileWithDiagnostics(path);
            foreach (var diagnostic in result.Diagnostics)
            {
                (diagnostic.Severity == DiagnosticSeverity.Error ? Console.Error : Console.Out).WriteLine(diagnostic.ToString());
            }

            if (result.Spec is null)
            {
                return CliExitCodes.BadInput;
            }

            var warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            Console.Out.WriteLine($"{path}: fibre '{result.Spec.Name}' compiles ({warnings} warning(s))");
            return CliExitCodes.Ok;
        }));
        return command;
    }
}
