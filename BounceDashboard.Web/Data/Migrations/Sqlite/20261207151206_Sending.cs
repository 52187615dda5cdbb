using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
