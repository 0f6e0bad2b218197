using System;
using System.Collections.Generic;
using System.Text;

namespace Sigil.Testing;

/// <summary>
/// Deterministic mutations of sigil fibres for fuzzing the compiler: token deletion, insertion,
/// duplication and swaps, random bytes (control characters, lone surrogates, NUL), huge and
/// malformed numbers, names that break out of target languages, deep nesting, truncation and line
/// splices. Plain C# with no test-framework dependency, so every test project can link it
/// (<c>&lt;Compile Include="../Shared/*.cs" /&gt;</c>). Same seed, same mutants.
/// </summary>
public sealed class FibreMutator
{
    private static readonly string[] s_pool =
    {
        "fibre", "index", "by", "from", "in", "param", "table", "map", "couple", "utility", "solve", "certify",
        "sense", "key", "act", "when", "metric", "target", "instrument", "pass", "respond", "sum",
        "$", "@", "^", "~", "<-", "->", "<=", ">=", "==", "<", ">", "=", "..", "{", "}", "[", "]", "(", ")",
        ",", ";", ":", "+", "-", "*", "/", "**", "%", "//", "/*", "*/", "\"", "\\",
        "1e400", "99999999999999999999", "-0", "1e-400", "0.0", "1_000", "3600", "5", "0", "1.5e308", ".5",
        "log", "fair", "sqrt", "exp", "dual", "admm", "penalty", "auto", "online", "step", "rho", "mu",
        "lyapunov", "chordal", "detection", "span", "oncpu", "count", "throttle", "kill", "affinity",
        "pid", "tid", "fd", "cpu", "max", "mean", "calls", "entries", "backoff", "refuse",
        "match", "end", "Qed", "class", "int", "yes", "null", "__x", "sigil_x", "*)", "(*", "#", "\n", "\r\n",
        "\"a\"b\"", "\"../etc/passwd\"", "\"x\ny\"", "syscalls:sys_enter_openat", "sched:sched_switch", "nope:nope",
        "$x[t]", "@r[t]", "^r[t]", "sum(t in task)", "a_very_long_name_that_goes_on_and_on_beyond_the_limit_of_sixty_four_characters",
    };

    private readonly Random _random;

    public FibreMutator(int seed) => _random = new Random(seed);

    /// <summary>Applies one to three random mutations to <paramref name="text"/>.</summary>
    public string Mutate(string text, IReadOnlyList<string>? others = null)
    {
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            text = MutateOnce(text, others);
        }

        return text;
    }

    /// <summary><paramref name="count"/> mutants of the <paramref name="seeds"/>, round robin.</summary>
    public IEnumerable<string> Generate(IReadOnlyList<string> seeds, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Mutate(seeds[i % seeds.Count], seeds);
        }
    }

    /// <summary>A parameter whose value sits inside <paramref name="depth"/> parentheses.</summary>
    public static string DeepNesting(int depth) =>
        "fibre f { param p = " + new string('(', depth) + "1" + new string(')', depth) + "; }";

    /// <summary>A unary minus chain <paramref name="depth"/> long (deep without brackets).</summary>
    public static string DeepUnary(int depth)
    {
        var text = new StringBuilder("fibre f { param p = ");
        for (var i = 0; i < depth; i++)
        {
            text.Append("- ");
        }

        return text.Append("1; }").ToString();
    }

    /// <summary>About <paramref name="length"/> characters: <paramref name="seed"/> repeated, then mutated.</summary>
    public string Huge(string seed, int length)
    {
        var text = new StringBuilder(length + seed.Length);
        while (text.Length < length)
        {
            text.Append(seed);
        }

        return Mutate(text.ToString());
    }

    /// <summary>About <paramref name="length"/> random characters.</summary>
    public string Garbage(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(RandomChar());
        }

        return text.ToString();
    }

    private string MutateOnce(string text, IReadOnlyList<string>? others)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            return Pick(s_pool);
        }

        var at = _random.Next(tokens.Count);
        switch (_random.Next(11))
        {
            case 0:
                tokens.RemoveAt(at);
                break;
            case 1:
                tokens.Insert(at, " " + Pick(s_pool) + " ");
                break;
            case 2:
                tokens.Insert(at, tokens[at]);
                break;
            case 3:
                if (at + 1 < tokens.Count)
                {
                    (tokens[at], tokens[at + 1]) = (tokens[at + 1], tokens[at]);
                }

                break;
            case 4:
                {
                    var bytes = new StringBuilder();
                    for (var i = 1 + _random.Next(4); i > 0; i--)
                    {
                        bytes.Append(RandomChar());
                    }

                    tokens.Insert(at, bytes.ToString());
                    break;
                }

            case 5:
                for (var i = 0; i < tokens.Count; i++)
                {
                    if (tokens[i].Length > 0 && char.IsDigit(tokens[i][0]) && _random.Next(2) == 0)
                    {
                        tokens[i] = Pick(new[] { "1e400", "99999999999999999999", "1e-400", "0", "-1", "4294967296", "1.7976931348623157e308" });
                    }
                }

                break;
            case 6:
                {
                    var depth = _random.Next(4) == 0 ? 10_000 : 1 + _random.Next(100);
                    tokens.Insert(at, new string('(', depth));
                    tokens.Insert(Math.Min(tokens.Count, at + 2), new string(')', depth));
                    break;
                }

            case 7:
                return text.Substring(0, _random.Next(text.Length + 1));
            case 8:
                {
                    var lines = new List<string>(text.Split('\n'));
                    if (others is not null && others.Count > 0)
                    {
                        var donor = Pick(others).Split('\n');
                        lines.Insert(_random.Next(lines.Count + 1), Pick(donor));
                    }
                    else if (lines.Count > 1)
                    {
                        var a = _random.Next(lines.Count);
                        var b = _random.Next(lines.Count);
                        (lines[a], lines[b]) = (lines[b], lines[a]);
                    }

                    return string.Join("\n", lines);
                }

            case 9:
                // A name that tries to break out of a target language.
                for (var i = 0; i < tokens.Count; i++)
                {
                    if (tokens[i].Length > 0 && char.IsLetter(tokens[i][0]) && _random.Next(8) == 0)
                    {
                        tokens[i] = Pick(new[] { "match", "end", "class", "int", "yes", "__x", "sigil_x", "Qed", "Definition", "namespace", "null" });
                    }
                }

                break;
            default:
                tokens[at] = Pick(s_pool);
                break;
        }

        return string.Concat(tokens);
    }

    // Splits into runs of word characters, runs of white space, and single other characters:
    // good enough to mutate at token granularity without depending on the compiler's lexer.
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
                {
                    i++;
                }
            }
            else if (char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            tokens.Add(text.Substring(start, i - start));
        }

        return tokens;
    }

    private char RandomChar()
    {
        switch (_random.Next(6))
        {
            case 0: return (char)_random.Next(0, 32);
            case 1: return (char)_random.Next(0xD800, 0xE000);
            case 2: return (char)_random.Next(0x80, 0x3000);
            case 3: return '\0';
            default: return (char)_random.Next(32, 127);
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
