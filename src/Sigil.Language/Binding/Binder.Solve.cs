using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    /// <summary>Default absolute tolerance on residuals.</summary>
    public const double DefaultAbsoluteTolerance = 1e-6;

    /// <summary>Default relative tolerance on residuals.</summary>
    public const double DefaultRelativeTolerance = 1e-4;

    /// <summary>Default iteration cap.</summary>
    public const int DefaultIterations = 10000;

    private static readonly Dictionary<string, string[]> s_settings = new(StringComparer.Ordinal)
    {
        ["dual"] = new[] { "step", "rule", "tolerance", "abs_tolerance", "rel_tolerance", "feasibility_tolerance", "iterations", "online", "price_max" },
        ["admm"] = new[] { "rho", "tolerance", "abs_tolerance", "rel_tolerance", "feasibility_tolerance", "iterations" },
        ["penalty"] = new[] { "mu", "tolerance", "abs_tolerance", "rel_tolerance", "feasibility_tolerance", "iterations" },
    };

    private static readonly string[] s_certificates = { "lyapunov", "step", "detection", "admm", "chordal" };

    private void BindSolve(SolveDeclarationSyntax syntax)
    {
        if (_fibre.Solve is not null)
        {
            _diagnostics.ReportDuplicateDeclaration(syntax.Span, "Fibre '" + _fibre.Name + "'", "a solve declaration");
            return;
        }

        var methodName = syntax.Method.Text;
        SolverMethod method;
        switch (methodName)
        {
            case "dual": method = SolverMethod.Dual; break;
            case "admm": method = SolverMethod.Admm; break;
            case "penalty": method = SolverMethod.Penalty; break;
            default:
                _diagnostics.ReportUnknownWord(syntax.Method.Span, methodName, "solver method", OneOf("dual", "admm", "penalty"), DidYouMean(methodName, s_settings.Keys));
                return;
        }

        double? step = null;
        double rho = 1, mu = 1, absolute = DefaultAbsoluteTolerance, relative = DefaultRelativeTolerance;
        double? priceMax = null;
        double? feasibility = null;
        var rule = SolverRule.Scaled;
        var iterations = DefaultIterations;
        var online = false;
        var ok = true;
        var stepSpan = syntax.Method.Span;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var setting in syntax.Settings)
        {
            var name = setting.Identifier.Text;
            if (setting.Identifier.IsMissing)
            {
                continue;
            }

            if (!s_settings[methodName].Contains(name))
            {
                var owner = s_settings.FirstOrDefault(p => p.Value.Contains(name)).Key;
                if (owner is not null)
                {
                    _diagnostics.ReportSettingNotForMethod(setting.Identifier.Span, name, owner, methodName);
                }
                else
                {
                    _diagnostics.ReportUnknownSetting(setting.Identifier.Span, name, methodName, DidYouMean(name, s_settings[methodName]));
                }

                ok = false;
                continue;
            }

            if (!seen.Add(name))
            {
                _diagnostics.ReportDuplicateDeclaration(setting.Span, "This solve", "a setting '" + name + "'");
                ok = false;
                continue;
            }

            if (name == "online")
            {
                if (setting.Value is not null)
                {
                    _diagnostics.ReportSettingValue(setting.Value.Span, name, "no value; write 'online;'");
                    ok = false;
                }

                online = true;
                continue;
            }

            if (setting.Value is null)
            {
                _diagnostics.ReportSettingValue(setting.Span, name, "a value: '" + name + " = ...;'");
                ok = false;
                continue;
            }

            if (name == "step" && setting.Value is NameExpressionSyntax { NameKind: SyntaxKind.NameExpression, Subscript: null } auto && auto.Identifier.Text == "auto")
            {
                stepSpan = setting.Span;
                continue;
            }

            if (name == "rule")
            {
                if (setting.Value is NameExpressionSyntax { NameKind: SyntaxKind.NameExpression, Subscript: null } word && word.Identifier.Text is "fixed" or "scaled")
                {
                    rule = word.Identifier.Text == "fixed" ? SolverRule.Fixed : SolverRule.Scaled;
                }
                else
                {
                    _diagnostics.ReportSettingValue(setting.Value.Span, name, "'fixed' or 'scaled'");
                    ok = false;
                }

                continue;
            }

            var value = SettingNumber(setting, name);
            if (value is null)
            {
                ok = false;
                continue;
            }

            switch (name)
            {
                case "step": step = value; stepSpan = setting.Span; break;
                case "rho": rho = value.Value; break;
                case "mu": mu = value.Value; break;
                case "tolerance": absolute = relative = value.Value; break;
                case "feasibility_tolerance": feasibility = value.Value; break;
                case "abs_tolerance": absolute = value.Value; break;
                case "rel_tolerance": relative = value.Value; break;
                case "iterations": iterations = (int)value.Value; break;
                case "price_max": priceMax = value.Value; break;
            }
        }

        if (!ok)
        {
            return;
        }

        _fibre.Solve = new BoundSolve(method, step, rho, mu, absolute, relative, iterations, online, priceMax, Statement(syntax), syntax.Span, stepSpan, feasibility ?? relative, rule);
    }

    /// <summary>A setting's value, checked against its range; null after a report.</summary>
    private double? SettingNumber(SettingSyntax setting, string name)
    {
        var bound = BindValue(setting.Value!, IndexScope.Closed(Array.Empty<IndexSymbol>()));
        if (bound.IsError)
        {
            return null;
        }

        var expectation = name switch
        {
            "step" => "a positive number or 'auto'",
            "iterations" => "a whole number from 1 to 1000000000",
            "tolerance" or "abs_tolerance" or "rel_tolerance" or "feasibility_tolerance" => "a number between 0 and 1",
            _ => "a positive number",
        };
        if (!bound.Spec!.IsConstant)
        {
            _diagnostics.ReportSettingValue(setting.Value!.Span, name, expectation);
            return null;
        }

        var value = bound.Spec.Constant;
        var valid = name switch
        {
            "iterations" => value >= 1 && value <= 1e9 && value == Math.Floor(value),
            "tolerance" or "abs_tolerance" or "rel_tolerance" or "feasibility_tolerance" => value > 0 && value < 1,
            _ => value > 0,
        };
        if (!valid)
        {
            _diagnostics.ReportSettingValue(setting.Value!.Span, name, expectation + "; found " + Format(value));
            return null;
        }

        return value;
    }

    private void BindCertify(CertifyDeclarationSyntax syntax)
    {
        foreach (var name in syntax.Names)
        {
            CertificateKind kind;
            switch (name.Text)
            {
                case "lyapunov": kind = CertificateKind.Lyapunov; break;
                case "step": kind = CertificateKind.StepBound; break;
                case "detection": kind = CertificateKind.Detection; break;
                case "admm": kind = CertificateKind.Admm; break;
                case "chordal": kind = CertificateKind.Chordal; break;
                default:
                    _diagnostics.ReportUnknownWord(name.Span, name.Text, "certificate", OneOf(s_certificates), DidYouMean(name.Text, s_certificates));
                    continue;
            }

            if (_fibre.Certificates.Any(c => c.Value == kind))
            {
                _diagnostics.ReportDuplicateDeclaration(name.Span, "Fibre '" + _fibre.Name + "'", "the certificate '" + name.Text + "'");
                continue;
            }

            _fibre.Certificates.Add(new Bound<CertificateKind>(kind, name.Span));
        }
    }
}
