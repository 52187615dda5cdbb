using System.Data.Common;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace BounceDashboard.Web.Hosting;

/// <summary>Where a configuration key gets its value: the settings page says so for every value it shows.</summary>
public interface IConfigurationOrigins
{
    /// <summary>The source that sets <paramref name="key"/> (the last one wins), e.g. "appsettings.json"; null when nothing does (the default applies).</summary>
    string? SourceOf(string key);

    /// <summary>The connection string of that name with every secret part (password, key, token) left out; null when not set.</summary>
    string? RedactedConnectionString(string name);
}

/// <summary>Reads the configuration's providers (the one place outside option binding that looks at raw keys).</summary>
public sealed class ConfigurationOrigins(IConfiguration configuration) : IConfigurationOrigins
{
    private static readonly string[] SecretParts = ["password", "pwd", "key", "secret", "token", "accesstoken", "account key"];

    public string? SourceOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (configuration is not IConfigurationRoot root)
        {
            return configuration[key] is null ? null : "configuration";
        }

        return SourceIn(root.Providers, key);
    }

    public string? RedactedConnectionString(string name)
    {
        var value = configuration.GetConnectionString(name);
        return value is null ? null : Redact(value);
    }

    /// <summary>The connection string without the values of its secret keywords.</summary>
    public static string Redact(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Not a keyword=value string: show nothing of it rather than risk a secret.
            return "(set, not shown: it could not be read)";
        }

        var kept = new DbConnectionStringBuilder();
        foreach (string keyword in builder.Keys)
        {
            var secret = SecretParts.Any(part => keyword.Replace(" ", string.Empty, StringComparison.Ordinal)
                .Contains(part.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
            kept[keyword] = secret ? "(hidden)" : builder[keyword];
        }

        return kept.ConnectionString;
    }

    private static string? SourceIn(IEnumerable<IConfigurationProvider> providers, string key)
    {
        foreach (var provider in providers.Reverse())
        {
            if (provider is ChainedConfigurationProvider chained && chained.Configuration is IConfigurationRoot inner)
            {
                if (SourceIn(inner.Providers, key) is { } source)
                {
                    return source;
                }

                continue;
            }

            if (provider.TryGet(key, out _))
            {
                return Describe(provider);
            }
        }

        return null;
    }

    private static string Describe(IConfigurationProvider provider) => provider switch
    {
        FileConfigurationProvider file => file.Source.Path ?? "a configuration file",
        EnvironmentVariablesConfigurationProvider => "environment variables",
        CommandLineConfigurationProvider => "command line",
        MemoryConfigurationProvider => "host settings",
        _ => provider.GetType().Name,
    };
}
