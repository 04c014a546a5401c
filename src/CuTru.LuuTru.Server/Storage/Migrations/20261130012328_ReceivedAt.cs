using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ReceivedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_arrival_at",
                table: "notifications");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "received_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "received_by",
                table: "notifications",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            // Everything stored so far was received when the hub accepted it.
            migrationBuilder.Sql("update notifications set received_at = accepted_at; alter table notifications alter column received_at drop default;");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_commune_code_received_at",
                table: "notifications",
                columns: new[] { "commune_code", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_received_at",
                table: "notifications",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_commune_code_received_at",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_received_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "received_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "received_by",
                table: "notifications");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_arrival_at",
                table: "notifications",
                column: "arrival_at");
        }
    }
}
