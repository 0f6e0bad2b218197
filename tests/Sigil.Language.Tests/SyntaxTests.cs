using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Syntax;
using Sigil.Language.Text;
using Sigil.Testing;

namespace Sigil.Language.Tests;

public sealed class SyntaxTests
{
    public static TheoryData<string, string> FixedTokens()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in Enum.GetValues<SyntaxKind>())
        {
            if (SyntaxFacts.GetText(kind) is { } text)
            {
                data.Add(kind.ToString(), text);
            }
        }

        return data;
    }

    public static TheoryData<string, string> VariableTokens() => new()
    {
        { "IdentifierToken", "hold" },
        { "IdentifierToken", "_x9" },
        { "IdentifierToken", "fibres" },
        { "NumberToken", "0" },
        { "NumberToken", "3600" },
        { "NumberToken", "8.39" },
        { "NumberToken", ".5" },
        { "NumberToken", "1e-9" },
        { "NumberToken", "2.5E+3" },
        { "NumberToken", "10_240" },
        { "StringToken", "\"atp.edits.csv\"" },
        { "StringToken", "\"a\\\"b\"" },
        { "WhitespaceTrivia", " \t\r\n" },
        { "LineCommentTrivia", "// a comment" },
        { "BlockCommentTrivia", "/* a\nblock */" },
        { "BadToken", "#" },
        { "BadToken", "\u00e9" },
    };

    [Theory]
    [MemberData(nameof(FixedTokens))]
    [MemberData(nameof(VariableTokens))]
    public void Lexer_Lexes_Token(string kindName, string text)
    {
        var kind = Enum.Parse<SyntaxKind>(kindName);
        var token = Assert.Single(SyntaxTree.ParseTokens(text));
        Assert.Equal(kind, token.Kind);
        Assert.Equal(text, token.Text);
        Assert.Equal(new TextSpan(0, text.Length), token.Span);
    }

    [Fact]
    public void Lexer_Covers_EveryTokenKind()
    {
        var lexed = FixedTokens().Concat(VariableTokens()).Select(static row => Enum.Parse<SyntaxKind>((string)row[0])).ToHashSet();
        var tokenKinds = Enum.GetValues<SyntaxKind>().Where(static k => k.IsToken() && k != SyntaxKind.EndOfFileToken);
        Assert.DoesNotContain(tokenKinds, k => !lexed.Contains(k));
    }

    [Theory]
    [MemberData(nameof(FixedTokens))]
    public void SyntaxFacts_GetText_RoundTrips(string kindName, string text)
    {
        var kind = Enum.Parse<SyntaxKind>(kindName);
        if (kind.IsKeyword())
        {
            Assert.Equal(kind, SyntaxFacts.GetKeywordKind(text));
        }
        else
        {
            Assert.Equal(SyntaxKind.IdentifierToken, SyntaxFacts.GetKeywordKind(text));
        }
    }

    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    public void Lexer_ShippedFibre_TokensGiveTheTextBack(string name)
    {
        var text = Fibres.Text(name);
        var tokens = SyntaxTree.ParseTokens(text);
        Assert.Equal(text, string.Concat(tokens.Select(static t => t.Text)));
        Assert.DoesNotContain(tokens, static t => t.Kind == SyntaxKind.BadToken);
    }

    [Fact]
    public void Lexer_Mutants_TokensGiveTheTextBack()
    {
        var mutator = new FibreMutator(7);
        foreach (var text in mutator.Generate(new[] { Fibres.Text("dwell"), Fibres.Text("cache") }, 500))
        {
            var tokens = SyntaxTree.ParseTokens(text);
            Assert.Equal(text, string.Concat(tokens.Select(static t => t.Text)));
            for (var i = 1; i < tokens.Length; i++)
            {
                Assert.Equal(tokens[i - 1].Span.End, tokens[i].Position);
            }
        }
    }

    [Theory]
    [InlineData("dwell", new[] { "DynamicIndexDeclaration", "ParameterDeclaration", "ParameterDeclaration", "ParameterDeclaration", "VariableDeclaration", "ResourceDeclaration", "PriceDeclaration", "CoupleDeclaration", "UtilityDeclaration", "SolveDeclaration", "CertifyDeclaration", "SenseDeclaration", "ActDeclaration", "ActDeclaration", "MetricDeclaration", "InstrumentDeclaration" })]
    [InlineData("atp", new[] { "TableDeclaration", "TableDeclaration", "TableIndexDeclaration", "TableIndexDeclaration", "MatrixTableDeclaration", "TableDeclaration", "TableIndexDeclaration", "MatrixTableDeclaration", "ParameterDeclaration", "RangeIndexDeclaration", "MatrixTableDeclaration", "VariableDeclaration", "VariableDeclaration", "CoupleDeclaration", "CoupleDeclaration", "CoupleDeclaration", "UtilityDeclaration", "UtilityDeclaration", "SolveDeclaration" })]
    public void Parser_ShippedFibre_HasTheMembersInOrder(string name, string[] kinds)
    {
        var tree = Parse(Fibres.Text(name), out var diagnostics);
        Assert.False(diagnostics.HasErrors);
        Assert.Equal(kinds, tree.Root.Fibre!.Members.Select(static m => m.Kind.ToString()));
        Assert.All(tree.Root.Fibre.Members, static m => Assert.False(m.ContainsErrors));
    }

    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    public void Parser_EveryStatement_RoundTripsThroughItsQuotedText(string name)
    {
        var tree = Parse(Fibres.Text(name), out _);
        foreach (var member in tree.Root.Fibre!.Members)
        {
            var statement = tree.GetStatementText(member.Span);
            var again = Parse("fibre f {\n" + statement + "\n}", out var diagnostics);
            Assert.False(diagnostics.HasErrors, statement);
            var reparsed = Assert.Single(again.Root.Fibre!.Members);
            Assert.Equal(member.Kind, reparsed.Kind);
            Assert.Equal(statement, again.GetStatementText(reparsed.Span));
            Assert.Equal(Shape(member), Shape(reparsed));
        }
    }

    [Fact]
    public void Parser_Precedence_PowerBindsTighterThanMinus()
    {
        using var e = new AssertingEnumerator(Expression("-x ** 2 ** 3"));
        e.AssertNode(SyntaxKind.UnaryExpression);
        e.AssertToken(SyntaxKind.MinusToken, "-");
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "x");
        e.AssertToken(SyntaxKind.StarStarToken, "**");
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.NumberExpression);
        e.AssertToken(SyntaxKind.NumberToken, "2");
        e.AssertToken(SyntaxKind.StarStarToken, "**");
        e.AssertNode(SyntaxKind.NumberExpression);
        e.AssertToken(SyntaxKind.NumberToken, "3");
    }

    [Fact]
    public void Parser_SumBody_ExtendsOverAdditionButNotComparison()
    {
        using var e = new AssertingEnumerator(Expression("@r >= sum(j in e) c[j] * $x[j] + 1"));
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.ResourceExpression);
        e.AssertToken(SyntaxKind.AtToken, "@");
        e.AssertToken(SyntaxKind.IdentifierToken, "r");
        e.AssertToken(SyntaxKind.GreaterOrEqualToken, ">=");
        e.AssertNode(SyntaxKind.SumExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "j");
        e.AssertToken(SyntaxKind.IdentifierToken, "e");
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "c");
        e.AssertNode(SyntaxKind.Subscript);
        e.AssertToken(SyntaxKind.IdentifierToken, "j");
        e.AssertToken(SyntaxKind.StarToken, "*");
        e.AssertNode(SyntaxKind.VariableExpression);
        e.AssertToken(SyntaxKind.DollarToken, "$");
        e.AssertToken(SyntaxKind.IdentifierToken, "x");
        e.AssertNode(SyntaxKind.Subscript);
        e.AssertToken(SyntaxKind.IdentifierToken, "j");
        e.AssertToken(SyntaxKind.PlusToken, "+");
        e.AssertNode(SyntaxKind.NumberExpression);
        e.AssertToken(SyntaxKind.NumberToken, "1");
    }

    [Fact]
    public void Parser_MultiplicationBindsTighterThanAddition_LeftAssociative()
    {
        using var e = new AssertingEnumerator(Expression("a - b - c * d"));
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "a");
        e.AssertToken(SyntaxKind.MinusToken, "-");
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "b");
        e.AssertToken(SyntaxKind.MinusToken, "-");
        e.AssertNode(SyntaxKind.BinaryExpression);
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "c");
        e.AssertToken(SyntaxKind.StarToken, "*");
        e.AssertNode(SyntaxKind.NameExpression);
        e.AssertToken(SyntaxKind.IdentifierToken, "d");
    }

    [Fact]
    public void Parser_MissingSemicolon_KeepsTheMemberWhole()
    {
        var tree = Parse("fibre f {\n    param a = 1\n    param b = 2;\n}", out var diagnostics);
        Assert.Equal(1, diagnostics.Count);
        Assert.Equal(2, tree.Root.Fibre!.Members.Length);
        Assert.False(tree.Root.Fibre.Members[0].ContainsErrors);
    }

    [Fact]
    public void Parser_BrokenMember_IsFlaggedAndTheNextOneParses()
    {
        var tree = Parse("fibre f {\n    param a = ;\n    param b = 2;\n}", out var diagnostics);
        Assert.Equal(1, diagnostics.Count);
        var members = tree.Root.Fibre!.Members;
        Assert.Equal(2, members.Length);
        Assert.True(members[0].ContainsErrors);
        Assert.False(members[1].ContainsErrors);
    }

    [Fact]
    public void StatementText_DropsCommentsAndCollapsesWhiteSpace()
    {
        var tree = Parse("fibre f {\n    couple @r[t]   >= /* the load */\n        $x[t]; // end\n}", out _);
        Assert.Equal("couple @r[t] >= $x[t];", tree.GetStatementText(tree.Root.Fibre!.Members[0].Span));
    }

    private static SyntaxTree Parse(string text, out DiagnosticBag diagnostics)
    {
        var source = SourceText.From(text);
        diagnostics = new DiagnosticBag(source, "test.sigil");
        return SyntaxTree.Parse(source, diagnostics);
    }

    private static ExpressionSyntax Expression(string text)
    {
        var tree = Parse("fibre f { param p = " + text + "; }", out var diagnostics);
        Assert.False(diagnostics.HasErrors);
        return ((ParameterDeclarationSyntax)tree.Root.Fibre!.Members[0]).Value;
    }

    private static string Shape(SyntaxNode node) =>
        node is SyntaxToken token ? token.Kind + ":" + token.Text : node.Kind + "(" + string.Join(",", node.GetChildren().Select(Shape)) + ")";

    /// <summary>Walks a tree depth-first and asserts each node and token in turn (minsk's AssertingEnumerator).</summary>
    private sealed class AssertingEnumerator : IDisposable
    {
        private readonly IEnumerator<SyntaxNode> _enumerator;
        private bool _hasErrors;

        public AssertingEnumerator(SyntaxNode node) => _enumerator = Flatten(node).GetEnumerator();

        public void AssertNode(SyntaxKind kind)
        {
            try
            {
                Assert.True(_enumerator.MoveNext());
                Assert.Equal(kind, _enumerator.Current.Kind);
                Assert.IsNotType<SyntaxToken>(_enumerator.Current);
            }
            catch when (MarkFailed())
            {
                throw;
            }
        }

        public void AssertToken(SyntaxKind kind, string text)
        {
            try
            {
                Assert.True(_enumerator.MoveNext());
                var token = Assert.IsType<SyntaxToken>(_enumerator.Current);
                Assert.Equal(kind, token.Kind);
                Assert.Equal(text, token.Text);
            }
            catch when (MarkFailed())
            {
                throw;
            }
        }

        public void Dispose()
        {
            if (!_hasErrors)
            {
                Assert.False(_enumerator.MoveNext());
            }

            _enumerator.Dispose();
        }

        private bool MarkFailed()
        {
            _hasErrors = true;
            return false;
        }

        private static IEnumerable<SyntaxNode> Flatten(SyntaxNode node)
        {
            var stack = new Stack<SyntaxNode>();
            stack.Push(node);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                yield return n;
                foreach (var child in n.GetChildren().Reverse())
                {
                    stack.Push(child);
                }
            }
        }
    }
}
