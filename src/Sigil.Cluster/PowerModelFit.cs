using System;

namespace Sigil.Cluster;

/// <summary>
/// Fits the node's sensed power to its model online: <c>sensed = gain x model + offset</c>, where
/// <c>model</c> is the fibre's cluster load of the allocation applied (for power, watts per CPU times
/// the jobs' CPUs) and <c>offset</c> what the meter reads beside the fibre's jobs (idle and base
/// power, other processes: RAPL and the CPU-time model both measure the whole machine). Recursive
/// least squares with the forgetting factor <see cref="Forgetting"/> (a reading's weight halves in
/// about 14 readings), on the regressor <c>(model / scale, 1)</c> so that both parameters are of
/// order one. It starts from gain 1 and offset 0 with a weak prior (covariance <see cref="Prior"/>
/// times the identity: two readings at different loads determine both). The estimate is clamped to
/// <c>gain in [<see cref="MinGain"/>, <see cref="MaxGain"/>]</c> and
/// <c>offset in [0, <see cref="MaxOffset"/>]</c> (a parameter held at its bound moves the other by
/// their covariance, so the prediction still follows the readings), and each diagonal entry of the covariance is held
/// at most <see cref="Prior"/> (by a diagonal congruence, which keeps it positive definite), so a
/// steady load (no excitation of the gain) cannot wind the covariance up. On a steady load only
/// <c>gain x model + offset</c> at that load is known; the fit keeps predicting it, and gain and
/// offset apart are learnt when the load moves.
/// </summary>
/// <remarks>Hand-written: two parameters; no package served here runs recursive least squares.</remarks>
public sealed class PowerModelFit
{
    /// <summary>The forgetting factor.</summary>
    public const double Forgetting = 0.95;

    /// <summary>The least gain applied.</summary>
    public const double MinGain = 0.25;

    /// <summary>The largest gain applied.</summary>
    public const double MaxGain = 4;

    /// <summary>The starting covariance (times the identity) and the bound on its diagonal.</summary>
    public const double Prior = 1e3;

    private readonly double _scale;
    private double _p00 = Prior, _p01, _p11 = Prior;
    private double _offsetScaled;

    /// <summary>
    /// A fit for a node whose jobs' modelled load is of order <paramref name="scale"/> (its largest),
    /// with the offset at most <paramref name="maxOffset"/>.
    /// </summary>
    public PowerModelFit(double scale, double maxOffset)
    {
        if (!(scale > 0) || !double.IsFinite(scale) || !(maxOffset >= 0) || !double.IsFinite(maxOffset))
        {
            throw new ArgumentException($"scale {scale} must be positive and finite, the largest offset {maxOffset} finite and >= 0");
        }

        _scale = scale;
        MaxOffset = maxOffset;
    }

    /// <summary>The fitted gain (1 before any reading).</summary>
    public double Gain { get; private set; } = 1;

    /// <summary>The fitted offset, in the row's unit (0 before any reading).</summary>
    public double Offset => _offsetScaled * _scale;

    /// <summary>The largest offset.</summary>
    public double MaxOffset { get; }

    /// <summary>Readings taken.</summary>
    public long Readings { get; private set; }

    /// <summary>
    /// One reading: <paramref name="sensed"/> was measured while the allocation whose modelled load is
    /// <paramref name="model"/> applied. Readings that are not finite or negative are ignored.
    /// </summary>
    public void Add(double model, double sensed)
    {
        if (!double.IsFinite(model) || !double.IsFinite(sensed) || model < 0 || sensed < 0)
        {
            return;
        }

        var m = model / _scale;
        var y = sensed / _scale;

        // K = P phi / (lambda + phi' P phi), phi = (m, 1).
        var pm0 = (_p00 * m) + _p01;
        var pm1 = (_p01 * m) + _p11;
        var denominator = Forgetting + (m * pm0) + pm1;
        var k0 = pm0 / denominator;
        var k1 = pm1 / denominator;
        var error = y - ((Gain * m) + _offsetScaled);
        var gain = Gain + (k0 * error);
        var offset = _offsetScaled + (k1 * error);

        // P = (P - K phi' P) / lambda, phi' P = (pm0, pm1) by symmetry.
        _p00 = (_p00 - (k0 * pm0)) / Forgetting;
        _p01 = (_p01 - (k0 * pm1)) / Forgetting;
        _p11 = (_p11 - (k1 * pm1)) / Forgetting;

        // Onto the bounds: a parameter held at its bound moves the other by their covariance (the
        // least-squares estimate given the held value), so the error the held one cannot absorb goes
        // to the other rather than being lost. Clamping each alone would leave the prediction off the
        // readings for as long as the load stays steady.
        var heldOffset = Math.Clamp(offset, 0, MaxOffset / _scale);
        gain += _p01 / _p11 * (heldOffset - offset);
        offset = heldOffset;
        var heldGain = Math.Clamp(gain, MinGain, MaxGain);
        offset = Math.Clamp(offset + (_p01 / _p00 * (heldGain - gain)), 0, MaxOffset / _scale);
        Gain = heldGain;
        _offsetScaled = offset;
        if (_p00 > Prior)
        {
            // D P D with D = diag(f, 1): the gain's variance back to the bound, the covariance scaled with it.
            _p01 *= Math.Sqrt(Prior / _p00);
            _p00 = Prior;
        }

        if (_p11 > Prior)
        {
            _p01 *= Math.Sqrt(Prior / _p11);
            _p11 = Prior;
        }

        Readings++;
    }
}
