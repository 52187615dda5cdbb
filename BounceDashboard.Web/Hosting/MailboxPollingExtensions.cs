using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using BounceDashboard.Web.Queries;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class MailboxPollingExtensions
{
    /// <summary>
    /// The <c>Mailboxes</c> list (validated at start-up; empty by default) and the readers behind
    /// <see cref="PollMailboxJob"/>, scheduled per mailbox by <see cref="RecurringJobs"/>.
    /// </summary>
    public static void AddBounceDashboardMailboxPolling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailboxesOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                configuration.GetSection(MailboxesOptions.SectionName).Bind(options.Mailboxes))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MailboxesOptions>, MailboxListValidator>();
        builder.Services.AddSingleton<MailboxPoller>();
        builder.Services.AddSingleton<MailboxLease>();
        builder.Services.AddSingleton<IMailboxHealthQueries, MailboxHealthQueries>();
        builder.Services.AddSingleton<ImapMailboxReader>();
        builder.Services.AddSingleton<Pop3MailboxReader>();
        builder.Services.AddSingleton<MaildirMailboxReader>();
        builder.Services.AddTransient<PollMailboxJob>();
    }
}
