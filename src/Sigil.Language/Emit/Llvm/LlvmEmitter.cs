using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// The LLVM backend: for a fibre with <c>instrument</c> statements, the C++ source of a pass
/// plugin for LLVM 14's new pass manager, and the C header and source of the run-time hook that
/// instrumented programs link. Pure: spec in, text out; the same spec gives the same bytes.
/// </summary>
/// <remarks>
/// Artefacts (see <see cref="LlvmNames"/>): <c>llvm/Sigil&lt;Fibre&gt;.cpp</c>,
/// <c>llvm/sigil_&lt;fibre&gt;_hook.h</c>, <c>llvm/sigil_&lt;fibre&gt;_hook.c</c>. A fibre
/// without instrument statements has none. The design is described in docs/llvm.md.
/// </remarks>
public static class LlvmEmitter
{
    /// <summary>Fixed-point fraction bits when the fibre keeps no price in the kernel: the one price scale.</summary>
    public const int DefaultScaleBits = Model.FixedPointSpec.DefaultScaleBits;

    /// <summary>Microseconds of back-off per unit of price when <c>backoff</c> names no <c>us</c>.</summary>
    public const double DefaultBackoffMicroseconds = 100;

    /// <summary>The longest single back-off, in microseconds, when <c>backoff</c> names no <c>max_us</c>.</summary>
    public const double DefaultBackoffLimitMicroseconds = 1_000_000;

    /// <summary>The errno of a refused call when <c>refuse</c> names none (EAGAIN).</summary>
    public const int DefaultRefuseErrno = 11;

    /// <summary>The artefacts of <paramref name="spec"/>, sorted by relative path; empty without instrument statements.</summary>
    public static IReadOnlyList<Artefact> Emit(FibreSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        if (spec.Instruments.IsEmpty)
        {
            return Array.Empty<Artefact>();
        }

        var model = BuildModel(spec);
        var artefacts = new List<Artefact>
        {
            new(LlvmNames.Target, LlvmNames.PluginSourcePath(spec.Name), LlvmTemplates.Plugin(model)),
            new(LlvmNames.Target, LlvmNames.HookHeaderPath(spec.Name), LlvmTemplates.HookHeader(model)),
            new(LlvmNames.Target, LlvmNames.HookSourcePath(spec.Name), LlvmTemplates.HookSource(model)),
        };
        artefacts.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return artefacts;
    }

    /// <summary>
    /// The price the hook reads: the one the kernel keeps (<see cref="FibreSpec.FixedPoint"/>),
    /// else the first exported one; and the map it is exported to, if any.
    /// </summary>
    internal static (string? Resource, string? MapName) PriceSource(FibreSpec spec)
    {
        var resource = spec.FixedPoint?.Resource ?? (spec.PriceExports.IsEmpty ? null : spec.PriceExports[0].Resource);
        var export = spec.PriceExports.FirstOrDefault(e => e.Resource == resource);
        return (resource, export?.MapName);
    }

    /// <summary>True when the price is one for the whole fibre (a resource without index sets): key 0.</summary>
    internal static bool IsSharedPrice(FibreSpec spec, string? resource)
    {
        var found = spec.Resources.FirstOrDefault(r => r.Name == resource);
        return found is not null && found.IndexSets.IsEmpty;
    }

    private static LlvmFibreModel BuildModel(FibreSpec spec)
    {
        var fibre = Identifier.Required(spec.Name, nameof(spec));
        var scaleBits = spec.FixedPoint?.ScaleBits ?? DefaultScaleBits;
        if (scaleBits is < 0 or > 62)
        {
            throw new ArgumentException($"The fixed-point scale of fibre '{fibre}' ({scaleBits} bits) is outside 0..62.", nameof(spec));
        }

        var (resource, mapName) = PriceSource(spec);
        var shared = IsSharedPrice(spec, resource);
        var mapPath = mapName is null ? string.Empty : LlvmNames.PriceMapPath(fibre, mapName);
        var pagePath = LlvmNames.PricePagePath(fibre);
        var rules = new List<LlvmRuleModel>();
        for (var i = 0; i < spec.Instruments.Count; i++)
        {
            rules.Add(BuildRule(i, spec.Instruments[i], scaleBits));
        }

        return new LlvmFibreModel
        {
            SourceComment = CText.Comment(spec.SourceFileName),
            Fibre = fibre,
            FibreLiteral = CText.Literal(fibre),
            PluginName = LlvmNames.PluginName(fibre),
            PluginNameLiteral = CText.Literal(LlvmNames.PluginName(fibre)),
            PassName = LlvmNames.PassName(fibre),
            PassNameLiteral = CText.Literal(LlvmNames.PassName(fibre)),
            HookSymbol = LlvmNames.HookSymbol(fibre),
            HookSymbolLiteral = CText.Literal(LlvmNames.HookSymbol(fibre)),
            PriceSymbol = LlvmNames.PriceSymbol(fibre),
            PriceSymbolLiteral = CText.Literal(LlvmNames.PriceSymbol(fibre)),
            Prefix = "sigil_" + fibre,
            SymbolPrefixLiteral = CText.Literal(LlvmNames.SymbolPrefix(fibre)),
            MacroPrefix = LlvmNames.MacroPrefix(fibre),
            SummarySection = LlvmNames.SummarySection,
            SummarySectionLiteral = CText.Literal(LlvmNames.SummarySection),
            HookHeaderFile = LlvmNames.HookHeaderPath(fibre).Substring(LlvmNames.Target.Length + 1),
            LlvmMajor = CText.Int(LlvmNames.LlvmMajor),
            ScaleBits = CText.Int(scaleBits),
            PriceComment = CText.Comment(resource is null
                ? "the fibre exports no price: the hook reads 0 unless the daemon keeps a price page"
                : shared
                    ? $"^{resource}, one price for the whole fibre (key 0)"
                    : $"^{resource} of this process (key: tgid)"),
            MapPathLiteral = CText.Literal(mapPath),
            MapComment = CText.Comment(mapName is null
                ? "no BPF map: the fibre exports no price"
                : $"the pinned BPF map {mapPath} (key u32, value u64)"),
            PagePathLiteral = CText.Literal(pagePath),
            PageComment = CText.Comment("the shared price page " + pagePath),
            SharedPrice = shared,
            UsesBackoff = rules.Any(r => r.IsBackoff),
            UsesRefuse = rules.Any(r => r.IsRefuse),
            RuleCount = CText.Int(rules.Count),
            Rules = rules,
        };
    }

    private static LlvmRuleModel BuildRule(int index, InstrumentSpec instrument, int scaleBits)
    {
        var passSite = instrument.Passes.Contains(HookArgument.Site);
        var passFd = instrument.Passes.Contains(HookArgument.Fd);
        var passResult = instrument.Kind == InstrumentKind.Calls && instrument.Passes.Contains(HookArgument.Result);
        var response = instrument.Response;
        var kind = response?.Kind ?? string.Empty;
        var rule = new LlvmRuleModel
        {
            Index = CText.Int(index),
            Kind = instrument.Kind == InstrumentKind.Calls ? "Calls" : "Entries",
            Patterns = "{" + string.Join(", ", instrument.Patterns.Select(static p => CText.Literal(Pattern(p)))) + "}",
            PatternCount = CText.Int(instrument.Patterns.Count),
            PassSite = CText.Bool(passSite),
            PassFd = CText.Bool(passFd),
            PassResult = CText.Bool(passResult),
            StatementLiteral = CText.Literal(instrument.Statement),
            StatementComment = CText.Comment(instrument.Statement),
            IsBackoff = kind == "backoff",
            IsRefuse = kind == "refuse",
        };

        // A refusal skips the call, so it needs a site before the call (or at an entry); after a
        // call, with its result, the hook can only count it.
        rule.Refuse = CText.Bool(rule.IsRefuse && !passResult);
        if (rule.IsBackoff)
        {
            var us = Argument(response!, "us") ?? DefaultBackoffMicroseconds;
            var maxUs = Argument(response!, "max_us") ?? DefaultBackoffLimitMicroseconds;
            rule.NsPerUnit = CText.Unsigned(Nanoseconds(us));
            rule.MaxNs = CText.Unsigned(Nanoseconds(maxUs));
            rule.ResponseComment = CText.Comment(string.Format(
                CultureInfo.InvariantCulture,
                "back off {0:R} us per unit of price, at most {1:R} us",
                us,
                maxUs));
        }
        else if (rule.IsRefuse)
        {
            var errno = Argument(response!, "errno") ?? DefaultRefuseErrno;
            var above = Argument(response!, "above") ?? 0;
            rule.Errno = CText.Int(errno is >= 1 and <= 4095 ? (int)Math.Round(errno) : DefaultRefuseErrno);
            rule.AboveFixed = CText.Unsigned(Fixed(above, scaleBits));
            rule.ResponseComment = CText.Comment(string.Format(
                CultureInfo.InvariantCulture,
                "refuse with errno {0} at {1}{2}",
                rule.Errno,
                above > 0 ? string.Format(CultureInfo.InvariantCulture, "a price of {0:R} or more", above) : "any price above 0",
                passResult ? " (after the call: counted only)" : string.Empty));
        }
        else
        {
            rule.ResponseComment = CText.Comment(response is null
                ? "no response: the hook reads the price and counts"
                : $"unknown response '{response.Kind}': the hook counts only");
        }

        return rule;
    }

    // Glob patterns reach llvm::GlobPattern, where '[', ']' and '\' are special: the front end
    // allows only identifier characters, '*' and '?'.
    private static string Pattern(string pattern)
    {
        if (pattern.Length == 0 || pattern.Any(static c => !(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '*' or '?' or '.' or '$')))
        {
            throw new ArgumentException($"'{pattern}' is not an instrument pattern (identifier characters, '*' and '?').", nameof(pattern));
        }

        return pattern;
    }

    private static double? Argument(ResponseSpec response, string name) =>
        response.Arguments.FirstOrDefault(a => a.Name == name)?.Value;

    private static ulong Nanoseconds(double microseconds)
    {
        const double Limit = 3600e9; // an hour
        var ns = Math.Round(microseconds * 1000);
        return double.IsNaN(ns) || ns <= 0 ? 0 : ns >= Limit ? (ulong)Limit : (ulong)ns;
    }

    // The smallest fixed-point price at or above value; at least 1, so a zero price never acts.
    private static ulong Fixed(double value, int scaleBits)
    {
        var scaled = Math.Ceiling(value * Math.Pow(2, scaleBits));
        return double.IsNaN(scaled) || scaled < 1 ? 1 : scaled >= 9.2e18 ? 9_200_000_000_000_000_000UL : (ulong)scaled;
    }
}
