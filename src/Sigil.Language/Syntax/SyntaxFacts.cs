using System.Collections.Generic;

namespace Sigil.Language.Syntax;

/// <summary>Facts about sigil's tokens: fixed texts, keywords, operator precedence.</summary>
internal static class SyntaxFacts
{
    private static readonly Dictionary<string, SyntaxKind> s_keywords = new()
    {
        ["fibre"] = SyntaxKind.FibreKeyword,
        ["index"] = SyntaxKind.IndexKeyword,
        ["by"] = SyntaxKind.ByKeyword,
        ["from"] = SyntaxKind.FromKeyword,
        ["in"] = SyntaxKind.InKeyword,
        ["param"] = SyntaxKind.ParamKeyword,
        ["table"] = SyntaxKind.TableKeyword,
        ["map"] = SyntaxKind.MapKeyword,
        ["couple"] = SyntaxKind.CoupleKeyword,
        ["utility"] = SyntaxKind.UtilityKeyword,
        ["solve"] = SyntaxKind.SolveKeyword,
        ["certify"] = SyntaxKind.CertifyKeyword,
        ["sense"] = SyntaxKind.SenseKeyword,
        ["key"] = SyntaxKind.KeyKeyword,
        ["act"] = SyntaxKind.ActKeyword,
        ["when"] = SyntaxKind.WhenKeyword,
        ["metric"] = SyntaxKind.MetricKeyword,
        ["target"] = SyntaxKind.TargetKeyword,
        ["instrument"] = SyntaxKind.InstrumentKeyword,
        ["pass"] = SyntaxKind.PassKeyword,
        ["respond"] = SyntaxKind.RespondKeyword,
        ["sum"] = SyntaxKind.SumKeyword,
        ["class"] = SyntaxKind.ClassKeyword,
        ["allow"] = SyntaxKind.AllowKeyword,
    };

    /// <summary>The keywords of sigil.</summary>
    public static IReadOnlyDictionary<string, SyntaxKind> Keywords => s_keywords;

    public static SyntaxKind GetKeywordKind(string text) =>
        s_keywords.TryGetValue(text, out var kind) ? kind : SyntaxKind.IdentifierToken;

    /// <summary>The fixed text of a token kind, or null for tokens with variable text.</summary>
    public static string? GetText(SyntaxKind kind)
    {
        switch (kind)
        {
            case SyntaxKind.DollarToken: return "$";
            case SyntaxKind.AtToken: return "@";
            case SyntaxKind.CaretToken: return "^";
            case SyntaxKind.TildeToken: return "~";
            case SyntaxKind.LeftArrowToken: return "<-";
            case SyntaxKind.ArrowToken: return "->";
            case SyntaxKind.LessOrEqualToken: return "<=";
            case SyntaxKind.GreaterOrEqualToken: return ">=";
            case SyntaxKind.EqualsEqualsToken: return "==";
            case SyntaxKind.LessToken: return "<";
            case SyntaxKind.GreaterToken: return ">";
            case SyntaxKind.EqualsToken: return "=";
            case SyntaxKind.DotDotToken: return "..";
            case SyntaxKind.OpenBraceToken: return "{";
            case SyntaxKind.CloseBraceToken: return "}";
            case SyntaxKind.OpenBracketToken: return "[";
            case SyntaxKind.CloseBracketToken: return "]";
            case SyntaxKind.OpenParenthesisToken: return "(";
            case SyntaxKind.CloseParenthesisToken: return ")";
            case SyntaxKind.CommaToken: return ",";
            case SyntaxKind.SemicolonToken: return ";";
            case SyntaxKind.ColonToken: return ":";
            case SyntaxKind.PlusToken: return "+";
            case SyntaxKind.MinusToken: return "-";
            case SyntaxKind.StarToken: return "*";
            case SyntaxKind.SlashToken: return "/";
            case SyntaxKind.StarStarToken: return "**";
            case SyntaxKind.PercentToken: return "%";
        }

        foreach (var pair in s_keywords)
        {
            if (pair.Value == kind)
            {
                return pair.Key;
            }
        }

        return null;
    }

    public static bool IsTrivia(this SyntaxKind kind) =>
        kind is SyntaxKind.WhitespaceTrivia or SyntaxKind.LineCommentTrivia or SyntaxKind.BlockCommentTrivia;

    public static bool IsKeyword(this SyntaxKind kind) =>
        kind >= SyntaxKind.FibreKeyword && kind <= SyntaxKind.AllowKeyword;

    public static bool IsToken(this SyntaxKind kind) => kind < SyntaxKind.CompilationUnit;

    public static bool IsComparison(this SyntaxKind kind) =>
        kind is SyntaxKind.LessOrEqualToken or SyntaxKind.GreaterOrEqualToken or SyntaxKind.EqualsEqualsToken
            or SyntaxKind.LessToken or SyntaxKind.GreaterToken;
}
