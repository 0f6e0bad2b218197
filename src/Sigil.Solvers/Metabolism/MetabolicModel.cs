using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Metabolism;

/// <summary>
/// A constraint-based metabolic model: reactions with flux bounds and objective coefficients,
/// metabolites, and the stoichiometric matrix S (metabolites x reactions) as its nonzeros only.
/// Flux balance is <c>maximise c^T v</c> subject to <c>S v = 0</c> and <c>lo &lt;= v &lt;= hi</c>.
/// </summary>
/// <remarks>
/// Read from the two formats COBRApy writes (and Debian's python3-cobra ships): SBML level 3 with the
/// fbc package (<see cref="ReadSbml"/>, plain or gzip), and COBRA JSON (<see cref="ReadCobraJson"/>).
/// Boundary species (SBML <c>boundaryCondition="true"</c>) are not balanced. Infinite bounds are kept
/// infinite. Bad files raise <see cref="InvalidDataException"/> naming the file and the element.
/// </remarks>
public sealed class MetabolicModel
{
    private MetabolicModel(
        string id,
        string[] reactions,
        string[] metabolites,
        double[] lower,
        double[] upper,
        double[] objective,
        int[] entryMetabolite,
        int[] entryReaction,
        double[] entryValue)
    {
        Id = id;
        Reactions = reactions;
        Metabolites = metabolites;
        Lower = lower;
        Upper = upper;
        Objective = objective;
        EntryMetabolite = entryMetabolite;
        EntryReaction = entryReaction;
        EntryValue = entryValue;
    }

    /// <summary>The model's id (<c>e_coli_core</c>).</summary>
    public string Id { get; }

    /// <summary>Reaction ids, in file order (the columns of S).</summary>
    public IReadOnlyList<string> Reactions { get; }

    /// <summary>Balanced metabolite ids, in file order (the rows of S).</summary>
    public IReadOnlyList<string> Metabolites { get; }

    /// <summary>Flux lower bounds (mmol/gDW/h; may be -infinity). Live: edits apply to <see cref="ToProblem"/>.</summary>
    public double[] Lower { get; }

    /// <summary>Flux upper bounds (may be +infinity). Live.</summary>
    public double[] Upper { get; }

    /// <summary>Objective coefficients of the maximisation (0 for most reactions). Live.</summary>
    public double[] Objective { get; }

    /// <summary>The nonzeros of S: row (metabolite) of each entry.</summary>
    public IReadOnlyList<int> EntryMetabolite { get; }

    /// <summary>The nonzeros of S: column (reaction) of each entry.</summary>
    public IReadOnlyList<int> EntryReaction { get; }

    /// <summary>The nonzeros of S: the stoichiometric coefficient (negative for a reactant).</summary>
    public IReadOnlyList<double> EntryValue { get; }

    /// <summary>The index of a reaction id, or -1.</summary>
    public int ReactionIndex(string id) => Array.IndexOf((string[])Reactions, id);

    /// <summary>
    /// The flux-balance problem: one equality row <c>sum_r S_mr v_r = 0</c> per metabolite (nonzeros
    /// only), one linear agent per reaction (weight = objective coefficient, bounds = flux bounds).
    /// The bound and objective arrays are shared, so edits to them reach the problem.
    /// </summary>
    public NumProblem<LinearAgents> ToProblem()
    {
        var matrix = CouplingMatrix.FromTriplets(Metabolites.Count, Reactions.Count, (int[])EntryMetabolite, (int[])EntryReaction, (double[])EntryValue);
        var senses = new RowSense[Metabolites.Count];
        Array.Fill(senses, RowSense.Equal);
        return new NumProblem<LinearAgents>(matrix, new double[Metabolites.Count], senses, new LinearAgents(Objective, Lower, Upper));
    }

    /// <summary>
    /// Writes the flux-balance LP as a CPLEX LP file (maximise the objective; one equality row per
    /// metabolite over its nonzeros; the flux bounds, infinite ones as <c>-inf</c> / <c>+inf</c>), which
    /// GLPK's <c>glpsol --lp</c> reads: the independent reference the tests and benchmarks solve.
    /// </summary>
    public void WriteCplexLp(string path)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var byMetabolite = new List<int>[Metabolites.Count];
        for (int e = 0; e < EntryValue.Count; e++)
        {
            (byMetabolite[EntryMetabolite[e]] ??= new List<int>()).Add(e);
        }

        var text = new StringBuilder("Maximize\n obj:");
        for (int r = 0; r < Reactions.Count; r++)
        {
            if (Objective[r] != 0)
            {
                text.Append(' ').Append(Objective[r] >= 0 ? "+ " : "- ").Append(N(Math.Abs(Objective[r]))).Append(" v").Append(r);
            }
        }

        text.Append("\nSubject To\n");
        for (int m = 0; m < Metabolites.Count; m++)
        {
            text.Append(" m").Append(m).Append(':');
            foreach (int e in byMetabolite[m] ?? new List<int>())
            {
                double v = EntryValue[e];
                text.Append(' ').Append(v >= 0 ? "+ " : "- ").Append(N(Math.Abs(v))).Append(" v").Append(EntryReaction[e]);
            }

            text.Append(" = 0\n");
        }

        text.Append("Bounds\n");
        for (int r = 0; r < Reactions.Count; r++)
        {
            string lo = double.IsNegativeInfinity(Lower[r]) ? "-inf" : N(Lower[r]);
            string hi = double.IsPositiveInfinity(Upper[r]) ? "+inf" : N(Upper[r]);
            text.Append(' ').Append(lo).Append(" <= v").Append(r).Append(" <= ").Append(hi).Append('\n');
        }

        File.WriteAllText(path, text.Append("End\n").ToString());
    }

    /// <summary>
    /// Writes the model as the tables a fibre reads: <c>reactions.csv</c> (<c>reaction,lower,upper,objective</c>;
    /// infinite bounds written <c>inf</c> / <c>-inf</c>), <c>metabolites.csv</c> (the balanced metabolites,
    /// one per line, the rows of S) and <c>stoichiometry.csv</c> in long form
    /// (<c>metabolite,reaction,value</c>, nonzeros only). Numbers in round-trip form.
    /// </summary>
    public void WriteTables(string folder)
    {
        Directory.CreateDirectory(folder);
        var reactions = new StringBuilder("reaction,lower,upper,objective\n");
        for (int r = 0; r < Reactions.Count; r++)
        {
            reactions.Append(Reactions[r]).Append(',').Append(Number(Lower[r])).Append(',').Append(Number(Upper[r])).Append(',').Append(Number(Objective[r])).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "reactions.csv"), reactions.ToString());
        var metabolites = new StringBuilder("metabolite\n");
        foreach (string m in Metabolites)
        {
            metabolites.Append(m).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "metabolites.csv"), metabolites.ToString());
        var entries = new StringBuilder("metabolite,reaction,value\n");
        for (int e = 0; e < EntryValue.Count; e++)
        {
            entries.Append(Metabolites[EntryMetabolite[e]]).Append(',').Append(Reactions[EntryReaction[e]]).Append(',').Append(Number(EntryValue[e])).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "stoichiometry.csv"), entries.ToString());
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads SBML level 3 with the fbc package (version 2: flux bounds as parameters, objectives), plain or <c>.gz</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not such a model.</exception>
    public static MetabolicModel ReadSbml(string path)
    {
        XDocument document;
        try
        {
            using Stream file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            document = XDocument.Load(stream);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not an SBML file: {e.Message}", e);
        }

        XNamespace sbml = document.Root?.Name.Namespace ?? XNamespace.None;
        XNamespace fbc = document.Root?.Attributes().FirstOrDefault(a => a.IsNamespaceDeclaration && a.Value.Contains("/fbc/", StringComparison.Ordinal))?.Value ?? "http://www.sbml.org/sbml/level3/version1/fbc/version2";
        XElement model = document.Root?.Element(sbml + "model") ?? throw new InvalidDataException($"{path}: no <model> element");
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (XElement p in model.Element(sbml + "listOfParameters")?.Elements(sbml + "parameter") ?? [])
        {
            parameters[(string?)p.Attribute("id") ?? string.Empty] = ParseNumber((string?)p.Attribute("value"), path, "parameter");
        }

        var metabolites = new List<string>();
        var metaboliteIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (XElement s in model.Element(sbml + "listOfSpecies")?.Elements(sbml + "species") ?? [])
        {
            string id = (string?)s.Attribute("id") ?? throw new InvalidDataException($"{path}: a <species> has no id");
            if ((string?)s.Attribute("boundaryCondition") == "true")
            {
                continue;
            }

            metaboliteIndex[id] = metabolites.Count;
            metabolites.Add(id);
        }

        var reactions = new List<string>();
        var lower = new List<double>();
        var upper = new List<double>();
        var em = new List<int>();
        var er = new List<int>();
        var ev = new List<double>();
        foreach (XElement r in model.Element(sbml + "listOfReactions")?.Elements(sbml + "reaction") ?? [])
        {
            string id = (string?)r.Attribute("id") ?? throw new InvalidDataException($"{path}: a <reaction> has no id");
            int column = reactions.Count;
            reactions.Add(id);
            lower.Add(Bound(r, fbc + "lowerFluxBound", parameters, path, id, double.NegativeInfinity));
            upper.Add(Bound(r, fbc + "upperFluxBound", parameters, path, id, double.PositiveInfinity));
            var column_entries = new Dictionary<int, double>();
            foreach (var (list, sign) in new[] { ("listOfReactants", -1.0), ("listOfProducts", 1.0) })
            {
                foreach (XElement reference in r.Element(sbml + list)?.Elements(sbml + "speciesReference") ?? [])
                {
                    string species = (string?)reference.Attribute("species") ?? throw new InvalidDataException($"{path}: reaction '{id}' refers to a species without an id");
                    double coefficient = reference.Attribute("stoichiometry") is { } given ? ParseNumber(given.Value, path, "stoichiometry of reaction '" + id + "'") : 1;
                    if (metaboliteIndex.TryGetValue(species, out int row))
                    {
                        column_entries[row] = column_entries.GetValueOrDefault(row) + sign * coefficient;
                    }
                }
            }

            foreach (var (row, value) in column_entries.OrderBy(p => p.Key))
            {
                if (value != 0)
                {
                    em.Add(row);
                    er.Add(column);
                    ev.Add(value);
                }
            }
        }

        var objective = new double[reactions.Count];
        XElement? objectives = model.Element(fbc + "listOfObjectives");
        string? active = (string?)objectives?.Attribute(fbc + "activeObjective");
        XElement? chosen = objectives?.Elements(fbc + "objective").FirstOrDefault(o => (string?)o.Attribute(fbc + "id") == active) ?? objectives?.Elements(fbc + "objective").FirstOrDefault();
        if (chosen is not null)
        {
            double sign = (string?)chosen.Attribute(fbc + "type") == "minimize" ? -1 : 1;
            foreach (XElement f in chosen.Element(fbc + "listOfFluxObjectives")?.Elements(fbc + "fluxObjective") ?? [])
            {
                string reaction = (string?)f.Attribute(fbc + "reaction") ?? string.Empty;
                int index = reactions.IndexOf(reaction);
                if (index < 0)
                {
                    throw new InvalidDataException($"{path}: the objective names reaction '{reaction}', which the model does not have");
                }

                objective[index] = sign * ParseNumber((string?)f.Attribute(fbc + "coefficient"), path, "objective coefficient");
            }
        }

        return new MetabolicModel((string?)model.Attribute("id") ?? Path.GetFileNameWithoutExtension(path), [.. reactions], [.. metabolites], [.. lower], [.. upper], objective, [.. em], [.. er], [.. ev]);
    }

    /// <summary>Reads a COBRA JSON model (<c>metabolites</c>, <c>reactions</c> with <c>metabolites</c>, bounds and <c>objective_coefficient</c>).</summary>
    /// <exception cref="InvalidDataException">The file is not such a model.</exception>
    public static MetabolicModel ReadCobraJson(string path)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON: {e.Message}", e);
        }

        using (json)
        {
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("reactions", out JsonElement reactionList) || !root.TryGetProperty("metabolites", out JsonElement metaboliteList))
            {
                throw new InvalidDataException($"{path}: a COBRA JSON model needs 'metabolites' and 'reactions'");
            }

            var metabolites = new List<string>();
            var metaboliteIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (JsonElement m in metaboliteList.EnumerateArray())
            {
                string id = m.TryGetProperty("id", out JsonElement idElement) ? idElement.GetString() ?? string.Empty : throw new InvalidDataException($"{path}: a metabolite has no id");
                metaboliteIndex[id] = metabolites.Count;
                metabolites.Add(id);
            }

            var reactions = new List<string>();
            var lower = new List<double>();
            var upper = new List<double>();
            var objective = new List<double>();
            var em = new List<int>();
            var er = new List<int>();
            var ev = new List<double>();
            foreach (JsonElement r in reactionList.EnumerateArray())
            {
                string id = r.TryGetProperty("id", out JsonElement idElement) ? idElement.GetString() ?? string.Empty : throw new InvalidDataException($"{path}: a reaction has no id");
                int column = reactions.Count;
                reactions.Add(id);
                lower.Add(JsonNumber(r, "lower_bound", path, id, -1000));
                upper.Add(JsonNumber(r, "upper_bound", path, id, 1000));
                objective.Add(JsonNumber(r, "objective_coefficient", path, id, 0));
                if (r.TryGetProperty("metabolites", out JsonElement stoichiometry))
                {
                    foreach (JsonProperty entry in stoichiometry.EnumerateObject().OrderBy(p => metaboliteIndex.GetValueOrDefault(p.Name, -1)))
                    {
                        if (!metaboliteIndex.TryGetValue(entry.Name, out int row))
                        {
                            throw new InvalidDataException($"{path}: reaction '{id}' uses metabolite '{entry.Name}', which the model does not list");
                        }

                        double value = entry.Value.GetDouble();
                        if (value != 0)
                        {
                            em.Add(row);
                            er.Add(column);
                            ev.Add(value);
                        }
                    }
                }
            }

            string modelId = root.TryGetProperty("id", out JsonElement mid) && mid.ValueKind == JsonValueKind.String ? mid.GetString()! : Path.GetFileNameWithoutExtension(path);
            return new MetabolicModel(modelId, [.. reactions], [.. metabolites], [.. lower], [.. upper], [.. objective], [.. em], [.. er], [.. ev]);
        }
    }

    private static double Bound(XElement reaction, XName attribute, Dictionary<string, double> parameters, string path, string id, double missing)
    {
        string? name = (string?)reaction.Attribute(attribute);
        if (name is null)
        {
            return missing;
        }

        return parameters.TryGetValue(name, out double value)
            ? value
            : throw new InvalidDataException($"{path}: reaction '{id}' has bound '{name}', which is not a parameter of the model");
    }

    private static double JsonNumber(JsonElement reaction, string name, string path, string id, double missing)
    {
        if (!reaction.TryGetProperty(name, out JsonElement value))
        {
            return missing;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => ParseNumber(value.GetString(), path, name + " of reaction '" + id + "'"),
            _ => throw new InvalidDataException($"{path}: reaction '{id}': {name} is not a number"),
        };
    }

    private static double ParseNumber(string? text, string path, string what)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                return double.PositiveInfinity;
            case "-inf" or "-infinity":
                return double.NegativeInfinity;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !double.IsNaN(value)
            ? value
            : throw new InvalidDataException($"{path}: {what} '{text}' is not a number");
    }
}
