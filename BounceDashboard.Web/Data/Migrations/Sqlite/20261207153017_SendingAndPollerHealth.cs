using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SendingAndPollerHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Backlog",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "MailboxWatermarks",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MessagesLastPoll",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "MessagesTotal",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "NextPollAt",
                table: "MailboxWatermarks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeliveriesQueuedAt",
                table: "Campaigns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FromName",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "Campaigns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PauseReason",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PausedAt",
                table: "Campaigns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PausedAutomatically",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "TextBody",
                table: "Campaigns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_CampaignId_NextAttemptAt",
                table: "Deliveries",
                columns: new[] { "CampaignId", "NextAttemptAt" },
                filter: "[NextAttemptAt] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_CampaignId_NextAttemptAt",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "Backlog",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "ConsecutiveFailures",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "MessagesLastPoll",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "MessagesTotal",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "NextPollAt",
                table: "MailboxWatermarks");

            migrationBuilder.DropColumn(
                name: "DeliveriesQueuedAt",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "FromName",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "HtmlBody",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "PauseReason",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "PausedAutomatically",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "TextBody",
                table: "Campaigns");
        }
    }
}
