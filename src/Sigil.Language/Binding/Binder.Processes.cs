using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

// class NAME: exe "...", ... cgroup "..." weight W;   and   allow exe "..." cgroup "...";
// Paths are checked here as text; the daemon resolves them on the host at load.
internal sealed partial class Binder
{
    /// <summary>The largest class weight (the kernel's fixed point keeps weights below 2048).</summary>
    internal const double ClassWeightMax = 1000;

    private const int ProcessPathMax = 4095;

    private readonly Dictionary<string, TextSpan> _classNames = new(System.StringComparer.Ordinal);

    // (kind, path) -> where it was listed first, per list: classes, and the allow-list.
    private readonly Dictionary<(string Kind, string Path), string> _classPaths = new();
    private readonly Dictionary<(string Kind, string Path), string> _allowPaths = new();

    private void BindClass(ClassDeclarationSyntax syntax)
    {
        var name = syntax.Name.Text;
        if (_classNames.ContainsKey(name))
        {
            _diagnostics.ReportClassDuplicate(syntax.Name.Span, name);
            return;
        }

        _classNames[name] = syntax.Name.Span;
        if (syntax.WeightWord.Text != "weight")
        {
            _diagnostics.ReportClassWeightExpected(syntax.WeightWord.Span, name, syntax.WeightWord.Text);
            return;
        }

        var weight = SyntaxTree.ParseNumber(syntax.Weight.Text);
        var signed = syntax.Minus is null ? weight : -weight;
        if (double.IsNaN(signed) || signed < 0 || signed > ClassWeightMax)
        {
            var span = syntax.Minus is null ? syntax.Weight.Span : TextSpan.FromBounds(syntax.Minus.Span.Start, syntax.Weight.Span.End);
            _diagnostics.ReportClassWeightRange(span, name, (syntax.Minus is null ? string.Empty : "-") + syntax.Weight.Text);
            return;
        }

        if (BindProcessSets(syntax.Sets, _classPaths, "in class '" + name + "'") is { } members)
        {
            _fibre.Classes.Add(new Bound<ProcessClassSpec>(new ProcessClassSpec(name, signed, members, Statement(syntax)), syntax.Span));
        }
    }

    private void BindAllow(AllowDeclarationSyntax syntax)
    {
        if (BindProcessSets(syntax.Sets, _allowPaths, "in an allow statement") is { } members)
        {
            var allowed = _fibre.Allowed;
            _fibre.Allowed = new ProcessSetSpec(
                allowed.Executables.Concat(members.Executables).ToEquatableArray(),
                allowed.Cgroups.Concat(members.Cgroups).ToEquatableArray());
        }
    }

    private ProcessSetSpec? BindProcessSets(IEnumerable<ProcessSetSyntax> sets, Dictionary<(string Kind, string Path), string> listed, string where)
    {
        var executables = new List<string>();
        var cgroups = new List<string>();
        var ok = true;
        foreach (var set in sets)
        {
            var kind = set.KindWord.Text;
            if (kind is not ("exe" or "cgroup"))
            {
                _diagnostics.ReportProcessSetUnknown(set.KindWord.Span, kind);
                ok = false;
                continue;
            }

            foreach (var token in set.Paths)
            {
                var path = Unquote(token.Text);
                if (ProcessPathProblem(kind, path) is { } problem)
                {
                    _diagnostics.ReportProcessPathInvalid(token.Span, kind, Shorten(path), problem);
                    ok = false;
                    continue;
                }

                if (listed.TryGetValue((kind, path), out var first))
                {
                    _diagnostics.ReportProcessPathDuplicate(token.Span, kind, path, first);
                    ok = false;
                    continue;
                }

                listed[(kind, path)] = where;
                (kind == "exe" ? executables : cgroups).Add(path);
            }
        }

        return ok ? new ProcessSetSpec(executables.ToEquatableArray(), cgroups.ToEquatableArray()) : null;
    }

    // What is wrong with a path, as the end of "The exe path '...' ..."; null when it is usable.
    private static string? ProcessPathProblem(string kind, string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return kind == "exe" ? "is not absolute (write the executable's full path, e.g. /usr/bin/gzip)" : "does not start with '/' (write it from the cgroup v2 root, as /proc/PID/cgroup shows it)";
        }

        if (path.Length > ProcessPathMax)
        {
            return "is longer than " + ProcessPathMax.ToString(CultureInfo.InvariantCulture) + " characters";
        }

        if (path.Any(static c => char.IsControl(c) || c is '\\' or '"'))
        {
            return "holds a control character, a backslash or a quote";
        }

        var parts = path.Split('/');
        if (parts.Skip(1).Any(static p => p is "" or "." or ".."))
        {
            return path == "/" ? (kind == "exe" ? "names a directory" : "is the root cgroup, which holds every process") : "has an empty, '.' or '..' component; write the path plainly";
        }

        if (kind == "cgroup" && path.StartsWith("/sys/fs/cgroup", System.StringComparison.Ordinal))
        {
            return "is a mount path; write it from the cgroup v2 root, as /proc/PID/cgroup shows it (the daemon finds the mount)";
        }

        return null;
    }

    // Classes and allow-lists act in the behaviour program only (index ... by tree).
    private void CheckProcessLists(IEnumerable<MemberSyntax> members)
    {
        if (_fibre.Indices.Any(static i => i.Key == KernelKey.Tree))
        {
            return;
        }

        foreach (var member in members.Where(static m => m is ClassDeclarationSyntax or AllowDeclarationSyntax))
        {
            _diagnostics.ReportProcessListsNeedBehaviour(member.Span, Statement(member));
        }
    }
}
