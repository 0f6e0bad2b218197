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

        private void Theorem(string name, string certificate, string meaning, string statement, string proof, CoqUpdateBound? bound = null, CoqWitness? witness = null)
        {
            Claim(name);
            if (witness is not null)
            {
                Claim(name + "_satisfiable");
            }

            _theorems.Add(new CoqTheorem(name, certificate, meaning, statement, proof, bound, witness));
        }

        /// <summary>A witness: <paramref name="text"/> in words, <paramref name="terms"/> in binding order, and facts that tie them to the fibre.</summary>
        private static CoqWitness At(string text, string[] terms, params string[] bounds)
            => new(text, EquatableArray.Create(new CoqWitnessPart(terms.ToEquatableArray())), bounds.ToEquatableArray());

        /// <summary>A witness of a statement <c>A /\ B</c> whose two parts bind variables.</summary>
        private static CoqWitness AtBoth(string text, string[] first, string[] second, params string[] bounds)
            => new(text, EquatableArray.Create(new CoqWitnessPart(first.ToEquatableArray()), new CoqWitnessPart(second.ToEquatableArray())), bounds.ToEquatableArray());

        /// <summary>The constant load <paramref name="value"/>, as a function of the update count (<c>nat</c>), the price (<c>R</c>) or a Z-valued count.</summary>
        private static string Constant(string over, string value) => $"fun _ : {over} => {value}";

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

        /// <summary>
        /// "a task whose load on @dwell exceeds the 5 s budget by at least 1 s at every update is
        /// killed (its price reaches 15) within 8 updates", or for a shared resource "when the load
        /// on @atp exceeds ..., its price reaches 15 within 8 updates".
        /// </summary>
        private static string Detected(ResourceSpec resource, string margin, string budget, ActuatorKind kind, string price, string updates)
        {
            var outcome = kind switch
            {
                ActuatorKind.Kill => $"is killed (its price reaches {price})",
                ActuatorKind.Throttle => $"is throttled (its price reaches {price})",
                ActuatorKind.Freeze => $"is frozen (its price reaches {price})",
                _ => $"has its price reach {price}",
            };
            return resource.IndexSets.Count == 0
                ? $"when the load on @{resource.Name} exceeds its {budget} budget by at least {margin} at every update, its price reaches {price} within {updates} updates"
                : $"a {string.Join(" and ", resource.IndexSets)} whose load on @{resource.Name} exceeds the {budget} budget by at least {margin} at every update {outcome} within {updates} updates";
        }

        /// <summary>"a task at the throttle price 5 of @dwell whose load stays at least 1 s below the 5 s budget returns to price 0 within 3 updates".</summary>
        private static string Recovered(ResourceSpec resource, string margin, string budget, string kind, string price, string updates)
            => resource.IndexSets.Count == 0
                ? $"when the load on @{resource.Name} stays at least {margin} below its {budget} budget, its price falls from the {kind} price {price} to 0 within {updates} updates and stays there"
                : $"a {string.Join(" and ", resource.IndexSets)} at the {kind} price {price} of @{resource.Name} whose load stays at least {margin} below the {budget} budget returns to price 0 within {updates} updates and stays there";

        /// <summary>The coupling statement that budgets <paramref name="resource"/>, for comments.</summary>
        private string RowStatement(ResourceSpec resource)
            => _spec.Couplings.FirstOrDefault(c => c.Resource == resource.Name)?.Statement ?? "@" + resource.Name;
    }
}
