using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ReportContentText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Reports are stored as text (a night's registers are written in one COPY; jsonb parsing cost more than the
            // rest of the build), compressed with lz4; the totals get their own small column for the province roll-up.
            migrationBuilder.Sql("alter table commune_reports alter column content type text using content::text");
            migrationBuilder.Sql("alter table commune_reports alter column content set compression lz4");
            migrationBuilder.AddColumn<string>(
                name: "totals",
                table: "commune_reports",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");
            migrationBuilder.Sql("update commune_reports set totals = content::jsonb -> 'totals'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "totals",
                table: "commune_reports");

            migrationBuilder.Sql("alter table commune_reports alter column content type jsonb using content::jsonb");
        }
    }
}
