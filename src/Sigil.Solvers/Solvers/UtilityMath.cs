using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The closed forms of each utility family, shared by the per-family agent structs and
/// <see cref="MixedAgents"/>. Every step is clamped to <c>[lo, hi]</c>; the sensitivity is
/// <c>1 / (-U''(x))</c> at the clamped point.
/// </summary>
public static class UtilityMath
{
    // Log: U = w log(x + eps).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogArgmax(double w, double eps, double lo, double hi, double q, out double sensitivity)
    {
        if (q > 0)
        {
            double r = 1.0 / q;
            double y = w * r;
            double x = y - eps;
            if (x >= lo && x <= hi)
            {
                sensitivity = y * r;
                return x;
            }

            x = x < lo ? lo : hi;
            sensitivity = (x + eps) * (x + eps) / w;
            return x;
        }

        sensitivity = (hi + eps) * (hi + eps) / w;
        return hi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogProx(double w, double eps, double lo, double hi, double v, double t)
    {
        // w / (x + eps) = (x - v) / t  <=>  y^2 - b y - w t = 0 with y = x + eps, b = v + eps;
        // the positive root, written so that it does not cancel for either sign of b.
        double b = v + eps;
        double wt = w * t;
        double root = Math.Sqrt(b * b + 4 * wt);
        double y = b >= 0 ? 0.5 * (b + root) : 2 * wt / (root - b);
        return Math.Clamp(y - eps, lo, hi);
    }

    // Alpha-fair: U = w (x + eps)^(1 - a) / (1 - a).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AlphaArgmax(double w, double eps, double a, double lo, double hi, double q, out double sensitivity)
    {
        double x = q > 0 ? Math.Pow(w / q, 1.0 / a) - eps : hi;
        x = Math.Clamp(x, lo, hi);
        sensitivity = Math.Pow(x + eps, a + 1) / (a * w);
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AlphaUtility(double w, double eps, double a, double x) =>
        w * Math.Pow(x + eps, 1 - a) / (1 - a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AlphaMarginal(double w, double eps, double a, double x) => w * Math.Pow(x + eps, -a);

    /// <summary>
    /// No closed form: solves <c>w (x + eps)^-a = (x - v) / t</c> by Newton's method safeguarded
    /// with bisection on a bracket (the left side decreases, the right side increases in x).
    /// </summary>
    public static double AlphaProx(double w, double eps, double a, double lo, double hi, double v, double t)
    {
        double Phi(double x) => w * Math.Pow(x + eps, -a) - (x - v) / t;
        if (Phi(lo) <= 0)
        {
            return lo;
        }

        // x* = v + t U'(x*) <= v + t U'(lo): a finite right end even when hi is infinite.
        double right = Math.Min(hi, v + t * AlphaMarginal(w, eps, a, lo));
        if (right <= lo)
        {
            return lo;
        }

        if (Phi(right) >= 0)
        {
            return right;
        }

        double left = lo;
        double x = 0.5 * (left + right);
        for (int i = 0; i < 200; i++)
        {
            double f = Phi(x);
            if (f > 0)
            {
                left = x;
            }
            else
            {
                right = x;
            }

            double slope = -a * w * Math.Pow(x + eps, -a - 1) - 1 / t;
            double next = x - f / slope;
            if (!(next > left && next < right))
            {
                next = 0.5 * (left + right);
            }

            if (Math.Abs(next - x) <= 1e-15 * (Math.Abs(x) + 1e-300) || right - left <= 1e-15 * Math.Abs(right))
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    // Quadratic: U = w x - (k / 2) x^2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double QuadraticArgmax(double w, double k, double lo, double hi, double q, out double sensitivity)
    {
        sensitivity = 1 / k;
        return Math.Clamp((w - q) / k, lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double QuadraticProx(double w, double k, double lo, double hi, double v, double t) =>
        Math.Clamp((v + t * w) / (1 + t * k), lo, hi);

    // Linear: U = w x, bang-bang.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LinearArgmax(double w, double lo, double hi, double q, out double sensitivity)
    {
        // U'' = 0, so there is no curvature to invert. The proxy spreads the jump from hi to lo
        // over a price band of width |w| around w, which keeps the scaled dual step finite.
        sensitivity = (hi - lo) / Math.Max(Math.Abs(w), 1e-12);
        return w > q ? hi : lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LinearProx(double w, double lo, double hi, double v, double t) => Math.Clamp(v + t * w, lo, hi);
}
