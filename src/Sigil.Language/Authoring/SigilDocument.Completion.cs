using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Syntax;

namespace Sigil.Language.Authoring;

public sealed partial class SigilDocument
{
    /// <summary>
    /// What may be written at <paramref name="position"/>: decided from the tokens of the statement
    /// the cursor is in (so it works in broken text), e.g. tracepoints inside a sensor's call,
    /// settings of the method inside a <c>solve</c> block, units after a declaration's colon.
    /// </summary>
    public IReadOnlyList<CompletionItem> Complete(int position)
    {
        var before = new List<SyntaxToken>();
        foreach (var token in Tokens)
        {
            if (token.Span.End > position || (token.Span.End == position && token.Kind == SyntaxKind.IdentifierToken))
            {
                break;
            }

            if (!token.Kind.IsTrivia())
            {
                before.Add(token);
            }
        }

        // The statement so far and the block that holds it (the statement that opened the brace).
        var statement = new List<SyntaxToken>();
        var blocks = new Stack<List<SyntaxToken>>();
        foreach (var token in before)
        {
            switch (token.Kind)
            {
                case SyntaxKind.OpenBraceToken:
                    blocks.Push(statement);
                    statement = new List<SyntaxToken>();
                    break;
                case SyntaxKind.CloseBraceToken:
                    statement = new List<SyntaxToken>();
                    if (blocks.Count > 0)
                    {
                        blocks.Pop();
                    }

                    break;
                case SyntaxKind.SemicolonToken:
                    statement = new List<SyntaxToken>();
                    break;
                default:
                    statement.Add(token);
                    break;
            }
        }

        var block = blocks.Count > 0 ? blocks.Peek() : null;
        var first = statement.Count > 0 ? statement[0].Kind : SyntaxKind.BadToken;
        var last = statement.Count > 0 ? statement[statement.Count - 1] : null;
        var items = new List<CompletionItem>();

        if (block is { Count: > 0 } && block[0].Kind == SyntaxKind.SolveKeyword)
        {
            var method = block.Count > 1 ? block[1].Text : string.Empty;
            if (statement.Count == 0)
            {
                Add(items, SigilVocabulary.SolverSettingsOf(method).Count > 0 ? SigilVocabulary.SolverSettingsOf(method) : SigilVocabulary.SolverSettings, CompletionKind.Setting, "setting of solve " + method);
            }
            else
            {
                items.Add(new CompletionItem("auto", CompletionKind.Setting, "step chosen from the stability bound"));
                AddNames(items, plainOnly: true);
            }

            return items;
        }

        if (block is { Count: > 0 } && block[0].Kind == SyntaxKind.TableKeyword)
        {
            if (statement.Any(static t => t.Kind == SyntaxKind.ColonToken))
            {
                Add(items, SigilVocabulary.Units, CompletionKind.Unit, "unit");
            }

            return items;
        }

        if (block is null)
        {
            if (statement.Count == 0)
            {
                items.Add(new CompletionItem("fibre", CompletionKind.Keyword, null));
            }

            return items;
        }

        switch (last?.Kind)
        {
            case SyntaxKind.DollarToken:
                AddRole(items, NameRole.Variable);
                return items;
            case SyntaxKind.AtToken:
                AddRole(items, NameRole.Resource);
                return items;
            case SyntaxKind.CaretToken:
                AddRole(items, NameRole.Resource);
                return items;
        }

        if (statement.Count == 0)
        {
            Add(items, SigilVocabulary.Keywords.Where(static k => k is not ("fibre" or "by" or "from" or "in" or "key" or "when" or "target" or "pass" or "respond" or "sum" or "map")), CompletionKind.Keyword, "statement");
            return items;
        }

        var hasColon = statement.Any(static t => t.Kind == SyntaxKind.ColonToken);
        var valueStarted = statement.Any(static t => t.Kind is SyntaxKind.EqualsToken or SyntaxKind.InKeyword);
        switch (first)
        {
            case SyntaxKind.SenseKeyword:
                CompleteSense(items, statement);
                return items;
            case SyntaxKind.SolveKeyword when statement.Count == 1:
                Add(items, SigilVocabulary.SolverMethods, CompletionKind.Setting, "solver method");
                return items;
            case SyntaxKind.CertifyKeyword:
                Add(items, SigilVocabulary.Certificates, CompletionKind.Setting, "certificate");
                return items;
            case SyntaxKind.ActKeyword when statement.Count == 1:
                Add(items, SigilVocabulary.Actuators, CompletionKind.Function, "actuator");
                return items;
            case SyntaxKind.IndexKeyword when last!.Kind == SyntaxKind.ByKeyword:
                Add(items, SigilVocabulary.KernelKeys, CompletionKind.Setting, "kernel key");
                return items;
            case SyntaxKind.IndexKeyword when last!.Kind == SyntaxKind.FromKeyword:
                AddRole(items, NameRole.Table);
                return items;
            case SyntaxKind.MetricKeyword when last!.Kind == SyntaxKind.EqualsToken:
                Add(items, SigilVocabulary.Aggregates, CompletionKind.Function, "aggregate");
                return items;
            case SyntaxKind.InstrumentKeyword:
                CompleteInstrument(items, statement);
                return items;
            case SyntaxKind.ParamKeyword or SyntaxKind.DollarToken or SyntaxKind.AtToken when hasColon && !valueStarted:
                Add(items, SigilVocabulary.Units, CompletionKind.Unit, "unit");
                return items;
            case SyntaxKind.UtilityKeyword when statement.Any(static t => t.Kind == SyntaxKind.TildeToken):
                Add(items, SigilVocabulary.UtilityFunctions, CompletionKind.Function, "concave utility family");
                break;
        }

        items.Add(new CompletionItem("sum", CompletionKind.Keyword, "sum(i in set) body"));
        AddNames(items, plainOnly: false);
        return items;
    }

    private void CompleteSense(List<CompletionItem> items, List<SyntaxToken> statement)
    {
        var arrow = statement.FindIndex(static t => t.Kind == SyntaxKind.LeftArrowToken);
        if (arrow < 0)
        {
            AddRole(items, NameRole.Variable, sigil: true);
            return;
        }

        var last = statement[statement.Count - 1];
        var keyAt = statement.FindIndex(static t => t.Kind == SyntaxKind.KeyKeyword);
        if (keyAt >= 0)
        {
            Add(items, SigilVocabulary.SensorKeys, CompletionKind.Setting, "sensor key");
            return;
        }

        if (last.Kind == SyntaxKind.LeftArrowToken)
        {
            Add(items, SigilVocabulary.Sensors, CompletionKind.Function, "sensor");
            return;
        }

        var depth = statement.Skip(arrow).Count(static t => t.Kind == SyntaxKind.OpenParenthesisToken)
            - statement.Skip(arrow).Count(static t => t.Kind == SyntaxKind.CloseParenthesisToken);
        if (depth <= 0)
        {
            items.Add(new CompletionItem("key", CompletionKind.Keyword, "key (pid, fd)"));
            return;
        }

        // Inside the call: tracepoints, the events of one category after "category:".
        if (last.Kind == SyntaxKind.ColonToken && statement.Count >= 2 && statement[statement.Count - 2].Kind == SyntaxKind.IdentifierToken)
        {
            var prefix = statement[statement.Count - 2].Text + ":";
            foreach (var tracepoint in SigilVocabulary.Tracepoints(Tracepoints))
            {
                if (tracepoint.StartsWith(prefix, StringComparison.Ordinal))
                {
                    items.Add(new CompletionItem(tracepoint.Substring(prefix.Length), CompletionKind.Tracepoint, tracepoint));
                }
            }

            return;
        }

        Add(items, SigilVocabulary.Tracepoints(Tracepoints), CompletionKind.Tracepoint, "kernel tracepoint");
    }

    private static void CompleteInstrument(List<CompletionItem> items, List<SyntaxToken> statement)
    {
        if (statement.Count == 1)
        {
            Add(items, SigilVocabulary.Instruments, CompletionKind.Function, "hook kind");
        }
        else if (statement[statement.Count - 1].Kind == SyntaxKind.RespondKeyword)
        {
            Add(items, SigilVocabulary.Responses, CompletionKind.Function, "response");
        }
        else if (statement.Any(static t => t.Kind == SyntaxKind.PassKeyword) && !statement.Any(static t => t.Kind == SyntaxKind.RespondKeyword))
        {
            Add(items, SigilVocabulary.HookArguments, CompletionKind.Setting, "hook argument");
        }
        else
        {
            items.Add(new CompletionItem("pass", CompletionKind.Keyword, null));
            items.Add(new CompletionItem("respond", CompletionKind.Keyword, null));
        }
    }

    private void AddNames(List<CompletionItem> items, bool plainOnly)
    {
        foreach (var symbol in Symbols)
        {
            if (symbol.Role is NameRole.Fibre or NameRole.Metric or NameRole.Price)
            {
                continue;
            }

            if (plainOnly && symbol.Role is NameRole.Variable or NameRole.Resource)
            {
                continue;
            }

            items.Add(new CompletionItem(symbol.SigilName, CompletionKind.Name, symbol.Signature));
            if (!plainOnly && symbol.Role == NameRole.Resource && Symbols.Any(s => s.Role == NameRole.Price && s.Name == symbol.Name))
            {
                items.Add(new CompletionItem("^" + symbol.Name, CompletionKind.Name, "price of @" + symbol.Name));
            }
        }
    }

    private void AddRole(List<CompletionItem> items, NameRole role, bool sigil = false)
    {
        foreach (var symbol in Symbols.Where(s => s.Role == role))
        {
            items.Add(new CompletionItem(sigil ? symbol.SigilName : symbol.Name, CompletionKind.Name, symbol.Signature));
        }
    }

    private static void Add(List<CompletionItem> items, IEnumerable<string> words, CompletionKind kind, string? detail)
    {
        foreach (var word in words)
        {
            items.Add(new CompletionItem(word, kind, detail));
        }
    }
}
