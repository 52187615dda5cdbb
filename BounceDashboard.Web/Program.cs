using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Hosting;

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
