using System.Security.Cryptography;
using System.Text;

namespace Smart.Host.Auth;

/// <summary>
/// People's password hashes: PBKDF2-HMAC-SHA256 with a 16-byte random salt, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64). 600 000 iterations is OWASP's 2023 figure for this PRF; the
/// count is in the hash, so raising it later keeps old hashes valid.
/// </summary>
public static class PasswordHasher
{
    public const int Iterations = 600_000;
    public const int MinimumLength = 10;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16, HashBytes = 32;

    /// <summary>A hash of a fresh random salt and <paramref name="password"/>.</summary>
    public static string Hash(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches; false for a wrong password or a hash in another format.</summary>
    public static bool Verify(string password, string hash)
    {
        var parts = hash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        byte[] salt, expected;
        try { (salt, expected) = (Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3])); }
        catch (FormatException) { return false; }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Why a new password is not acceptable (zh-CN / English), or null when it is.</summary>
    public static string? Weakness(string? password) =>
        password is null || password.Length < MinimumLength ? $"password must have at least {MinimumLength} characters / 密码至少 {MinimumLength} 位" : null;

    /// <summary>A random password for a first sign-in (20 characters, no look-alikes).</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (span, _) => { for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]; });
    }
}
