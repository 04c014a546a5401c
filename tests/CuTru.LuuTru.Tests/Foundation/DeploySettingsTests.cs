using System.Reflection;
using System.Text.RegularExpressions;
using CuTru.LuuTru.Tests.Infrastructure;

namespace CuTru.LuuTru.Tests.Foundation;

/// <summary>The deployment files (deploy/k8s, deploy/compose.yaml) name only settings the server has: each
/// <c>LuuTru__Section__Name</c> is a property of the options class of that section (or LuuTru:Roles), so a renamed
/// setting cannot leave a deployment silently on its default. No secret's value is written in deploy/k8s.</summary>
public sealed class DeploySettingsTests
{
    /// <summary>Every options class with its section: LuuTru:Section:Name for each public settable property.</summary>
    private static HashSet<string> ServerSettings()
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "LuuTru:Roles" };
        foreach (var type in typeof(CuTru.LuuTru.Server.Infrastructure.AuthOptions).Assembly.GetTypes())
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section && section.StartsWith("LuuTru:", StringComparison.Ordinal))
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                    known.Add($"{section}:{property.Name}");
        Assert.Contains("LuuTru:Database:ConnectionString", known);
        return known;
    }

    /// <summary>Every setting in one table, as operators read it: the README's Settings has a row for each setting
    /// the server reads, so a new one cannot ship undocumented.</summary>
    [Fact]
    public void Every_setting_the_server_reads_has_a_row_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md"));
        var missing = ServerSettings().Where(s => !readme.Contains($"| `{s}` |", StringComparison.Ordinal)).Order().ToList();
        Assert.True(missing.Count == 0, "settings without a row in the README's Settings table: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_setting_a_deployment_file_names_is_one_the_server_reads()
    {
        var known = ServerSettings();

        var root = TestEnvironment.RepositoryRoot;
        var files = Directory.GetFiles(Path.Combine(root, "deploy", "k8s"), "*.*").Append(Path.Combine(root, "deploy", "compose.yaml")).ToList();
        var named = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"LuuTru__[A-Za-z0-9_]+").Select(m => (File: Path.GetFileName(f), Name: m.Value)))
            .Distinct().ToList();
        Assert.True(named.Count >= 8, "the deployment files should name their settings");
        // LuuTru__Section__Name__0 (an array's element) → LuuTru:Section:Name.
        var unknown = named.Where(n => !known.Contains(Regex.Replace(n.Name.Replace("__", ":"), @":\d+$", ""))).Select(n => $"{n.File}: {n.Name}").ToList();
        Assert.True(unknown.Count == 0, "settings the server does not have: " + string.Join(", ", unknown));

        // Secrets are referenced, never written in the Kubernetes files.
        foreach (var file in Directory.GetFiles(Path.Combine(root, "deploy", "k8s"), "*.yaml"))
            Assert.DoesNotContain("kind: Secret", File.ReadAllText(file));
    }
}
