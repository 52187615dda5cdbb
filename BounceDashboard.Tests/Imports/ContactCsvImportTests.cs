using BounceDashboard.Web.Imports;
using Xunit;

// Mirrors the Web folder Imports; this C#-only test project has no VB callers.
#pragma warning disable CA1716
namespace BounceDashboard.Tests.Imports;
#pragma warning restore CA1716

/// <summary>The import reader on real files from Fixtures/Imports.</summary>
public sealed class ContactCsvImportTests
{
    private static ContactCsvReadResult ReadFixture(string name) =>
        ContactCsvImport.Read(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Imports", name)));

    private static ContactCsvFile ReadGood(string name)
    {
        var result = ReadFixture(name);
        Assert.True(result.Succeeded, $"{name}: {result.Error}");
        return result.File!;
    }

    [Fact]
    public void Read_ShouldGiveColumnsRowsAndProposeTheMapping_WhenTheFileIsGood()
    {
        var file = ReadGood("good.csv");

        Assert.Equal(["Email", "Name"], file.Columns);
        Assert.True(file.HasHeader);
        Assert.Equal(',', file.Separator);
        Assert.Equal([2, 3, 4], file.Rows.Select(r => r.Line));
        Assert.Equal(new ContactColumnMapping(0, 1), ContactCsvImport.ProposeMapping(file));
        var candidates = ContactCsvImport.Check(file, ContactCsvImport.ProposeMapping(file));
        Assert.All(candidates, c => Assert.Equal(ContactRowProblem.None, c.Problem));
        Assert.Equal(["ada@example.com", "grace@example.org", "alan@example.net"], candidates.Select(c => c.Email));
        Assert.Equal(["Ada Lovelace", "Grace Hopper", null], candidates.Select(c => c.Name));
    }

    [Fact]
    public void Check_ShouldFlagInvalidAndDuplicateRows_WhenTheFileHasBadRows()
    {
        var file = ReadGood("bad-rows.csv");

        var candidates = ContactCsvImport.Check(file, ContactCsvImport.ProposeMapping(file));

        Assert.Equal(
            [ContactRowProblem.None, ContactRowProblem.InvalidAddress, ContactRowProblem.DuplicateInFile, ContactRowProblem.InvalidAddress, ContactRowProblem.None],
            candidates.Select(c => c.Problem));
        Assert.Equal([2, 3, 4, 5, 6], candidates.Select(c => c.Line));
        // The duplicate differs only in case: addresses are compared once normalised.
        Assert.Equal("ada@example.com", candidates[2].Email);
    }

    [Fact]
    public void Read_ShouldSkipTheBomAndSplitOnSemicolons_WhenExcelSavedTheFileAsCsvUtf8()
    {
        var file = ReadGood("bom-semicolon.csv");

        Assert.Equal(';', file.Separator);
        Assert.Equal(["Name", "E-Mail"], file.Columns);
        var mapping = ContactCsvImport.ProposeMapping(file);
        Assert.Equal(new ContactColumnMapping(1, 0), mapping);
        var candidates = ContactCsvImport.Check(file, mapping);
        Assert.Equal(["Müller, Hans", "Renée Dupont"], candidates.Select(c => c.Name));
        Assert.Equal(["hans.mueller@example.de", "renee@example.fr"], candidates.Select(c => c.Email));
    }

    [Fact]
    public void Read_ShouldKeepSeparatorsQuotesAndLineBreaksInsideQuotedFields_WhenFieldsAreQuoted()
    {
        var file = ReadGood("quoted.csv");

        Assert.Equal(2, file.Rows.Count);
        Assert.Equal(["quoted@example.com", "Doe, Jane", "says \"hi\""], file.Rows[0].Fields);
        Assert.Equal(["multiline@example.com", "Line one\nline two", "x"], file.Rows[1].Fields);
        Assert.Equal([2, 3], file.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Read_ShouldReadTheFirstLineAsAContact_WhenTheFileHasNoHeader()
    {
        var file = ReadGood("no-header.csv");

        Assert.False(file.HasHeader);
        Assert.Equal(["Column 1", "Column 2"], file.Columns);
        Assert.Equal(2, file.Rows.Count);
        Assert.Equal(new ContactColumnMapping(0, null), ContactCsvImport.ProposeMapping(file));
    }

    [Theory]
    [InlineData("empty.csv", "empty")]
    [InlineData("latin1.csv", "not UTF-8")]
    [InlineData("utf16.csv", "UTF-16")]
    [InlineData("spreadsheet.xlsx", "not a CSV file")]
    [InlineData("unclosed-quote.csv", "line 2")]
    public void Read_ShouldSayWhy_WhenTheFileHasAStructuralError(string name, string expected)
    {
        var result = ReadFixture(name);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckMapping_ShouldAskForTheAddressColumn_WhenNoColumnHoldsAddresses()
    {
        var file = ReadGood("no-email-column.csv");

        var mapping = ContactCsvImport.ProposeMapping(file);

        Assert.Null(mapping.EmailColumn);
        Assert.Contains("e-mail addresses", ContactCsvImport.CheckMapping(file, mapping), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShouldRefuse_WhenTheFileIsLargerThanTheLimit()
    {
        var result = ContactCsvImport.Read(new byte[ContactCsvImport.MaxFileBytes + 1]);

        Assert.False(result.Succeeded);
        Assert.Contains("20 MB", result.Error, StringComparison.Ordinal);
    }
}
