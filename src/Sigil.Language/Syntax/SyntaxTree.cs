using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Antlr4.Runtime;
using Sigil.Language.Diagnostics;
using Sigil.Language.Syntax.Grammar;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>
/// A parsed fibre: the source text, every token (trivia included, so the tokens give the text
/// back exactly), and the root of sigil's own syntax tree. ANTLR contexts never leave this folder.
/// </summary>
internal sealed class SyntaxTree
{
    /// <summary>Files above this size are refused before lexing.</summary>
    public const int MaxFileLength = 4 * 1024 * 1024;

    /// <summary>Deepest bracket nesting the parser accepts.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>Most tokens in one statement.</summary>
    public const int MaxStatementTokens = 512;

    private readonly ImmutableArray<SyntaxToken> _tokens;

    private SyntaxTree(SourceText text, ImmutableArray<SyntaxToken> tokens, CompilationUnitSyntax root)
    {
        Text = text;
        _tokens = tokens;
        Root = root;
    }

    public SourceText Text { get; }

    public CompilationUnitSyntax Root { get; }

    /// <summary>Every token, trivia included, in source order; their texts concatenate to the source.</summary>
    public ImmutableArray<SyntaxToken> Tokens => _tokens;

    // Parsing runs in three steps. Lex everything (ANTLR's lexer; a catch-all rule turns any bad
    // character into one token); scan the tokens for bad characters, excessive nesting and
    // over-long statements (stopping at the first), which keeps the recursive parser's depth bounded; then parse the
    // default-channel tokens with a collecting error strategy and build sigil's own nodes.
    public static SyntaxTree Parse(SourceText text, DiagnosticBag diagnostics)
    {
        if (text.Length > MaxFileLength)
        {
            diagnostics.ReportFileTooLarge(new TextSpan(0, 0), text.Length.ToString(CultureInfo.InvariantCulture), MaxFileLength.ToString(CultureInfo.InvariantCulture));
            return new SyntaxTree(text, ImmutableArray<SyntaxToken>.Empty, EmptyRoot(text));
        }

        var antlrTokens = new List<IToken>();
        if (!Scan(text, CreateLexer(text.Text), antlrTokens, diagnostics))
        {
            return new SyntaxTree(text, ImmutableArray<SyntaxToken>.Empty, EmptyRoot(text));
        }

        var allTokens = ToSyntaxTokens(text.Text, antlrTokens);
        var parser = new SigilParser(new CommonTokenStream(new ListTokenSource(antlrTokens)));
        parser.RemoveErrorListeners();
        parser.ErrorHandler = new SigilErrorStrategy(diagnostics);
        SigilParser.CompilationUnitContext context;
        try
        {
            context = parser.compilationUnit();
        }
        catch (ParseAbortedException)
        {
            return new SyntaxTree(text, allTokens, EmptyRoot(text));
        }

        var root = new SyntaxTreeBuilder(text).BuildCompilationUnit(context);
        return new SyntaxTree(text, allTokens, root);
    }

    /// <summary>Lexes <paramref name="text"/> into sigil tokens, trivia included (for tests and tools).</summary>
    public static ImmutableArray<SyntaxToken> ParseTokens(string text)
    {
        var all = ToSyntaxTokens(text, Lex(text));
        return all.RemoveAt(all.Length - 1);
    }

    // Every character outside ASCII can only sit in a comment, a string or a bad-character token,
    // and the lexer treats them all alike; its DFA caches transitions for ASCII only, so mapping
    // them to DEL (U+007F, same length, same positions) keeps lexing linear and fast. Token texts
    // are always taken from the original text.
    private static IList<IToken> Lex(string text) => CreateLexer(text).GetAllTokens();

    private static SigilLexer CreateLexer(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] > '\u007f')
            {
                chars[i] = '\u007f';
            }
        }

        var lexer = new SigilLexer(new AntlrInputStream(chars, chars.Length));
        lexer.RemoveErrorListeners();
        return lexer;
    }

    private static ImmutableArray<SyntaxToken> ToSyntaxTokens(string text, IList<IToken> antlrTokens)
    {
        var tokens = ImmutableArray.CreateBuilder<SyntaxToken>(antlrTokens.Count + 1);
        foreach (var token in antlrTokens)
        {
            tokens.Add(new SyntaxToken(GetKind(token.Type, token.Text), token.StartIndex, TextOf(text, token)));
        }

        tokens.Add(new SyntaxToken(SyntaxKind.EndOfFileToken, text.Length, string.Empty));
        return tokens.MoveToImmutable();
    }

    /// <summary>A token's text from the original source (the lexer saw non-ASCII mapped to DEL).</summary>
    public static string TextOf(string text, IToken token) =>
        token.StartIndex < 0 || token.StopIndex < token.StartIndex || token.StopIndex >= text.Length
            ? string.Empty
            : text.Substring(token.StartIndex, token.StopIndex - token.StartIndex + 1);

    /// <summary>
    /// The statement inside <paramref name="span"/> as quoted into the spec: comments dropped, any
    /// run of white space and comments between two tokens becomes one space, none added elsewhere.
    /// </summary>
    public string GetStatementText(TextSpan span)
    {
        var builder = new StringBuilder();
        var index = FirstTokenAtOrAfter(span.Start);
        var pendingSpace = false;
        for (; index < _tokens.Length; index++)
        {
            var token = _tokens[index];
            if (token.Position >= span.End || token.Kind == SyntaxKind.EndOfFileToken)
            {
                break;
            }

            if (token.Kind.IsTrivia() || token.Kind == SyntaxKind.BadToken)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(token.Text);
        }

        return builder.ToString();
    }

    private int FirstTokenAtOrAfter(int position)
    {
        int lo = 0, hi = _tokens.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_tokens[mid].Position < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // Lexes into 'tokens' while it reports bad characters (and hides them from the parser), and
    // refuses deep nesting and long statements. Returns false when the parse must not run; stops
    // lexing once the error limit is reached, so a megabyte of garbage costs a few hundred tokens.
    private static bool Scan(SourceText text, SigilLexer lexer, List<IToken> tokens, DiagnosticBag diagnostics)
    {
        var depth = 0;
        var statementTokens = 0;
        for (var token = lexer.NextToken(); token.Type != TokenConstants.EOF; token = lexer.NextToken())
        {
            if (diagnostics.IsFull)
            {
                return false;
            }

            tokens.Add(token);
            var span = new TextSpan(token.StartIndex, token.StopIndex - token.StartIndex + 1);
            switch (token.Type)
            {
                case SigilLexer.ERROR_CHAR:
                    var character = TextOf(text.Text, token);
                    if (character == "\"")
                    {
                        diagnostics.ReportUnterminatedString(span);
                    }
                    else
                    {
                        diagnostics.ReportUnexpectedCharacter(span, DisplayCharacter(character));
                    }

                    ((CommonToken)token).Channel = TokenConstants.HiddenChannel;
                    continue;
                case SigilLexer.NUMBER:
                    if (!IsFinite(ParseNumber(token.Text)))
                    {
                        diagnostics.ReportInvalidNumber(span, token.Text.Length > 40 ? token.Text.Substring(0, 37) + "..." : token.Text);
                    }

                    break;
                case SigilLexer.LPAREN:
                case SigilLexer.LBRACK:
                case SigilLexer.LBRACE:
                    if (++depth == MaxNestingDepth + 1)
                    {
                        diagnostics.ReportNestingTooDeep(span, MaxNestingDepth.ToString(CultureInfo.InvariantCulture));
                        return false;
                    }

                    break;
                case SigilLexer.RPAREN:
                case SigilLexer.RBRACK:
                case SigilLexer.RBRACE:
                    depth = Math.Max(0, depth - 1);
                    break;
            }

            if (token.Channel != TokenConstants.DefaultChannel)
            {
                continue;
            }

            if (token.Type is SigilLexer.SEMI or SigilLexer.LBRACE or SigilLexer.RBRACE)
            {
                statementTokens = 0;
            }
            else if (++statementTokens > MaxStatementTokens)
            {
                diagnostics.ReportStatementTooLong(span, MaxStatementTokens.ToString(CultureInfo.InvariantCulture));
                return false;
            }
        }

        return !diagnostics.IsFull;
    }

    /// <summary>The value of a number token (digit separators allowed); may be infinite.</summary>
    public static double ParseNumber(string text)
    {
        var clean = text.IndexOf('_') >= 0 ? text.Replace("_", string.Empty) : text;
        return double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }

    public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static string DisplayCharacter(string text)
    {
        var c = text.Length > 0 ? text[0] : '\0';
        return char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : text;
    }

    private static CompilationUnitSyntax EmptyRoot(SourceText text) =>
        new(new TextSpan(0, text.Length), null, new SyntaxToken(SyntaxKind.EndOfFileToken, text.Length, string.Empty));

    public static SyntaxKind GetKind(int type, string text) => type switch
    {
        SigilLexer.IDENT => SyntaxKind.IdentifierToken,
        SigilLexer.NUMBER => SyntaxKind.NumberToken,
        SigilLexer.STRING => SyntaxKind.StringToken,
        SigilLexer.WS => SyntaxKind.WhitespaceTrivia,
        SigilLexer.LINE_COMMENT => SyntaxKind.LineCommentTrivia,
        SigilLexer.BLOCK_COMMENT => SyntaxKind.BlockCommentTrivia,
        SigilLexer.ERROR_CHAR => SyntaxKind.BadToken,
        TokenConstants.EOF => SyntaxKind.EndOfFileToken,
        SigilLexer.DOLLAR => SyntaxKind.DollarToken,
        SigilLexer.AT => SyntaxKind.AtToken,
        SigilLexer.CARET => SyntaxKind.CaretToken,
        SigilLexer.TILDE => SyntaxKind.TildeToken,
        SigilLexer.LARROW => SyntaxKind.LeftArrowToken,
        SigilLexer.ARROW => SyntaxKind.ArrowToken,
        SigilLexer.LE => SyntaxKind.LessOrEqualToken,
        SigilLexer.GE => SyntaxKind.GreaterOrEqualToken,
        SigilLexer.EQ => SyntaxKind.EqualsEqualsToken,
        SigilLexer.LT => SyntaxKind.LessToken,
        SigilLexer.GT => SyntaxKind.GreaterToken,
        SigilLexer.ASSIGN => SyntaxKind.EqualsToken,
        SigilLexer.DOTDOT => SyntaxKind.DotDotToken,
        SigilLexer.LBRACE => SyntaxKind.OpenBraceToken,
        SigilLexer.RBRACE => SyntaxKind.CloseBraceToken,
        SigilLexer.LBRACK => SyntaxKind.OpenBracketToken,
        SigilLexer.RBRACK => SyntaxKind.CloseBracketToken,
        SigilLexer.LPAREN => SyntaxKind.OpenParenthesisToken,
        SigilLexer.RPAREN => SyntaxKind.CloseParenthesisToken,
        SigilLexer.COMMA => SyntaxKind.CommaToken,
        SigilLexer.SEMI => SyntaxKind.SemicolonToken,
        SigilLexer.COLON => SyntaxKind.ColonToken,
        SigilLexer.PLUS => SyntaxKind.PlusToken,
        SigilLexer.MINUS => SyntaxKind.MinusToken,
        SigilLexer.STAR => SyntaxKind.StarToken,
        SigilLexer.SLASH => SyntaxKind.SlashToken,
        SigilLexer.POW => SyntaxKind.StarStarToken,
        SigilLexer.PERCENT => SyntaxKind.PercentToken,
        _ => SyntaxFacts.GetKeywordKind(text),
    };
}
