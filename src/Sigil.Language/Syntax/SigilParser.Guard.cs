using System.Runtime.CompilerServices;
using Antlr4.Runtime;

namespace Sigil.Language.Syntax.Grammar;

// The generated parser recurses once per nesting level. SyntaxTree rejects deep nesting and long
// statements before parsing; this guard is the second line: running out of stack becomes an
// InsufficientExecutionStackException (reported as SIG0005), never a process crash.
public partial class SigilParser
{
    /// <inheritdoc/>
    public override void EnterRule(ParserRuleContext localctx, int state, int ruleIndex)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRule(localctx, state, ruleIndex);
    }

    /// <inheritdoc/>
    public override void EnterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
    }
}
