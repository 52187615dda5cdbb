using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Options;

/// <summary>
/// The configuration binder leaves out a list entry it cannot read (a TlsMode spelt wrong, a port that is not a number)
/// without a word, so a relay or a mailbox with a typo would silently vanish: nothing sent through it, nothing polled.
/// These checks bind each entry of the list on its own and stop start-up with the binder's own message for any it cannot
/// read.
/// </summary>
public static class ConfigurationLists
{
    /// <summary>A failure per entry of <paramref name="list"/> that does not bind to <typeparamref name="TEntry"/>, and one if the counts differ.</summary>
    public static ValidateOptionsResult Check<TEntry>(IConfigurationSection list, int boundCount)
    {
        ArgumentNullException.ThrowIfNull(list);
        var entries = list.GetChildren().ToList();
        var failures = new List<string>();
        foreach (var entry in entries)
        {
            try
            {
                entry.Get<TEntry>(binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"{entry.Path} cannot be read: {ex.Message}");
            }
        }

        if (failures.Count == 0 && entries.Count != boundCount)
        {
            failures.Add($"{list.Path} has {entries.Count} entries but {boundCount} could be read.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary><see cref="ConfigurationLists.Check"/> for <c>Sending:Relays</c>.</summary>
public sealed class RelayListValidator(IConfiguration configuration) : IValidateOptions<SendingOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ConfigurationLists.Check<RelayOptions>(
            configuration.GetSection(SendingOptions.SectionName).GetSection(nameof(SendingOptions.Relays)),
            options.Relays.Count);
    }
}

/// <summary><see cref="ConfigurationLists.Check"/> for the <c>Mailboxes</c> list.</summary>
public sealed class MailboxListValidator(IConfiguration configuration) : IValidateOptions<MailboxesOptions>
{
    public ValidateOptionsResult Validate(string? name, MailboxesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ConfigurationLists.Check<MailboxOptions>(configuration.GetSection(MailboxesOptions.SectionName), options.Mailboxes.Count);
    }
}
