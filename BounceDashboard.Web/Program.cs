using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Hosting;

// Before anything can touch MimeKit: it remembers which charsets exist.
LegacyCharsets.Register();

if (CliApplication.TryFind(args, out var command))
{
    return await CliApplication.RunAsync(command!, args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddBounceDashboard();
var app = builder.Build();
await app.UseBounceDashboardAsync();
await app.RunAsync();
return 0;
