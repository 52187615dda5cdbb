using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PollerHealth : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
