using System.Security.Claims;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;

namespace BounceDashboard.Tests.Components.Pages.Audiences;

/// <summary>Audiences and members held in lists; a pending or failing mode for the loading and error states.</summary>
public sealed class FakeAudienceQueries : IAudienceQueries
{
    public List<AudienceSummary> Audiences { get; } = [];

    public List<AudienceMemberRow> Members { get; } = [];

    public List<AudienceMemberFilter> MemberFilters { get; } = [];

    public List<AudienceCampaignRow> Campaigns { get; } = [];

    /// <summary>When set, every call waits on this task (the loading state).</summary>
    public TaskCompletionSource? Pending { get; set; }

    /// <summary>When set, every call throws it (the error state).</summary>
    public Exception? Failure { get; set; }

    public async Task<PagedResult<AudienceSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        await WaitOrFailAsync();
        return new PagedResult<AudienceSummary>(Audiences.Skip(page.Skip).Take(page.Take).ToList(), Audiences.Count);
    }

    public async Task<AudienceSummary?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await WaitOrFailAsync();
        return Audiences.SingleOrDefault(a => a.Id == id);
    }

    public async Task<PagedResult<AudienceMemberRow>> MembersAsync(long audienceId, AudienceMemberFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        await WaitOrFailAsync();
        MemberFilters.Add(filter);
        var rows = Members
            .Where(m => filter.Status is null || m.Status == filter.Status)
            .Where(m => string.IsNullOrWhiteSpace(filter.Search) || m.Email.Contains(filter.Search.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        return new PagedResult<AudienceMemberRow>(rows.Skip(page.Skip).Take(page.Take).ToList(), rows.Count);
    }

    public async Task<PagedResult<AudienceCampaignRow>> CampaignsAsync(long audienceId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await WaitOrFailAsync();
        return new PagedResult<AudienceCampaignRow>(Campaigns.Skip(page.Skip).Take(page.Take).ToList(), Campaigns.Count);
    }

    public async IAsyncEnumerable<AudienceMemberRow> StreamMembersAsync(long audienceId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await WaitOrFailAsync();
        foreach (var member in Members)
        {
            yield return member;
        }
    }

    private async Task WaitOrFailAsync()
    {
        if (Pending is { } pending)
        {
            await pending.Task;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}

/// <summary>Records the commands asked for; the preview checks the rows on their own (no database).</summary>
public sealed class FakeAudienceCommands : IAudienceCommands
{
    public List<(string Name, string? Description, ClaimsPrincipal User)> Created { get; } = [];

    public List<(long Id, string Name)> Renamed { get; } = [];

    public List<(long Id, ContactCsvFile File, ContactColumnMapping Mapping, ClaimsPrincipal User)> Imports { get; } = [];

    public AudienceCommandResult CreateResult { get; set; } = new(CommandStatus.Done, "Audience created.", 7);

    public Task<AudienceCommandResult> CreateAsync(ClaimsPrincipal user, string name, string? description, CancellationToken cancellationToken = default)
    {
        Created.Add((name, description, user));
        return Task.FromResult(CreateResult);
    }

    public Task<AudienceCommandResult> RenameAsync(ClaimsPrincipal user, long audienceId, string name, CancellationToken cancellationToken = default)
    {
        Renamed.Add((audienceId, name));
        return Task.FromResult(new AudienceCommandResult(CommandStatus.Done, $"Renamed to \"{name}\".", audienceId));
    }

    public Task<ImportPreview?> PreviewImportAsync(long audienceId, ContactCsvFile file, ContactColumnMapping mapping, CancellationToken cancellationToken = default)
    {
        var rows = ContactCsvImport.Check(file, mapping)
            .Select(c => c.Problem == ContactRowProblem.None
                ? new ImportPreviewRow(c.Line, c.RawEmail, c.Email, c.Name, ImportRowOutcome.Import, true, null, null, "New contact.")
                : new ImportPreviewRow(c.Line, c.RawEmail, c.Email, c.Name, ImportRowOutcome.InvalidAddress, false, null, null, "Skipped: Not a valid e-mail address."))
            .ToList();
        return Task.FromResult<ImportPreview?>(new ImportPreview(audienceId, rows));
    }

    public Task<ImportResult> ImportAsync(ClaimsPrincipal user, long audienceId, ContactCsvFile file, ContactColumnMapping mapping, CancellationToken cancellationToken = default)
    {
        Imports.Add((audienceId, file, mapping, user));
        return Task.FromResult(new ImportResult(CommandStatus.Done, "Imported 2 contacts (2 new).", 2, 2));
    }
}
