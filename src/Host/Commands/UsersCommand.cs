using System.CommandLine;
using System.Globalization;
using Emotion.Access;

namespace Emotion.Host.Commands;

/// <summary><c>emotion users add|list|remove|key</c>: the users who may read reports, their roles, tenants and API keys.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Users who may read reports: a role (admin, qa_analyst, coach, client, supervisor) and a tenant each, with API keys (stored hashed). Once a user exists, emotion report needs a key.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Key());
        command.Subcommands.Add(Password());
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "User name (letters, digits, . _ - @)." };
        var role = new Option<string>("--role") { Description = "admin, qa_analyst, coach, client or supervisor.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.Names]);
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the user reads; required for every role but admin (an admin without one reads every tenant)." };
        var file = ReportAccess.UsersFile();
        var command = new Command("add", "Adds a user; 'emotion users key NAME' then issues its API key.");
        command.Arguments.Add(name);
        command.Options.Add(role);
        command.Options.Add(tenant);
        command.Options.Add(file);
        command.SetAction(parse => Run(() =>
        {
            Roles.TryParse(parse.GetValue(role), out var r);
            var user = Store(parse, file).Add(parse.GetValue(name)!, r, parse.GetValue(tenant));
            Console.WriteLine($"added {user.Name} ({user.Role}, {user.Tenant ?? "every tenant"})");
        }));
        return command;
    }

    private static Command List()
    {
        var file = ReportAccess.UsersFile();
        var command = new Command("list", "Lists users: name, role, tenant, key ids (never the keys).");
        command.Options.Add(file);
        command.SetAction(parse => Run(() =>
        {
            foreach (var u in Store(parse, file).Load())
            {
                var keys = u.Keys.Count == 0 ? "no key" : string.Join(", ", u.Keys.Select(k => $"emk_{k.Id}_... ({k.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"));
                Console.WriteLine($"{u.Name}\t{u.Role}\t{u.Tenant ?? "(every tenant)"}\t{keys}");
            }
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "User name." };
        var file = ReportAccess.UsersFile();
        var command = new Command("remove", "Removes a user and its keys.");
        command.Arguments.Add(name);
        command.Options.Add(file);
        command.SetAction(parse => Run(() =>
        {
            var n = parse.GetValue(name)!;
            if (!Store(parse, file).Remove(n)) throw new ArgumentException($"no user '{n}'");
            Console.WriteLine($"removed {n}");
        }));
        return command;
    }

    private static Command Key()
    {
        var name = new Argument<string>("name") { Description = "User name." };
        var replace = new Option<bool>("--replace") { Description = "Revoke the user's other keys." };
        var file = ReportAccess.UsersFile();
        var command = new Command("key", "Issues an API key for a user and prints it once (only its hash is kept).");
        command.Arguments.Add(name);
        command.Options.Add(replace);
        command.Options.Add(file);
        command.SetAction(parse => Run(() => Console.WriteLine(Store(parse, file).IssueKey(parse.GetValue(name)!, parse.GetValue(replace)))));
        return command;
    }

    private static Command Password()
    {
        var name = new Argument<string>("name") { Description = "User name." };
        var password = new Option<string?>("--password") { Description = "The new password (at least 8 characters). Default: the first line of standard input." };
        var file = ReportAccess.UsersFile();
        var command = new Command("password", "Sets the password a user signs in to the web console (emotion serve) with; only its hash is kept.");
        command.Arguments.Add(name);
        command.Options.Add(password);
        command.Options.Add(file);
        command.SetAction(parse => Run(() =>
        {
            var n = parse.GetValue(name)!;
            Store(parse, file).SetPassword(n, parse.GetValue(password) ?? Console.In.ReadLine()?.Trim() ?? "");
            Console.WriteLine($"password set for {n}");
        }));
        return command;
    }

    private static UserStore Store(ParseResult parse, Option<string?> file) => new(ReportAccess.ResolveUsersFile(parse.GetValue(file)));

    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"emotion users: {(e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message)}");
            return 2;
        }
    }
}
