using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// Compiles, at start, the code that reports an action (the engine's report path, the log
/// pipeline down to the console formatter) so that the first kernel decision is not the first
/// run of it. On a starved host the just-in-time compilation of that path is what delays the
/// first report (docs/ransomware.md gives the figures, with the daemon held to 5% of a core).
/// Nothing is written and nothing is counted.
/// </summary>
internal static class ReportPathWarmer
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Runs the action log events through <paramref name="logger"/>'s pipeline at level None (no
    /// provider writes it) and through each of <paramref name="formatters"/> into a null writer,
    /// then compiles every method of <paramref name="types"/> and their nested types.
    /// </summary>
    public static void Warm(ILogger logger, string fibre, IEnumerable<ConsoleFormatter> formatters, IEnumerable<Type> types)
    {
        var silent = new SilentLogger(logger, [.. formatters]);
        DaemonLog.Action(silent, fibre, "kill", 0, string.Empty);
        DaemonLog.WouldAct(silent, fibre, "kill", 0, string.Empty);
        DaemonLog.ActionNotDone(silent, fibre, "kill", 0, string.Empty);
        DaemonLog.Problem(silent, fibre, string.Empty);

        var seen = new HashSet<Type>();
        foreach (var type in types)
        {
            Prepare(type, seen);
        }
    }

    private static void Prepare(Type type, HashSet<Type> seen)
    {
        if (type.ContainsGenericParameters || !seen.Add(type))
        {
            return;
        }

        foreach (var method in type.GetMethods(Declared))
        {
            if (method.IsAbstract || method.ContainsGenericParameters || (method.Attributes & MethodAttributes.PinvokeImpl) != 0
                || (method.MethodImplementationFlags & (MethodImplAttributes.InternalCall | MethodImplAttributes.Runtime)) != 0)
            {
                continue;
            }

            TryPrepare(method);
        }

        foreach (var constructor in type.GetConstructors(Declared))
        {
            TryPrepare(constructor);
        }

        // Closures and lambdas live in compiler-generated nested types.
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            Prepare(nested, seen);
        }
    }

    // Warming is best effort: a method the runtime will not compile ahead (whatever the reason) is
    // compiled at its first call, as it would have been; the daemon starts either way.
    private static void TryPrepare(MethodBase method)
    {
        try
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    // Passes each event on at level None (the pipeline runs, every provider declines it) and
    // formats it into a null writer: the generic code for the event's state type is compiled.
    private sealed class SilentLogger(ILogger inner, IReadOnlyList<ConsoleFormatter> formatters) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            inner.Log(LogLevel.None, eventId, state, exception, formatter);
            var entry = new LogEntry<TState>(logLevel, "Sigil.Daemon", eventId, state, exception, formatter);
            foreach (var console in formatters)
            {
                console.Write(in entry, null, TextWriter.Null);
            }
        }
    }
}
