using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sigil.Cli;

/// <summary>
/// The daemon's live table: agents, load, price and action, refreshed while the daemon runs.
/// On a terminal it redraws in place; otherwise it prints each action as a line and the table
/// once at the end.
/// </summary>
internal sealed class LiveView
{
    private readonly IAnsiConsole _console;
    private readonly bool _interactive;
    private DaemonSnapshot? _latest;
    private string _fibre = string.Empty;
    private string _sensor = string.Empty;

    private readonly bool _printActions;

    /// <summary>A view on <paramref name="console"/>; off a terminal, <paramref name="printActions"/> prints each action as a line.</summary>
    public LiveView(IAnsiConsole console, bool interactive, bool printActions = true)
    {
        _console = console;
        _interactive = interactive;
        _printActions = printActions;
    }

    public DaemonSnapshot? Latest => Volatile.Read(ref _latest);

    public void Attach(DaemonApplication app)
    {
        _fibre = app.Engine.Fibre.Name;
        _sensor = app.Engine.Sensor.Name;
        app.Engine.TickCompleted += snapshot =>
        {
            Volatile.Write(ref _latest, snapshot);
            if (!_interactive && _printActions)
            {
                foreach (var action in snapshot.Actions)
                {
                    _console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"[tick {snapshot.Tick}] {Status(action.Status)} {action.Detail}")));
                }
            }
        };
    }

    public async Task<int> RunAsync(Task<int> daemon)
    {
        if (_interactive)
        {
            await _console.Live(Render()).AutoClear(false).StartAsync(async context =>
            {
                while (!daemon.IsCompleted)
                {
                    context.UpdateTarget(Render());
                    await Task.WhenAny(daemon, Task.Delay(250)).ConfigureAwait(false);
                }

                context.UpdateTarget(Render());
            }).ConfigureAwait(false);
            return await daemon.ConfigureAwait(false);
        }

        var code = await daemon.ConfigureAwait(false);
        if (Latest is not null)
        {
            _console.Write(Render());
        }

        return code;
    }

    public IRenderable Render()
    {
        var snapshot = Latest;
        if (snapshot is null)
        {
            return new Markup($"[grey]{Markup.Escape(_fibre)}: starting…[/]");
        }

        var mode = snapshot.Armed ? "[red bold]ARMED[/]" : "[yellow]observation (dry run)[/]";
        var metrics = string.Join("  ", snapshot.FibreMetrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} = {m.Value:0.###}")));
        var header = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(_fibre)}[/]  {mode}  tick {snapshot.Tick}  agents {snapshot.AgentCount}  {Markup.Escape(metrics)}\n[grey]sensor {Markup.Escape(_sensor)}: seen {snapshot.Counters.Seen}, processed {snapshot.Counters.Processed}, filtered {snapshot.Counters.Filtered}, dropped {snapshot.Counters.Dropped}; solver updates {snapshot.Step.Iterations}, residuals {snapshot.Step.PrimalResidual:0.###} / {snapshot.Step.DualResidual:0.###}[/]"));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("pid", c => c.RightAligned())
            .AddColumn("command")
            .AddColumn("load", c => c.RightAligned())
            .AddColumn("price", c => c.RightAligned())
            .AddColumn("state")
            .AddColumn("last action");
        foreach (var agent in snapshot.Agents)
        {
            var state = agent.Level switch
            {
                EnforcementLevel.Killed => "[red]killed[/]",
                EnforcementLevel.Frozen => "[blue]frozen[/]",
                EnforcementLevel.Throttled => "[yellow]throttled[/]",
                _ => "[green]ok[/]",
            };
            table.AddRow(
                agent.Agent.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(agent.Name),
                agent.Load.ToString("0.00", CultureInfo.InvariantCulture),
                agent.Price.ToString("0.00", CultureInfo.InvariantCulture),
                state,
                Markup.Escape(agent.LastAction));
        }

        if (snapshot.Agents.Count == 0)
        {
            table.AddRow("[grey]-[/]", "[grey]no agent priced yet[/]", string.Empty, string.Empty, string.Empty, string.Empty);
        }

        return new Rows(header, table);
    }

    private static string Status(ActionStatus status) => status switch
    {
        ActionStatus.Applied => "done:",
        ActionStatus.WouldApply => "observation:",
        ActionStatus.Refused => "refused:",
        _ => "failed:",
    };
}
