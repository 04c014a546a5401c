using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class KbttFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<short>(
                name: "reason_code",
                table: "notifications",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "residence_commune_code",
                table: "notification_guests",
                type: "character varying(5)",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "residence_kind",
                table: "notification_guests",
                type: "character varying(12)",
                maxLength: 12,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reason_code",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "residence_commune_code",
                table: "notification_guests");

            migrationBuilder.DropColumn(
                name: "residence_kind",
                table: "notification_guests");
        }
    }
}
