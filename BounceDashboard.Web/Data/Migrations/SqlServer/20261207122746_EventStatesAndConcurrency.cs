using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EventStatesAndConcurrency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_Unmatched_ReceivedAt",
                table: "BounceEvents");

            migrationBuilder.AddColumn<string>(
                name: "IdempotencyKey",
                table: "TrackingEvents",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<byte[]>(
                name: "RowVersion",
                table: "Deliveries",
                type: "rowversion",
                rowVersion: true,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "RowVersion",
                table: "Contacts",
                type: "rowversion",
                rowVersion: true,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeliveryAttemptId",
                table: "BounceEvents",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecipientDomain",
                table: "BounceEvents",
                type: "nvarchar(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "BounceEvents",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            // Rows written before this migration: an unmatched event was marked applied at once. One that changed nothing
            // now waits for a match, unapplied; one that did act (an unmatched complaint suppressed its address under the
            // old rule) stays applied, so its suppression entry keeps its cause and a later match cannot apply it twice.
            // The domain is read from the stored recipient, and earlier opens and clicks get unique keys.
            migrationBuilder.Sql(
                "UPDATE [BounceEvents] SET [State] = CASE "
                + "WHEN [DeliveryId] IS NULL AND ([Effect] IS NULL OR [Effect] = 'None') THEN 'AwaitingMatch' "
                + "WHEN [AppliedAt] IS NULL THEN 'Pending' ELSE 'Applied' END;");
            migrationBuilder.Sql(
                "UPDATE [BounceEvents] SET [AppliedAt] = NULL, [Effect] = NULL WHERE [State] = 'AwaitingMatch';");
            migrationBuilder.Sql(
                "UPDATE [BounceEvents] SET [RecipientDomain] = LOWER(SUBSTRING([Recipient], CHARINDEX('@', [Recipient]) + 1, 253)) WHERE CHARINDEX('@', [Recipient]) > 0;");
            migrationBuilder.Sql(
                "UPDATE [TrackingEvents] SET [IdempotencyKey] = CONCAT('legacy:', [Id]);");

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_IdempotencyKey",
                table: "TrackingEvents",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_AwaitingMatch_ReceivedAt",
                table: "BounceEvents",
                column: "ReceivedAt",
                filter: "[State] = 'AwaitingMatch'");

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_CampaignId_RecipientDomain",
                table: "BounceEvents",
                columns: new[] { "CampaignId", "RecipientDomain" });

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_DeliveryAttemptId",
                table: "BounceEvents",
                column: "DeliveryAttemptId");

            migrationBuilder.AddForeignKey(
                name: "FK_BounceEvents_DeliveryAttempts_DeliveryAttemptId",
                table: "BounceEvents",
                column: "DeliveryAttemptId",
                principalTable: "DeliveryAttempts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BounceEvents_DeliveryAttempts_DeliveryAttemptId",
                table: "BounceEvents");

            migrationBuilder.DropIndex(
                name: "IX_TrackingEvents_IdempotencyKey",
                table: "TrackingEvents");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_AwaitingMatch_ReceivedAt",
                table: "BounceEvents");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_CampaignId_RecipientDomain",
                table: "BounceEvents");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_DeliveryAttemptId",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "IdempotencyKey",
                table: "TrackingEvents");

            migrationBuilder.DropColumn(
                name: "RowVersion",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "RowVersion",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "DeliveryAttemptId",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "RecipientDomain",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "State",
                table: "BounceEvents");

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_Unmatched_ReceivedAt",
                table: "BounceEvents",
                column: "ReceivedAt",
                filter: "[DeliveryId] IS NULL");
        }
    }
}
