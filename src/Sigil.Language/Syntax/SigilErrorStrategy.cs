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
    private static readonly int[] s_memberStarters =
    {
        SigilParser.INDEX, SigilParser.PARAM, SigilParser.TABLE, SigilParser.COUPLE, SigilParser.UTILITY, SigilParser.SOLVE,
        SigilParser.CERTIFY, SigilParser.SENSE, SigilParser.ACT, SigilParser.METRIC, SigilParser.INSTRUMENT,
        SigilParser.CLASS, SigilParser.ALLOW, SigilParser.DOLLAR, SigilParser.AT, SigilParser.CARET,
    };

    private static readonly int[] s_statementKeywords =
    {
        SigilParser.INDEX, SigilParser.PARAM, SigilParser.TABLE, SigilParser.COUPLE, SigilParser.UTILITY, SigilParser.SOLVE,
        SigilParser.CERTIFY, SigilParser.SENSE, SigilParser.ACT, SigilParser.METRIC, SigilParser.INSTRUMENT,
        SigilParser.CLASS, SigilParser.ALLOW,
    };

    private static readonly int[] s_expressionStarters =
    {
        SigilParser.DOLLAR, SigilParser.AT, SigilParser.CARET, SigilParser.NUMBER, SigilParser.LPAREN,
        SigilParser.MINUS, SigilParser.PLUS, SigilParser.SUM, SigilParser.IDENT, SigilParser.STRING,
    };

    private readonly DiagnosticBag _diagnostics;

    public SigilErrorStrategy(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    // Inside a statement, resynchronise at its end: skip to the next ';' (and past it), a '}' or
    // a keyword that starts a statement. ANTLR's default would stop at any token that may follow
    // the failed rule, such as the '$' of the next term, and read the rest of the statement as new
    // declarations. A rule below the statement unwinds to it (StatementRecoveryException is a
    // RecognitionException, so each generated rule passes it up through its own catch); the
    // statement's rule skips and returns. At a position where recovery already ran, one token is
    // consumed first, so the parse always moves on.
    public override void Recover(Parser recognizer, RecognitionException e)
    {
        var context = recognizer.Context;
        if (context is null || !InsideMember(context))
        {
            base.Recover(recognizer, e);
            return;
        }

        if (context.RuleIndex != SigilParser.RULE_member)
        {
            throw new StatementRecoveryException(recognizer, context);
        }

        var stream = (ITokenStream)recognizer.InputStream;
        if (lastErrorIndex == stream.Index && stream.LA(1) != TokenConstants.EOF)
        {
            recognizer.Consume();
        }

        lastErrorIndex = stream.Index;
        SkipStatement(recognizer, stream);
    }

    // Between statements, a token that starts none (a misspelt keyword such as 'coupel') is
    // reported once, and its whole statement is skipped: ANTLR would delete the one token and
    // read the rest as some other declaration.
    public override void Sync(Parser recognizer)
    {
        var stream = (ITokenStream)recognizer.InputStream;
        var type = stream.LA(1);
        if (recognizer.Context?.RuleIndex == SigilParser.RULE_resourceDeclaration && type != SigilParser.IDENT)
        {
            // Before the optional 'cluster max N' clause: a token that is no name leaves the clause
            // out, and the ';' that must follow reports itself as missing (SIG0004).
            return;
        }

        if (recognizer.Context?.RuleIndex != SigilParser.RULE_fibreDeclaration || InErrorRecoveryMode(recognizer)
            || type is TokenConstants.EOF or SigilParser.RBRACE || s_memberStarters.Contains(type))
        {
            base.Sync(recognizer);
            return;
        }

        ReportUnwantedToken(recognizer);
        SkipStatement(recognizer, stream);
    }

    // Skips to the end of the statement: past its ';', or up to a '}' or the next statement keyword.
    private static void SkipStatement(Parser recognizer, ITokenStream stream)
    {
        for (var type = stream.LA(1); type != TokenConstants.EOF; type = stream.LA(1))
        {
            if (type == SigilParser.SEMI)
            {
                recognizer.Consume();
                return;
            }

            if (type == SigilParser.RBRACE || s_statementKeywords.Contains(type))
            {
                return;
            }

            recognizer.Consume();
        }
    }

    // A missing ';' is made up before a '$', '@' or '^' only when that token starts a new line:
    // on the same line it is more likely the middle of a broken expression, and the statement
    // is better skipped whole than split into a bogus declaration.
    protected override bool SingleTokenInsertion(Parser recognizer)
    {
        var stream = (ITokenStream)recognizer.InputStream;
        var next = stream.LT(1);
        var previous = stream.LT(-1);
        if (next.Type is SigilParser.DOLLAR or SigilParser.AT or SigilParser.CARET && previous is not null && previous.Line == next.Line)
        {
            return false;
        }

        return base.SingleTokenInsertion(recognizer);
    }

    private static bool InsideMember(RuleContext? context)
    {
        for (; context is not null; context = context.Parent)
        {
            if (context.RuleIndex == SigilParser.RULE_member)
            {
                return true;
            }
        }

        return false;
    }

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
        _diagnostics.ReportMissingToken(at, Describe(GetExpectedTokens(recognizer)), Display(current));
        StopIfFull();
    }

    private void Report(IToken offending, IntervalSet? expected)
    {
        var span = offending.Type == TokenConstants.EOF
            ? new TextSpan(Math.Max(0, offending.StartIndex), 0)
            : TextSpan.FromBounds(offending.StartIndex, offending.StopIndex + 1);
        var expectation = expected is null ? "something else" : Describe(expected);
        if (offending.Type == SigilParser.IDENT && expected is not null)
        {
            // A misspelt keyword: 'coupel' where 'couple' could start.
            var keywords = expected.ToList()
                .Select(static t => SigilParser.DefaultVocabulary.GetLiteralName(t))
                .Where(static l => l is not null && l.Length > 2 && char.IsLetter(l[1]))
                .Select(static l => l!.Trim('\''));
            if (Binding.Binder.Suggest(offending.Text, keywords) is { } keyword)
            {
                expectation += "; did you mean '" + keyword + "'?";
            }
        }

        _diagnostics.ReportUnexpectedToken(span, Display(offending), expectation);
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
        if (s_memberStarters.Count(types.Contains) >= 6)
        {
            words.Add("a statement");
            types = types.Where(t => !s_memberStarters.Contains(t)).ToList();
        }

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

/// <summary>Unwinds the rules inside a statement to the statement's rule, which resynchronises.</summary>
internal sealed class StatementRecoveryException : RecognitionException
{
    public StatementRecoveryException(Parser recognizer, ParserRuleContext context)
        : base(recognizer, recognizer.InputStream, context)
    {
    }
}

/// <summary>Thrown by <see cref="SigilErrorStrategy"/> once the error limit is reached, to stop the parse.</summary>
internal sealed class ParseAbortedException : Exception
{
}
