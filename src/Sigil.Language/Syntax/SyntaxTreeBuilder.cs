using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Sigil.Language.Syntax.Grammar;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>
/// Turns ANTLR's parse contexts into sigil's immutable syntax nodes with spans. Contexts that error
/// recovery left incomplete become nodes with missing tokens or <see cref="ErrorExpressionSyntax"/>,
/// and their member is flagged <see cref="MemberSyntax.ContainsErrors"/>: the error was reported
/// once by the parser, and the binder says nothing more about it.
/// </summary>
internal sealed class SyntaxTreeBuilder : SigilBaseVisitor<ExpressionSyntax>
{
    private readonly SourceText _text;

    public SyntaxTreeBuilder(SourceText text) => _text = text;

    public CompilationUnitSyntax BuildCompilationUnit(SigilParser.CompilationUnitContext context)
    {
        var fibreContext = context.fibreDeclaration();
        var fibre = fibreContext is null || IsMissing(fibreContext.name) && fibreContext.FIBRE() is null
            ? null
            : BuildFibre(fibreContext);
        return new CompilationUnitSyntax(new TextSpan(0, _text.Length), fibre, new SyntaxToken(SyntaxKind.EndOfFileToken, _text.Length, string.Empty));
    }

    private FibreDeclarationSyntax BuildFibre(SigilParser.FibreDeclarationContext context)
    {
        var members = ImmutableArray.CreateBuilder<MemberSyntax>();
        foreach (var memberContext in context.member())
        {
            var member = BuildMember(memberContext);
            if (member is not null)
            {
                member.ContainsErrors = ContainsErrors(memberContext);
                members.Add(member);
            }
        }

        return new FibreDeclarationSyntax(
            SpanOf(context),
            Token(context.FIBRE()?.Symbol, SyntaxKind.FibreKeyword, context),
            Token(context.name, SyntaxKind.IdentifierToken, context),
            members.ToImmutable());
    }

    private MemberSyntax? BuildMember(SigilParser.MemberContext context)
    {
        if (context.ChildCount == 0)
        {
            return null;
        }

        switch (context.GetChild(0))
        {
            case SigilParser.DynamicIndexContext c:
                return new DynamicIndexDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), Token(c.key, SyntaxKind.IdentifierToken, c), OptionalToken(c.limit), OptionalToken(c.capacity));
            case SigilParser.TableIndexContext c:
                return new TableIndexDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), Token(c.table, SyntaxKind.IdentifierToken, c));
            case SigilParser.RangeIndexContext c:
                return new RangeIndexDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), SignedNumber(c.low, c), SignedNumber(c.high, c));
            case SigilParser.ParameterDeclarationContext c:
                return new ParameterDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), c.unit() is { } u ? Unit(u) : null, Expression(c.expression(), c));
            case SigilParser.ColumnTableContext c:
                {
                    var columns = ImmutableArray.CreateBuilder<ColumnDeclarationSyntax>();
                    foreach (var column in c.columnDeclaration())
                    {
                        columns.Add(new ColumnDeclarationSyntax(SpanOf(column), Token(column.name, SyntaxKind.IdentifierToken, column), column.unit() is { } columnUnit ? Unit(columnUnit) : null));
                    }

                    return new TableDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), Token(c.path, SyntaxKind.StringToken, c), columns.ToImmutable());
                }

            case SigilParser.MatrixTableContext c:
                {
                    var entries = ImmutableArray.CreateBuilder<EntryDeclarationSyntax>();
                    foreach (var entry in c.entryDeclaration())
                    {
                        entries.Add(new EntryDeclarationSyntax(SpanOf(entry), Token(entry.row, SyntaxKind.IdentifierToken, entry), Token(entry.column, SyntaxKind.IdentifierToken, entry), SignedNumber(entry.value, entry)));
                    }

                    return new MatrixTableDeclarationSyntax(
                        SpanOf(c),
                        Token(c.name, SyntaxKind.IdentifierToken, c),
                        Token(c.rowSet, SyntaxKind.IdentifierToken, c),
                        Token(c.columnSet, SyntaxKind.IdentifierToken, c),
                        c.unit() is { } matrixUnit ? Unit(matrixUnit) : null,
                        OptionalToken(c.path),
                        OptionalToken(c.layout),
                        entries.ToImmutable());
                }

            case SigilParser.VariableDeclarationContext c:
                return new VariableDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), IndexList(c.indexList()), Unit(c.unit(), c), Expression(c.low, c), Expression(c.high, c));
            case SigilParser.ResourceDeclarationContext c:
                return new ResourceDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), IndexList(c.indexList()), Unit(c.unit(), c), Expression(c.budget, c), OptionalToken(c.scope), OptionalToken(c.limit), OptionalToken(c.nodes));
            case SigilParser.PriceDeclarationContext c:
                return new PriceDeclarationSyntax(SpanOf(c), Token(c.resource, SyntaxKind.IdentifierToken, c), Token(c.name, SyntaxKind.IdentifierToken, c));
            case SigilParser.CoupleDeclarationContext c:
                return new CoupleDeclarationSyntax(SpanOf(c), OptionalToken(c.label), Subscript(c.labelIndices), Expression(c.expression(), c));
            case SigilParser.UtilityDeclarationContext c:
                return new UtilityDeclarationSyntax(SpanOf(c), VariableReference(c.target, c), Expression(c.expression(), c));
            case SigilParser.SolveDeclarationContext c:
                {
                    var settings = ImmutableArray.CreateBuilder<SettingSyntax>();
                    foreach (var setting in c.setting())
                    {
                        settings.Add(new SettingSyntax(SpanOf(setting), Token(setting.name, SyntaxKind.IdentifierToken, setting), setting.expression() is { } e ? Expression(e, setting) : null));
                    }

                    return new SolveDeclarationSyntax(SpanOf(c), Token(c.method, SyntaxKind.IdentifierToken, c), settings.ToImmutable());
                }

            case SigilParser.CertifyDeclarationContext c:
                return new CertifyDeclarationSyntax(SpanOf(c), Tokens(c.IDENT()));
            case SigilParser.SenseDeclarationContext c:
                return new SenseDeclarationSyntax(SpanOf(c), VariableReference(c.target, c), Call(c.call(), c), Tokens(c.IDENT()));
            case SigilParser.ActDeclarationContext c:
                return new ActDeclarationSyntax(SpanOf(c), Call(c.call(), c), c.condition is null ? null : Expression(c.condition, c));
            case SigilParser.MetricDeclarationContext c:
                return new MetricDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), Token(c.aggregate, SyntaxKind.IdentifierToken, c), Expression(c.source, c), c.target is null ? null : Expression(c.target, c));

            case SigilParser.InstrumentDeclarationContext c:
                {
                    var calls = c.call();
                    var call = calls.Length > 0 && calls[0] != c.response ? calls[0] : null;
                    return new InstrumentDeclarationSyntax(SpanOf(c), Call(call, c), Tokens(c.IDENT()), c.response is null ? null : Call(c.response, c));
                }

            case SigilParser.ClassDeclarationContext c:
                {
                    var weight = c.weight;
                    return new ClassDeclarationSyntax(SpanOf(c), Token(c.name, SyntaxKind.IdentifierToken, c), ProcessSets(c.processSet()), Token(c.weightWord, SyntaxKind.IdentifierToken, c),
                        OptionalToken(weight?.MINUS()?.Symbol), Token(weight?.NUMBER()?.Symbol, SyntaxKind.NumberToken, c));
                }

            case SigilParser.AllowDeclarationContext c:
                return new AllowDeclarationSyntax(SpanOf(c), ProcessSets(c.processSet()));

            default:
                return null;
        }
    }

    private ImmutableArray<ProcessSetSyntax> ProcessSets(SigilParser.ProcessSetContext[] sets)
    {
        var built = ImmutableArray.CreateBuilder<ProcessSetSyntax>(sets.Length);
        foreach (var set in sets)
        {
            built.Add(new ProcessSetSyntax(SpanOf(set), Token(set.kind, SyntaxKind.IdentifierToken, set), Tokens(set.STRING())));
        }

        return built.ToImmutable();
    }

    private CallSyntax Call(SigilParser.CallContext? context, ParserRuleContext parent)
    {
        if (context is null)
        {
            return new CallSyntax(new TextSpan(SpanOf(parent).End, 0), SyntaxToken.Missing(SyntaxKind.IdentifierToken, SpanOf(parent).End), ImmutableArray<ArgumentSyntax>.Empty);
        }

        return new CallSyntax(SpanOf(context), Token(context.name, SyntaxKind.IdentifierToken, context), Arguments(context.argument()));
    }

    private ImmutableArray<ArgumentSyntax> Arguments(SigilParser.ArgumentContext[] contexts)
    {
        var arguments = ImmutableArray.CreateBuilder<ArgumentSyntax>(contexts.Length);
        foreach (var argument in contexts)
        {
            TracepointSyntax? tracepoint = null;
            ExpressionSyntax? value = null;
            if (argument.tracepoint() is { } tp)
            {
                tracepoint = new TracepointSyntax(SpanOf(tp), Token(tp.category, SyntaxKind.IdentifierToken, tp), Token(tp.@event, SyntaxKind.IdentifierToken, tp));
            }
            else
            {
                value = Expression(argument.expression(), argument);
            }

            arguments.Add(new ArgumentSyntax(SpanOf(argument), OptionalToken(argument.name), tracepoint, value));
        }

        return arguments.MoveToImmutable();
    }

    private NameExpressionSyntax VariableReference(SigilParser.VariableReferenceContext? context, ParserRuleContext parent)
    {
        if (context is null)
        {
            var at = SpanOf(parent).Start;
            return new NameExpressionSyntax(new TextSpan(at, 0), SyntaxKind.VariableExpression, null, SyntaxToken.Missing(SyntaxKind.IdentifierToken, at), null);
        }

        return new NameExpressionSyntax(SpanOf(context), SyntaxKind.VariableExpression, Token(context.DOLLAR()?.Symbol, SyntaxKind.DollarToken, context), Token(context.name, SyntaxKind.IdentifierToken, context), Subscript(context.subscript()));
    }

    private SubscriptSyntax? Subscript(SigilParser.SubscriptContext? context) =>
        context is null ? null : new SubscriptSyntax(SpanOf(context), Tokens(context.IDENT()));

    private SubscriptSyntax? IndexList(SigilParser.IndexListContext? context) =>
        context is null ? null : new SubscriptSyntax(SpanOf(context), Tokens(context.IDENT()));

    private UnitSyntax Unit(SigilParser.UnitContext? context, ParserRuleContext parent)
    {
        if (context is null)
        {
            return new UnitSyntax(new TextSpan(SpanOf(parent).End, 0), ImmutableArray<UnitFactorSyntax>.Empty);
        }

        return Unit(context);
    }

    private UnitSyntax Unit(SigilParser.UnitContext context)
    {
        var factors = ImmutableArray.CreateBuilder<UnitFactorSyntax>();
        SyntaxToken? pendingOperator = null;
        for (var i = 0; i < context.ChildCount; i++)
        {
            switch (context.GetChild(i))
            {
                case ITerminalNode terminal when terminal is not IErrorNode && terminal.Symbol.Type is SigilParser.STAR or SigilParser.SLASH:
                    pendingOperator = Token(terminal.Symbol, SyntaxKind.StarToken, context);
                    break;
                case SigilParser.UnitFactorContext factor:
                    {
                        var name = factor.IDENT() is { } ident ? ident.Symbol : factor.POW() is null ? factor.NUMBER()?.Symbol : null;
                        var power = factor.POW() is not null ? factor.NUMBER()?.Symbol : null;
                        var kind = name?.Type == SigilParser.NUMBER ? SyntaxKind.NumberToken : SyntaxKind.IdentifierToken;
                        factors.Add(new UnitFactorSyntax(SpanOf(factor), pendingOperator, Token(name, kind, factor), OptionalToken(factor.MINUS()?.Symbol), OptionalToken(power)));
                        pendingOperator = null;
                        break;
                    }
            }
        }

        return new UnitSyntax(SpanOf(context), factors.ToImmutable());
    }

    private ExpressionSyntax SignedNumber(SigilParser.SignedNumberContext? context, ParserRuleContext parent)
    {
        if (context is null || context.NUMBER() is null || IsMissing(context.NUMBER().Symbol))
        {
            return new ErrorExpressionSyntax(context is null ? new TextSpan(SpanOf(parent).End, 0) : SpanOf(context));
        }

        var number = new NumberExpressionSyntax(SpanOf(context.NUMBER().Symbol), Token(context.NUMBER().Symbol, SyntaxKind.NumberToken, context), null);
        return context.MINUS() is { } minus
            ? new UnaryExpressionSyntax(SpanOf(context), Token(minus.Symbol, SyntaxKind.MinusToken, context), number)
            : number;
    }

    private ExpressionSyntax Expression(SigilParser.ExpressionContext? context, ParserRuleContext parent)
    {
        if (context is null)
        {
            return new ErrorExpressionSyntax(new TextSpan(SpanOf(parent).End, 0));
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        return Visit(context) ?? new ErrorExpressionSyntax(SpanOf(context));
    }

    public override ExpressionSyntax VisitPowerExpression(SigilParser.PowerExpressionContext context) => Binary(context, context.left, context.op, context.right);

    public override ExpressionSyntax VisitMultiplicativeExpression(SigilParser.MultiplicativeExpressionContext context) => Binary(context, context.left, context.op, context.right);

    public override ExpressionSyntax VisitAdditiveExpression(SigilParser.AdditiveExpressionContext context) => Binary(context, context.left, context.op, context.right);

    public override ExpressionSyntax VisitComparisonExpression(SigilParser.ComparisonExpressionContext context)
    {
        var relation = context.relation();
        var op = relation is { ChildCount: > 0 } && relation.GetChild(0) is ITerminalNode t ? t.Symbol : null;
        return Binary(context, context.left, op, context.right);
    }

    public override ExpressionSyntax VisitUnaryExpression(SigilParser.UnaryExpressionContext context) =>
        new UnaryExpressionSyntax(SpanOf(context), Token(context.op, SyntaxKind.MinusToken, context), Expression(context.operand, context));

    public override ExpressionSyntax VisitSumExpression(SigilParser.SumExpressionContext context) =>
        new SumExpressionSyntax(SpanOf(context), Token(context.index, SyntaxKind.IdentifierToken, context), OptionalToken(context.set), Expression(context.body, context));

    public override ExpressionSyntax VisitParenthesizedExpression(SigilParser.ParenthesizedExpressionContext context) =>
        new ParenthesizedExpressionSyntax(SpanOf(context), Expression(context.expression(), context));

    public override ExpressionSyntax VisitCallExpression(SigilParser.CallExpressionContext context) =>
        new CallExpressionSyntax(SpanOf(context), Token(context.name, SyntaxKind.IdentifierToken, context), Arguments(context.argument()));

    public override ExpressionSyntax VisitVariableExpression(SigilParser.VariableExpressionContext context) =>
        VariableReference(context.variableReference(), context);

    public override ExpressionSyntax VisitResourceExpression(SigilParser.ResourceExpressionContext context) =>
        new NameExpressionSyntax(SpanOf(context), SyntaxKind.ResourceExpression, Token(context.AT()?.Symbol, SyntaxKind.AtToken, context), Token(context.name, SyntaxKind.IdentifierToken, context), Subscript(context.subscript()));

    public override ExpressionSyntax VisitPriceExpression(SigilParser.PriceExpressionContext context) =>
        new NameExpressionSyntax(SpanOf(context), SyntaxKind.PriceExpression, Token(context.CARET()?.Symbol, SyntaxKind.CaretToken, context), Token(context.name, SyntaxKind.IdentifierToken, context), Subscript(context.subscript()));

    public override ExpressionSyntax VisitNameExpression(SigilParser.NameExpressionContext context) =>
        new NameExpressionSyntax(SpanOf(context), SyntaxKind.NameExpression, null, Token(context.name, SyntaxKind.IdentifierToken, context), Subscript(context.subscript()));

    public override ExpressionSyntax VisitNumberExpression(SigilParser.NumberExpressionContext context) =>
        new NumberExpressionSyntax(SpanOf(context), Token(context.NUMBER()?.Symbol, SyntaxKind.NumberToken, context), OptionalToken(context.PERCENT()?.Symbol));

    public override ExpressionSyntax VisitStringExpression(SigilParser.StringExpressionContext context) =>
        new StringExpressionSyntax(SpanOf(context), Token(context.STRING()?.Symbol, SyntaxKind.StringToken, context));

    private ExpressionSyntax Binary(SigilParser.ExpressionContext context, SigilParser.ExpressionContext? left, IToken? op, SigilParser.ExpressionContext? right)
    {
        var opKind = op is null || IsMissing(op) ? SyntaxKind.BadToken : SyntaxTree.GetKind(op.Type, op.Text);
        return new BinaryExpressionSyntax(SpanOf(context), Expression(left, context), Token(op, opKind, context), Expression(right, context));
    }

    private ImmutableArray<SyntaxToken> Tokens(ITerminalNode[] nodes)
    {
        var tokens = ImmutableArray.CreateBuilder<SyntaxToken>(nodes.Length);
        foreach (var node in nodes)
        {
            if (node is not IErrorNode && !IsMissing(node.Symbol))
            {
                tokens.Add(new SyntaxToken(SyntaxTree.GetKind(node.Symbol.Type, node.Symbol.Text), node.Symbol.StartIndex, SyntaxTree.TextOf(_text.Text, node.Symbol)));
            }
        }

        return tokens.ToImmutable();
    }

    private SyntaxToken Token(IToken? token, SyntaxKind kind, ParserRuleContext owner)
    {
        if (token is null || IsMissing(token))
        {
            return SyntaxToken.Missing(kind, token is null || token.StartIndex < 0 ? SpanOf(owner).End : Math.Min(token.StartIndex, _text.Length));
        }

        return new SyntaxToken(SyntaxTree.GetKind(token.Type, token.Text), token.StartIndex, SyntaxTree.TextOf(_text.Text, token));
    }

    private SyntaxToken? OptionalToken(IToken? token) =>
        token is null || IsMissing(token) ? null : new SyntaxToken(SyntaxTree.GetKind(token.Type, token.Text), token.StartIndex, SyntaxTree.TextOf(_text.Text, token));

    // A token error recovery conjured up has no place in the input stream.
    private static bool IsMissing(IToken? token) => token is null || token.TokenIndex < 0 || token.StartIndex < 0 || token.Type == TokenConstants.EOF;

    private TextSpan SpanOf(IToken token) => TextSpan.FromBounds(token.StartIndex, Math.Max(token.StartIndex, token.StopIndex + 1));

    private TextSpan SpanOf(ParserRuleContext context)
    {
        var start = context.Start is { StartIndex: >= 0 } s && s.Type != TokenConstants.EOF ? s.StartIndex : _text.Length;
        var end = context.Stop is { StopIndex: >= 0 } e && e.Type != TokenConstants.EOF ? e.StopIndex + 1 : start;
        start = Math.Min(start, _text.Length);
        end = Math.Max(start, Math.Min(end, _text.Length));
        return TextSpan.FromBounds(start, end);
    }

    // A member is damaged when a rule inside it failed, or when recovery had to make up a name,
    // number or string. A made-up ';' or ')' and a skipped extra token leave the member whole:
    // it binds normally, and only the parser's one error is shown.
    private static bool ContainsErrors(IParseTree root)
    {
        var stack = new Stack<IParseTree>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is ParserRuleContext { exception: not null })
            {
                return true;
            }

            if (node is ITerminalNode terminal && IsMissing(terminal.Symbol)
                && terminal.Symbol?.Type is null or SigilParser.IDENT or SigilParser.NUMBER or SigilParser.STRING)
            {
                return true;
            }

            for (var i = 0; i < node.ChildCount; i++)
            {
                stack.Push(node.GetChild(i));
            }
        }

        return false;
    }
}
