using BounceDashboard.Web.Imports;
using Xunit;

namespace BounceDashboard.Tests.Imports;

public sealed class SuppressionCsvImportTests
{
    private static ContactCsvFile File(string text) => ContactCsvImport.Read(text).File!;

    [Fact]
    public void ProposeMapping_ShouldFindTheAddressAndReasonColumns_WhenTheHeaderNamesThem()
    {
        var file = File("Name,E-mail,Reason\nJane,jane@example.com,Bounced at the old ESP\n");

        Assert.Equal(new SuppressionColumnMapping(1, 2), SuppressionCsvImport.ProposeMapping(file));
    }

    [Fact]
    public void ProposeMapping_ShouldProposeNoReasonColumn_WhenTheFileHasOnlyAddresses()
    {
        var file = File("jane@example.com\njoe@example.com\n");

        Assert.Equal(new SuppressionColumnMapping(0, null), SuppressionCsvImport.ProposeMapping(file));
    }

    [Fact]
    public void CheckMapping_ShouldAskForAReasonForTheFile_WhenThereIsNoReasonColumn()
    {
        var file = File("email\njane@example.com\n");

        Assert.Contains("Type a reason", SuppressionCsvImport.CheckMapping(file, new SuppressionColumnMapping(0, null), " "), StringComparison.Ordinal);
        Assert.Null(SuppressionCsvImport.CheckMapping(file, new SuppressionColumnMapping(0, null), "Old ESP list"));
    }

    [Fact]
    public void Check_ShouldTakeTheRowsReasonElseTheFilesAndFlagRowsWithNeither_WhenReasonsAreMixed()
    {
        var file = File("email,reason\njane@example.com,Complained by phone\njoe@example.com,\n");

        var withFileReason = SuppressionCsvImport.Check(file, new SuppressionColumnMapping(0, 1), "Old ESP list");
        var withoutFileReason = SuppressionCsvImport.Check(file, new SuppressionColumnMapping(0, 1), null);

        Assert.Equal(["Complained by phone", "Old ESP list"], withFileReason.Select(r => r.Reason));
        Assert.All(withFileReason, r => Assert.Equal(SuppressionImportOutcome.Suppress, r.Outcome));
        Assert.Equal(SuppressionImportOutcome.NoReason, withoutFileReason[1].Outcome);
    }

    [Fact]
    public void Check_ShouldFlagInvalidAndDuplicateRows_WithTheirLines()
    {
        var file = File("email\njane@example.com\nnot an address\nJANE@example.com\n");

        var rows = SuppressionCsvImport.Check(file, new SuppressionColumnMapping(0, null), "Old ESP list");

        Assert.Equal(
            [(2, SuppressionImportOutcome.Suppress), (3, SuppressionImportOutcome.InvalidAddress), (4, SuppressionImportOutcome.DuplicateInFile)],
            rows.Select(r => (r.Line, r.Outcome)));
    }
}
