using System.Collections.Generic;

namespace Sigil.Language.Binding;

// The words the binder gives meaning to, read by the authoring services (completion, hover) so that
// an editor offers exactly what the binder accepts.
internal sealed partial class Binder
{
    /// <summary>Solver methods and the settings each accepts.</summary>
    public static IReadOnlyDictionary<string, string[]> SolverSettings => s_settings;

    /// <summary>Certificate names of <c>certify</c>.</summary>
    public static IReadOnlyList<string> CertificateNames => s_certificates;

    /// <summary>Sensor functions of <c>sense</c>.</summary>
    public static IReadOnlyList<string> SensorNames => s_sensors;

    /// <summary>Keys a sensor may be keyed by.</summary>
    public static IReadOnlyList<string> SensorKeyNames => s_sensorKeys;

    /// <summary>Actuators of <c>act</c>.</summary>
    public static IReadOnlyList<string> ActuatorNames => s_actuators;

    /// <summary>Aggregates of <c>metric</c>.</summary>
    public static IReadOnlyList<string> AggregateNames => s_aggregates;

    /// <summary>Hook kinds of <c>instrument</c>.</summary>
    public static IReadOnlyList<string> InstrumentNames => s_instruments;

    /// <summary>Arguments an instrumented hook may pass.</summary>
    public static IReadOnlyList<string> HookArgumentNames => s_hookArguments;

    /// <summary>Responses of <c>instrument ... respond</c>.</summary>
    public static IReadOnlyList<string> ResponseNames => s_responses;

    /// <summary>Layouts of a two-dimensional table's file (<c>from "s.csv" wide</c>).</summary>
    public static IReadOnlyList<string> TableLayoutNames => s_layouts;

    /// <summary>The name of an infinite bound: <c>$v[r] : 1 in [-inf, inf];</c>.</summary>
    public const string InfinityName = "inf";

    /// <summary>Kernel keys of a dynamic index (<c>index task by pid</c>).</summary>
    public static IReadOnlyList<string> KernelKeyNames => s_kernelKeys;
}
