using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class FoldedKeysNfc : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Folded search keys are composed again (Text.Fold now ends in NFC): keys stored before, of names in scripts that
            // compose without marks (Hangul), are brought to the form a query is folded into.
            migrationBuilder.Sql("update notification_guests set name_key = normalize(name_key, NFC) where name_key is not nfc normalized;");
            migrationBuilder.Sql("update establishments set search_key = normalize(search_key, NFC) where search_key is not nfc normalized;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
