using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.SqlServer
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
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "MailboxWatermarks",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "MailboxWatermarks",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseUntil",
                table: "MailboxWatermarks",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MessagesLastPoll",
                table: "MailboxWatermarks",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "MessagesTotal",
                table: "MailboxWatermarks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextPollAt",
                table: "MailboxWatermarks",
                type: "datetimeoffset",
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
