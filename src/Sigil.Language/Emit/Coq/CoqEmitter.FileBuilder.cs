using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    /// <summary>
    /// Collects a fibre's definitions and theorems. Every identifier is <c>s_&lt;fibre&gt;_...</c>;
    /// a name used twice is a bug in the emitter and throws.
    /// </summary>
    private sealed partial class FileBuilder
    {
        private readonly FibreSpec _spec;
        private readonly string _prefix;
        private readonly List<CoqDefinition> _definitions = new();
        private readonly List<CoqTheorem> _theorems = new();
        private readonly List<string> _notes = new();
        private readonly HashSet<string> _libraries = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public FileBuilder(FibreSpec spec)
        {
            _spec = spec;
            _prefix = CoqText.Prefix(spec.Name);
            _libraries.Add("Fibre");
        }

        /// <summary>The tactic that unfolds the fibre's reals.</summary>
        private string Numbers => _prefix + "numbers";

        private bool Certifies(CertificateKind kind) => _spec.Certificates.Contains(kind);

        private string Id(params string[] parts) => _prefix + string.Join("_", parts.Select(CoqText.Name));

        private void Require(string library) => _libraries.Add(library);

        private void Note(string text) => _notes.Add(text);

        private string Define(string name, string type, string value, string comment, bool unfold = true)
        {
            Claim(name);
            _definitions.Add(new CoqDefinition(name, type, value, comment, unfold));
            return name;
        }

        /// <summary>Defines a real number once; a second request for the same name returns it.</summary>
        private string DefineReal(string name, double value, string comment)
        {
            if (_definitions.Any(d => d.Name == name))
            {
                return name;
            }

            return Define(name, "R", Real(value, comment), comment);
        }

        private void Theorem(string name, string certificate, string meaning, string statement, string proof, CoqUpdateBound? bound = null)
        {
            Claim(name);
            _theorems.Add(new CoqTheorem(name, certificate, meaning, statement, proof, bound));
        }

        private void Claim(string name)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"the Coq name {name} is defined twice");
            }
        }

        private static string Real(double value, string what)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new ArgumentException($"the fibre's {what} is {value}, not a finite number; no Coq file can state it");
            }

            return CoqText.Real(value);
        }

        public CoqDocument ToDocument() => new(
            _spec.Name,
            _spec.SourceFileName,
            Target + "/" + CoqText.Name(_spec.Name) + ".v",
            "Sigil_" + CoqText.Name(_spec.Name),
            s_libraryOrder.Where(_libraries.Contains).ToEquatableArray(),
            _definitions.ToEquatableArray(),
            _theorems.ToEquatableArray(),
            _notes.ToEquatableArray());

        /// <summary>A resource's constant budget, or null when it varies per member.</summary>
        private static double? ConstantBudget(ResourceSpec resource)
            => resource.Budget.IsConstant ? resource.Budget.Constant : null;

        private ResourceSpec? Resource(string name) => _spec.Resources.FirstOrDefault(r => r.Name == name);

        /// <summary>The unit of a resource, as written in sigil (<c>s</c>, <c>mmol/gDW/h</c>; <c>1</c> when dimensionless).</summary>
        private static string Unit(ResourceSpec resource) => resource.Unit.ToString();

        /// <summary>Who carries a resource's load, for the plain words: "a task" or "the load".</summary>
        private static string Agent(ResourceSpec resource)
            => resource.IndexSets.Count == 0 ? "the load" : "a " + string.Join(" and ", resource.IndexSets) + " whose load";

        /// <summary>The coupling statement that budgets <paramref name="resource"/>, for comments.</summary>
        private string RowStatement(ResourceSpec resource)
            => _spec.Couplings.FirstOrDefault(c => c.Resource == resource.Name)?.Statement ?? "@" + resource.Name;
    }
}
