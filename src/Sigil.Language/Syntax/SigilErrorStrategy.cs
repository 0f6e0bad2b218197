using System;
using System.Collections.Generic;
using System.Linq;
using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Sigil.Language.Diagnostics;
using Sigil.Language.Syntax.Grammar;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>
/// ANTLR's default recovery (single-token insertion and deletion, resync to the follow set) with
/// sigil's wording: every error goes to the <see cref="DiagnosticBag"/> and parsing goes on, so a
/// file shows all its syntax errors at once. Nothing here throws at the user; once the bag is full
/// the parse stops through <see cref="ParseAbortedException"/>, which <see cref="SyntaxTree"/> catches.
/// </summary>
internal sealed class SigilErrorStrategy : DefaultErrorStrategy
{
    private static readonly int[] s_expressionStarters =
    {
        SigilParser.DOLLAR, SigilParser.AT, SigilParser.CARET, SigilParser.NUMBER, SigilParser.LPAREN,
        SigilParser.MINUS, SigilParser.PLUS, SigilParser.SUM, SigilParser.IDENT, SigilParser.STRING,
    };

    private readonly DiagnosticBag _diagnostics;

    public SigilErrorStrategy(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    public override void ReportError(Parser recognizer, RecognitionException e)
    {
        if (InErrorRecoveryMode(recognizer))
        {
            return;
        }

        BeginErrorCondition(recognizer);
        var offending = e.OffendingToken ?? recognizer.CurrentToken;
        IntervalSet? expected = null;
        try
        {
            expected = e.GetExpectedTokens();
        }
        catch (ArgumentException)
        {
            // Some exceptions carry no ATN state; the expectation is then unknown.
        }

        Report(offending, expected);
    }

    protected override void ReportUnwantedToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
        {
            return;
        }

        BeginErrorCondition(recognizer);
        Report(recognizer.CurrentToken, GetExpectedTokens(recognizer));
    }

    protected override void ReportMissingToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
        {
            return;
        }

        BeginErrorCondition(recognizer);
        var current = recognizer.CurrentToken;
        var previous = ((ITokenStream)recognizer.InputStream).LT(-1);
        var at = previous is null || previous.Type == TokenConstants.EOF
            ? new TextSpan(Math.Max(0, current.StartIndex), 0)
            : new TextSpan(previous.StopIndex + 1, 0);
        _diagnostics.Report(DiagnosticDescriptors.MissingToken, at, Describe(GetExpectedTokens(recognizer)), Display(current));
        StopIfFull();
    }

    private void Report(IToken offending, IntervalSet? expected)
    {
        var span = offending.Type == TokenConstants.EOF
            ? new TextSpan(Math.Max(0, offending.StartIndex), 0)
            : TextSpan.FromBounds(offending.StartIndex, offending.StopIndex + 1);
        _diagnostics.Report(DiagnosticDescriptors.UnexpectedToken, span, Display(offending), expected is null ? "something else" : Describe(expected));
        StopIfFull();
    }

    private void StopIfFull()
    {
        if (_diagnostics.IsFull)
        {
            throw new ParseAbortedException();
        }
    }

    /// <summary>How a token reads in a message: <c>';'</c>, <c>name 'x'</c>, <c>end of file</c>.</summary>
    public static string Display(IToken token)
    {
        switch (token.Type)
        {
            case TokenConstants.EOF:
                return "end of file";
            case SigilParser.IDENT:
                return "name '" + token.Text + "'";
            case SigilParser.NUMBER:
                return "number '" + token.Text + "'";
            case SigilParser.STRING:
                return "string " + Shorten(token.Text);
            default:
                return "'" + Shorten(token.Text) + "'";
        }
    }

    /// <summary>An expected-token set in words: <c>';' or ','</c>, <c>an expression</c>.</summary>
    public static string Describe(IntervalSet expected)
    {
        var types = expected.ToList();
        var words = new List<string>();
        if (s_expressionStarters.Count(types.Contains) >= 4)
        {
            words.Add("an expression");
            types = types.Where(t => !s_expressionStarters.Contains(t)).ToList();
        }

        foreach (var type in types)
        {
            words.Add(type switch
            {
                TokenConstants.EOF => "end of file",
                SigilParser.IDENT => "a name",
                SigilParser.NUMBER => "a number",
                SigilParser.STRING => "a string",
                _ => SigilParser.DefaultVocabulary.GetLiteralName(type) ?? SigilParser.DefaultVocabulary.GetDisplayName(type),
            });
        }

        if (words.Count == 0)
        {
            return "nothing more";
        }

        return words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[words.Count - 1];
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text.Substring(0, 21) + "...";
}

/// <summary>Thrown by <see cref="SigilErrorStrategy"/> once the error limit is reached, to stop the parse.</summary>
internal sealed class ParseAbortedException : Exception
{
}
