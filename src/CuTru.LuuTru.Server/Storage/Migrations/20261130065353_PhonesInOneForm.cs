using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CuTru.LuuTru.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PhonesInOneForm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Phones are kept in one form (Infrastructure/Phone.cs): a Vietnamese number as its national digits. Numbers
            // stored the international way before are brought to it, so a lookup with either form finds them.
            foreach (var (table, column) in new[] { ("notifications", "host_phone"), ("notification_guests", "phone"), ("establishments", "phone") })
                migrationBuilder.Sql($"update {table} set {column} = '0' || substr({column}, 4) where {column} like '+84%' and length({column}) between 12 and 13;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
