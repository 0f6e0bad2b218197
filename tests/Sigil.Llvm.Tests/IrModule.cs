using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Sigil.Llvm.Tests;

/// <summary>A basic block of textual LLVM IR: its label and its instructions, as lines.</summary>
internal sealed record IrBlock(string Label, List<string> Instructions)
{
    /// <summary>The unconditional successor (<c>br label %x</c>), or null.</summary>
    public string? Successor
    {
        get
        {
            var match = Regex.Match(Instructions.LastOrDefault() ?? string.Empty, @"^\s*br label %(\S+)$");
            return match.Success ? match.Groups[1].Value : null;
        }
    }
}

/// <summary>A function definition of textual LLVM IR.</summary>
internal sealed record IrFunction(string Name, List<IrBlock> Blocks)
{
    public IEnumerable<string> Instructions => Blocks.SelectMany(b => b.Instructions);

    public IrBlock Block(string label) => Blocks.Single(b => b.Label == label);

    /// <summary>The instruction that defines <paramref name="value"/> (<c>%x = ...</c>).</summary>
    public string Definition(string value) => Instructions.Single(i => i.TrimStart().StartsWith(value + " = ", StringComparison.Ordinal));
}

/// <summary>
/// Just enough of a reader of textual LLVM IR (opt -S, clang -S -emit-llvm) to ask where calls
/// stand: functions, blocks with their labels, instruction lines.
/// </summary>
internal sealed class IrModule
{
    private static readonly Regex s_define = new(@"^define .*?@([\w.$]+)\(", RegexOptions.Compiled);
    private static readonly Regex s_label = new(@"^([\w.$-]+):", RegexOptions.Compiled);

    private IrModule(List<IrFunction> functions) => Functions = functions;

    public List<IrFunction> Functions { get; }

    public IrFunction Function(string name) => Functions.Single(f => f.Name == name);

    public static IrModule Parse(string text)
    {
        var functions = new List<IrFunction>();
        IrFunction? current = null;
        foreach (var line in text.Split('\n'))
        {
            var define = s_define.Match(line);
            if (define.Success)
            {
                current = new IrFunction(define.Groups[1].Value, new List<IrBlock> { new("entry", new List<string>()) });
                functions.Add(current);
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (line == "}")
            {
                current = null;
                continue;
            }

            var label = s_label.Match(line);
            if (label.Success)
            {
                current.Blocks.Add(new IrBlock(label.Groups[1].Value, new List<string>()));
            }
            else if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                current.Blocks[^1].Instructions.Add(line.Trim());
            }
        }

        return new IrModule(functions);
    }

    /// <summary>Every call of <paramref name="callee"/>: the function, the block and the instruction.</summary>
    public IEnumerable<(IrFunction Function, IrBlock Block, string Instruction)> CallsTo(string callee)
    {
        var pattern = new Regex(@"\bcall [^@]*@" + Regex.Escape(callee) + @"\(");
        foreach (var function in Functions)
        {
            foreach (var block in function.Blocks)
            {
                foreach (var instruction in block.Instructions.Where(i => pattern.IsMatch(i)))
                {
                    yield return (function, block, instruction);
                }
            }
        }
    }
}
