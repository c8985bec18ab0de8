using AlertHooks.Tests.Policies;
using Xunit;

namespace AlertHooks.Tests.Config;

public class ConfigurationTests : IDisposable
{
    private readonly PolicyTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SavedValuesLoadBackAndFeedRendering()
    {
        var configuration = AlertHooks.Configuration.LoadFrom(_folder.Path);
        Assert.Equal(_folder.Path, configuration.HomePath);
        configuration.DeploymentName = "prod";
        configuration.DeploymentUrl = "https://dagster.example/prod";
        configuration.MaxAttempts = 6;
        configuration.HomePath = _folder.Combine("elsewhere");
        configuration.Save();

        var loaded = AlertHooks.Configuration.LoadFrom(_folder.Path);

        Assert.Equal(_folder.Combine("elsewhere"), loaded.HomePath);
        Assert.Equal(_folder.Combine("elsewhere", "policies"), loaded.PolicyStorePath);
        Assert.Equal(_folder.Combine("config.json"), loaded.ConfigurationPath);
        Assert.Equal(6, loaded.MaxAttempts);
        Assert.Equal("prod", loaded.ToRenderSettings().DeploymentName);
        Assert.Equal("https://dagster.example/prod", loaded.ToRenderSettings().DeploymentUrl);
        Assert.EndsWith("}\n", File.ReadAllText(loaded.ConfigurationPath));
    }

    [Fact]
    public void ABrokenFileIsAnErrorNamingIt()
    {
        File.WriteAllText(_folder.Combine("config.json"), "{ \"maxAttempts\": ");

        var error = Assert.Throws<InvalidDataException>(() => AlertHooks.Configuration.LoadFrom(_folder.Path));

        Assert.Contains(_folder.Combine("config.json"), error.Message);
    }

    [Fact]
    public void OutOfRangeValuesAreRefusedByName()
    {
        var configuration = new AlertHooks.Configuration { AttemptTimeoutSec = 20, TotalTimeoutSec = 5 };

        Assert.Contains("TotalTimeoutSec", Assert.Throws<ArgumentException>(configuration.Validate).Message);
    }
}
