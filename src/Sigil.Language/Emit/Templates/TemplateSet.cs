using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Sigil.Language.Emit.Templates;

/// <summary>
/// The Scriban templates of one backend (<c>templates/&lt;folder&gt;/*.scriban</c>, embedded in this
/// assembly because a generator may not read files), parsed once and rendered with the one
/// configuration every emitter shares:
/// <list type="bullet">
/// <item>an unresolved name, a missing member, a member of null, a bad include and a syntax error
/// are a <see cref="TemplateException"/> naming the template file, line and column, never empty
/// text (the emitters' callers turn it into SIG9999 at the fibre's location);</item>
/// <item>members keep their .NET names (<c>{{ Agent.StateMap }}</c>), no HTML escaping (every value
/// is escaped for its target language in code), no re-indenting of a multi-line value, no loop
/// limit, the invariant culture;</item>
/// <item>truth is the one the templates were written for: false, null, "", 0 and an empty
/// collection are false;</item>
/// <item><c>{{ include 'name' }}</c> reads <c>name.scriban</c> of the same folder.</item>
/// </list>
/// </summary>
internal sealed class TemplateSet
{
    /// <summary>The extension of a template file.</summary>
    public const string Extension = ".scriban";

    private static readonly Dictionary<string, TemplateSet> s_embedded = new(StringComparer.Ordinal);
    private static readonly object s_lock = new();

    private readonly string _folder;
    private readonly Func<string, string?> _read;
    private readonly Dictionary<string, Template> _parsed = new(StringComparer.Ordinal);
    private readonly object _parseLock = new();

    // A context caches the member accessors of the model's types: one per thread, reused.
    private readonly ThreadLocal<StrictContext> _contexts;

    /// <summary>
    /// A set whose template <c>name</c> is the text <paramref name="read"/> returns for it (null: no
    /// such template); <paramref name="folder"/> names the files in messages
    /// (<c>templates/bpf/fibre.h.scriban</c>).
    /// </summary>
    public TemplateSet(string folder, Func<string, string?> read)
    {
        _folder = folder;
        _read = read;
        _contexts = new ThreadLocal<StrictContext>(() => new StrictContext(this));
    }

    /// <summary>The templates embedded under <c>templates/<paramref name="folder"/>/</c>, one set per folder.</summary>
    public static TemplateSet Embedded(string folder)
    {
        lock (s_lock)
        {
            if (!s_embedded.TryGetValue(folder, out var set))
            {
                set = new TemplateSet(folder, name => ReadEmbedded(folder, name));
                s_embedded[folder] = set;
            }

            return set;
        }
    }

    /// <summary>The text of template <paramref name="name"/> (e.g. <c>fibre.h</c>), line ends normalised to \n.</summary>
    public string Text(string name) =>
        _read(name)?.Replace("\r\n", "\n") ?? throw new TemplateException(PathOf(name), 0, 0, $"the template {PathOf(name)} does not exist");

    /// <summary>Renders template <paramref name="name"/> (e.g. <c>fibre.h</c>) with the members of <paramref name="model"/> as its names.</summary>
    public string Render(string name, object model)
    {
        var template = Parse(name);
        var context = _contexts.Value!;
        context.PushGlobal(Globals(model));
        try
        {
            var text = template.Render(context);
            context.PopGlobal();
            return text;
        }
        catch (ScriptRuntimeException e)
        {
            // A failed render may leave scopes open: the thread gets a fresh context.
            _contexts.Value = new StrictContext(this);
            throw TemplateException.From(e.Span, e.OriginalMessage, e);
        }
    }

    private string PathOf(string name) => "templates/" + _folder + "/" + name + Extension;

    private Template Parse(string name)
    {
        lock (_parseLock)
        {
            if (_parsed.TryGetValue(name, out var cached))
            {
                return cached;
            }

            var path = PathOf(name);
            var template = Template.Parse(Text(name), path);
            if (template.HasErrors)
            {
                var first = template.Messages.First(static m => m.Type == ParserMessageType.Error);
                throw TemplateException.From(first.Span, first.Message, null);
            }

            _parsed[name] = template;
            return template;
        }
    }

    private static ScriptObject Globals(object model)
    {
        var globals = new ScriptObject();
        if (model is IDictionary<string, object> entries)
        {
            foreach (var entry in entries)
            {
                globals.Add(entry.Key, entry.Value);
            }
        }
        else
        {
            globals.Import(model, renamer: KeepName);
        }

        return globals;
    }

    private static string KeepName(System.Reflection.MemberInfo member) => member.Name;

    private static string? ReadEmbedded(string folder, string name)
    {
        using var stream = typeof(TemplateSet).Assembly.GetManifestResourceStream("templates/" + folder + "/" + name + Extension);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The shared configuration: strict names, .NET member names, the templates' truth.</summary>
    private sealed class StrictContext : TemplateContext
    {
        private static readonly ScriptObject s_builtins = GetDefaultBuiltinObject();

        public StrictContext(TemplateSet set)
            : base(s_builtins)
        {
            StrictVariables = true;
            EnableRelaxedMemberAccess = false;
            EnableRelaxedTargetAccess = false;
            EnableRelaxedIndexerAccess = false;
            EnableRelaxedFunctionAccess = false;
            MemberRenamer = KeepName;
            LoopLimit = 0;
            LimitToString = 0;
            AutoIndent = false;
            TemplateLoader = new Loader(set);
        }

        public override bool ToBool(SourceSpan span, object? value) => value switch
        {
            null => false,
            bool b => b,
            string s => s.Length > 0,
            int i => i != 0,
            long l => l != 0,
            double d => d != 0,
            ICollection collection => collection.Count > 0,
            IEnumerable enumerable => enumerable.GetEnumerator().MoveNext(),
            _ => base.ToBool(span, value),
        };
    }

    /// <summary>Includes read the parsed templates of the same set.</summary>
    private sealed class Loader : ITemplateLoader
    {
        private readonly TemplateSet _set;

        public Loader(TemplateSet set) => _set = set;

        // The included template, parsed once per set, goes into the context's cache here, so Scriban
        // neither loads nor parses it again.
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
        {
            if (_set._read(templateName) is null)
            {
                throw new ScriptRuntimeException(callerSpan, $"the included template {_set.PathOf(templateName)} does not exist");
            }

            context.CachedTemplates[templateName] = _set.Parse(templateName);
            return templateName;
        }

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => _set.Text(templatePath);

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new(Load(context, callerSpan, templatePath));
    }
}
