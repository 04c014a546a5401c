using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class WatchlistHitAcknowledgement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "acknowledged_at",
                table: "watchlist_hits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "acknowledged_by",
                table: "watchlist_hits",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "acknowledgement_note",
                table: "watchlist_hits",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_watchlist_hits_open",
                table: "watchlist_hits",
                columns: new[] { "commune_code", "at" },
                filter: "acknowledged_at is null");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_watchlist_hits_open",
                table: "watchlist_hits");

            migrationBuilder.DropColumn(
                name: "acknowledged_at",
                table: "watchlist_hits");

            migrationBuilder.DropColumn(
                name: "acknowledged_by",
                table: "watchlist_hits");

            migrationBuilder.DropColumn(
                name: "acknowledgement_note",
                table: "watchlist_hits");
        }
    }
}
