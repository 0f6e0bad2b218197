using System;
using System.CommandLine;
using System.Threading.Tasks;
using Sigil.Runtime.Workloads;

namespace Sigil.Cli.Commands;

/// <summary>
/// Hidden <c>sigil workload ...</c> commands: the simulated processes the demo and the tests run.
/// Each touches nothing outside the directory it is given.
/// </summary>
internal static class WorkloadCommand
{
    public static Command Create()
    {
        var command = new Command("workload", "Simulated workloads for the demo and the tests.") { Hidden = true };
        command.Add(Ransomware());
        command.Add(Benign());
        command.Add(Checkpointer());
        return command;
    }

    private static Command Ransomware()
    {
        var dir = new Option<string>("--dir") { Description = "The workload's own directory (created if missing).", Required = true };
        var hold = new Option<string>("--hold") { Description = "How long each file is held open.", DefaultValueFactory = _ => "8s" };
        var files = new Option<int>("--files") { Description = "Victim files.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds over the files (0: until killed).", DefaultValueFactory = _ => 0 };
        var command = new Command("ransomware", "Rewrite copies of files, holding each open for seconds.") { dir, hold, files, rounds };
        command.SetAction((parse, token) => CommandRunner.RunAsync(() =>
        {
            var simulation = new RansomwareSimulation(Open(parse.GetValue(dir)!), Durations.Parse(parse.GetValue(hold)!, "--hold"), CheckRange(parse.GetValue(files), 1, 10_000, "--files"));
            simulation.Run(Console.Out, Math.Max(0, parse.GetValue(rounds)), token);
            return Task.FromResult(CliExitCodes.Ok);
        }));
        return command;
    }

    private static Command Benign()
    {
        var dir = new Option<string>("--dir") { Description = "The workload's own directory (created if missing).", Required = true };
        var rate = new Option<double>("--rate") { Description = "Opens per second.", DefaultValueFactory = _ => 200 };
        var duration = new Option<string>("--duration") { Description = "How long to run (0: until killed).", DefaultValueFactory = _ => "0" };
        var command = new Command("benign", "Open, touch and close files at a steady rate.") { dir, rate, duration };
        command.SetAction((parse, token) => CommandRunner.RunAsync(async () =>
        {
            var r = parse.GetValue(rate);
            if (!(r > 0 && r <= 100_000))
            {
                throw new CliException(CliExitCodes.BadInput, $"--rate: {r} is not between 0 and 100000");
            }

            var activity = new BenignFileActivity(Open(parse.GetValue(dir)!), r);
            await activity.RunAsync(Console.Out, Durations.Parse(parse.GetValue(duration)!, "--duration"), token).ConfigureAwait(false);
            return CliExitCodes.Ok;
        }));
        return command;
    }

    private static Command Checkpointer()
    {
        var dir = new Option<string>("--dir") { Description = "The checkpoint directory.", Required = true };
        var saves = new Option<long>("--saves") { Description = "Saves before stopping (0: until killed).", DefaultValueFactory = _ => 0 };
        var command = new Command("checkpointer", "Checkpoint in a loop (crash tests).") { dir, saves };
        command.SetAction((parse, token) => CommandRunner.RunAsync(() =>
        {
            CheckpointLoop.Run(parse.GetValue(dir)!, Console.Out, Math.Max(0, parse.GetValue(saves)), token);
            return Task.FromResult(CliExitCodes.Ok);
        }));
        return command;
    }

    private static WorkloadDirectory Open(string path)
    {
        try
        {
            return WorkloadDirectory.Open(path);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(CliExitCodes.BadInput, "--dir: " + e.Message);
        }
    }

    private static int CheckRange(int value, int min, int max, string option) =>
        value >= min && value <= max ? value : throw new CliException(CliExitCodes.BadInput, $"{option}: {value} is not between {min} and {max}");
}
