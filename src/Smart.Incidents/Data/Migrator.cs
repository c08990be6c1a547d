using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Smart.Incidents.Data;

/// <summary>
/// Applies the embedded <c>Migrations/{dialect}/NNNN_name.sql</c> scripts in version order, each in a transaction
/// with its <c>schema_migrations</c> row, so a restart (or a second host) applies nothing twice.
/// </summary>
internal static class Migrator
{
    public sealed record Script(long Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $".Migrations.{dialect}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[(n.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..^4]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    private static Script Load(Assembly assembly, string resource, string name)
    {
        var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0) throw new InvalidOperationException($"Migration '{resource}' must start with its version number (0001_…).");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Script(long.Parse(digits), name, reader.ReadToEnd());
    }

    /// <summary>Applies what is missing; returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<long>> MigrateAsync(SqlDialect dialect, CancellationToken ct)
    {
        await using var connection = await dialect.OpenAsync(ct).ConfigureAwait(false);
        await dialect.PrepareAsync(connection).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)").ConfigureAwait(false);
        List<long> applied = [];
        foreach (var script in Scripts(dialect.Name))
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await dialect.LockMigrationsAsync(connection, tx).ConfigureAwait(false);
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", new { v = script.Version }, tx).ConfigureAwait(false);
            if (done > 0) continue;
            try
            {
                await connection.ExecuteAsync(script.Sql, transaction: tx).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                throw new InvalidOperationException($"Migration {dialect.Name}/{script.Name} failed: {e.Message}", e);
            }
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)",
                new { v = script.Version, n = script.Name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            applied.Add(script.Version);
        }
        return applied;
    }
}
