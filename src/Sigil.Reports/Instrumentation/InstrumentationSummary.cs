using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using Sigil.Language.Emit.Llvm;

namespace Sigil.Runtime.Instrumentation;

/// <summary>
/// What one fibre's LLVM pass instrumented in a program (or a shared library, or an object), read
/// back from the records every module it compiled left in the section
/// <see cref="LlvmNames.SummarySection"/>: the pass runs once per translation unit and cannot know
/// the program, the linker gathers the records, and this sums them into the program's one line.
/// Site ids and wrapped names are counted once each, as the linker keeps one copy of an inline
/// function's site or of a linkonce wrapper that many modules hold.
/// </summary>
/// <param name="Pass">The pass name, e.g. <c>sigil-dwell</c>.</param>
/// <param name="Units">The translation units the pass compiled.</param>
/// <param name="UnitsWithSites">Those among them with at least one site.</param>
/// <param name="Sites">Distinct site ids.</param>
/// <param name="Wrapped">Distinct functions wrapped for calls through pointers, by ordinal name.</param>
/// <param name="Uncovered">Distinct variadic functions whose address is taken and which no wrapper covers, by ordinal name.</param>
public sealed record InstrumentationSummary(string Pass, int Units, int UnitsWithSites, int Sites, IReadOnlyList<string> Wrapped, IReadOnlyList<string> Uncovered)
{
    /// <summary>
    /// The summary line: <c>sigil-dwell: prog: 3 site(s) in 2 of 3 translation unit(s), 1
    /// function(s) wrapped for calls through pointers</c>, then <c>; not covered through pointers
    /// (variadic): …</c> when some are not.
    /// </summary>
    public string Line(string program)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{Pass}: {program}: {Sites} site(s) in {UnitsWithSites} of {Units} translation unit(s), {Wrapped.Count} function(s) wrapped for calls through pointers");
        return Uncovered.Count == 0 ? line : line + "; not covered through pointers (variadic): " + string.Join(" ", Uncovered);
    }

    /// <summary>
    /// The summaries of every pass whose records <paramref name="path"/> holds, by ordinal pass
    /// name; empty when it holds none (not built with a Sigil pass). Throws
    /// <see cref="InvalidDataException"/> when the file is not an ELF file.
    /// </summary>
    public static IReadOnlyList<InstrumentationSummary> Read(string path)
    {
        if (!ELFReader.TryLoad(path, out IELF elf))
        {
            throw new InvalidDataException($"{path}: not an ELF program, library or object");
        }

        using (elf)
        {
            var records = new StringBuilder();
            foreach (var section in elf.Sections.Where(static s => s.Name == LlvmNames.SummarySection))
            {
                // ProgBits is the only kind the pass writes; another kind by this name holds no records.
                if (section is ISection { Type: SectionType.ProgBits })
                {
                    records.Append(Encoding.UTF8.GetString(section.GetContents()));
                }
            }

            return Parse(records.ToString());
        }
    }

    /// <summary>Sums the records' text (one tab-separated fact a line, see the pass's template).</summary>
    public static IReadOnlyList<InstrumentationSummary> Parse(string records)
    {
        var passes = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var line in records.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t', 3);
            if (fields.Length != 3)
            {
                throw new InvalidDataException($"a record line is not 'pass<TAB>kind<TAB>value': '{line}'");
            }

            if (!passes.TryGetValue(fields[0], out var tally))
            {
                passes[fields[0]] = tally = new Tally();
            }

            switch (fields[1])
            {
                case "unit":
                    tally.Units++;
                    tally.CurrentHasSites = false;
                    break;
                case "site":
                    tally.Sites.Add(fields[2]);
                    if (!tally.CurrentHasSites)
                    {
                        tally.CurrentHasSites = true;
                        tally.UnitsWithSites++;
                    }

                    break;
                case "wrapped":
                    tally.Wrapped.Add(fields[2]);
                    break;
                case "uncovered":
                    tally.Uncovered.Add(fields[2]);
                    break;
                default:
                    throw new InvalidDataException($"a record of an unknown kind '{fields[1]}': '{line}'");
            }
        }

        return passes.Select(static p => new InstrumentationSummary(p.Key, p.Value.Units, p.Value.UnitsWithSites, p.Value.Sites.Count, p.Value.Wrapped.ToList(), p.Value.Uncovered.ToList())).ToList();
    }

    private sealed class Tally
    {
        public int Units;
        public int UnitsWithSites;
        public bool CurrentHasSites;
        public readonly HashSet<string> Sites = new(StringComparer.Ordinal);
        public readonly SortedSet<string> Wrapped = new(StringComparer.Ordinal);
        public readonly SortedSet<string> Uncovered = new(StringComparer.Ordinal);
    }
}
