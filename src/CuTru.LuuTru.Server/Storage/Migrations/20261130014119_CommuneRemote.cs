using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CommuneRemote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "remote",
                table: "communes",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "remote",
                table: "communes");
        }
    }
}
