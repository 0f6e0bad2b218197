using System.Collections.Generic;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// What the LLVM templates receive for one fibre: every value is finished text, escaped for the
/// place it goes (C identifiers validated, literals quoted, comments made safe, numbers in the
/// invariant culture). The templates only lay it out.
/// </summary>
internal sealed class LlvmFibreModel
{
    public string SourceComment { get; set; } = string.Empty;
    public string Fibre { get; set; } = string.Empty;
    public string FibreLiteral { get; set; } = string.Empty;
    public string PluginName { get; set; } = string.Empty;
    public string PluginNameLiteral { get; set; } = string.Empty;
    public string PassName { get; set; } = string.Empty;
    public string PassNameLiteral { get; set; } = string.Empty;
    public string HookSymbol { get; set; } = string.Empty;
    public string HookSymbolLiteral { get; set; } = string.Empty;
    public string PriceSymbol { get; set; } = string.Empty;
    public string PriceSymbolLiteral { get; set; } = string.Empty;
    public string Prefix { get; set; } = string.Empty;
    public string SymbolPrefixLiteral { get; set; } = string.Empty;
    public string MacroPrefix { get; set; } = string.Empty;
    public string SummarySection { get; set; } = string.Empty;
    public string SummarySectionLiteral { get; set; } = string.Empty;
    public string HookHeaderFile { get; set; } = string.Empty;
    public string LlvmMajor { get; set; } = string.Empty;
    public string ScaleBits { get; set; } = string.Empty;
    public string PriceComment { get; set; } = string.Empty;
    public string MapPathLiteral { get; set; } = string.Empty;
    public string MapComment { get; set; } = string.Empty;
    public string PagePathLiteral { get; set; } = string.Empty;
    public string PageComment { get; set; } = string.Empty;
    public bool SharedPrice { get; set; }
    public bool UsesBackoff { get; set; }
    public bool UsesRefuse { get; set; }
    public string RuleCount { get; set; } = string.Empty;
    public IReadOnlyList<LlvmRuleModel> Rules { get; set; } = new List<LlvmRuleModel>();
}

/// <summary>One instrument statement, as the plugin's rule table and the hook's switch see it.</summary>
internal sealed class LlvmRuleModel
{
    public string Index { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public string Patterns { get; set; } = string.Empty;
    public string PatternCount { get; set; } = string.Empty;
    public string PassSite { get; set; } = string.Empty;
    public string PassFd { get; set; } = string.Empty;
    public string PassResult { get; set; } = string.Empty;
    public string Refuse { get; set; } = string.Empty;
    public string StatementLiteral { get; set; } = string.Empty;
    public string StatementComment { get; set; } = string.Empty;
    public bool IsBackoff { get; set; }
    public bool IsRefuse { get; set; }
    public string NsPerUnit { get; set; } = string.Empty;
    public string MaxNs { get; set; } = string.Empty;
    public string AboveFixed { get; set; } = string.Empty;
    public string Errno { get; set; } = string.Empty;
    public string ResponseComment { get; set; } = string.Empty;
}
