using System;
using System.CommandLine;
using System.IO;
using Sigil.Runtime.Metabolism;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil model export &lt;model.json | model.xml[.gz]&gt; --out &lt;folder&gt;</c>: writes a metabolic
/// model (COBRA JSON, or SBML level 3 with fbc) as the tables a fibre reads: <c>reactions.csv</c>
/// (bounds and objective), <c>metabolites.csv</c> (the balanced metabolites) and
/// <c>stoichiometry.csv</c> (S's nonzeros, long form). The output depends on the file only.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A COBRA JSON model (.json) or an SBML level 3 fbc model (.xml, .sbml, optionally .gz)." };
        var folder = new Option<string>("--out") { Description = "The folder to write the tables into (created if absent).", Required = true };
        var export = new Command("export", "Write a metabolic model as fibre tables: reactions.csv, metabolites.csv, stoichiometry.csv.") { model, folder };
        export.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(model)!;
            var read = Read(path);
            var output = parse.GetValue(folder)!;
            read.WriteTables(output);
            Console.Out.WriteLine($"{read.Id}: {read.Reactions.Count} reactions, {read.Metabolites.Count} metabolites, {read.EntryValue.Count} nonzeros of S written to {output}");
            return CliExitCodes.Ok;
        }));

        return new Command("model", "Metabolic models (COBRA JSON, SBML fbc) as fibre tables.") { export };
    }

    private static MetabolicModel Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: no such file");
        }

        try
        {
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? MetabolicModel.ReadCobraJson(path) : MetabolicModel.ReadSbml(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(CliExitCodes.BadInput, e.Message);
        }
    }
}
