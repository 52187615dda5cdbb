using BounceDashboard.Web.Cli;

if (CliApplication.TryFind(args, out var command))
{
    return await CliApplication.RunAsync(command!, args);
}

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
await app.RunAsync();
return 0;
