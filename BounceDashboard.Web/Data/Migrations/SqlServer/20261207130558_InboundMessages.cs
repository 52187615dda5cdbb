using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BounceDashboard.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InboundMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "InboundMessageId",
                table: "BounceEvents",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Source = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    SourceKey = table.Column<string>(type: "nvarchar(800)", maxLength: 800, nullable: false),
                    ContentHash = table.Column<string>(type: "char(64)", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    Size = table.Column<int>(type: "int", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Outcome = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    Format = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Error = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    RawContent = table.Column<byte[]>(type: "varbinary(max)", nullable: true),
                    RawContentDroppedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClassifiedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EngineVersion = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MailboxWatermarks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    MailboxName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    UidValidity = table.Column<long>(type: "bigint", nullable: true),
                    LastUid = table.Column<long>(type: "bigint", nullable: false),
                    LastSuccessAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    LastErrorAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailboxWatermarks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BounceEvents_InboundMessageId",
                table: "BounceEvents",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_ContentHash",
                table: "InboundMessages",
                column: "ContentHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_EngineVersion",
                table: "InboundMessages",
                column: "EngineVersion");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Outcome_ReceivedAt",
                table: "InboundMessages",
                columns: new[] { "Outcome", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_RawKept_ReceivedAt",
                table: "InboundMessages",
                column: "ReceivedAt",
                filter: "[RawContentDroppedAt] IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Source_SourceKey",
                table: "InboundMessages",
                columns: new[] { "Source", "SourceKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailboxWatermarks_MailboxName",
                table: "MailboxWatermarks",
                column: "MailboxName",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_BounceEvents_InboundMessages_InboundMessageId",
                table: "BounceEvents",
                column: "InboundMessageId",
                principalTable: "InboundMessages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_BounceEvents_InboundMessages_InboundMessageId",
                table: "BounceEvents");

            migrationBuilder.DropTable(
                name: "InboundMessages");

            migrationBuilder.DropTable(
                name: "MailboxWatermarks");

            migrationBuilder.DropIndex(
                name: "IX_BounceEvents_InboundMessageId",
                table: "BounceEvents");

            migrationBuilder.DropColumn(
                name: "InboundMessageId",
                table: "BounceEvents");
        }
    }
}
