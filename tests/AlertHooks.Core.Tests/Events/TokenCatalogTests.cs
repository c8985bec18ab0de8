using Xunit;

namespace AlertHooks.Tests.Events;

public class TokenCatalogTests
{
    [Fact]
    public void EveryTokenOfTheReferencePageIsInTheCatalog()
    {
        var page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "dagster-plus-webhooks.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(page, @"`\{\{(\w+)\}\}`").Select(m => m.Groups[1].Value).Distinct();

        Assert.All(documented, token => Assert.True(TokenCatalog.IsKnown(token), token));
    }

    [Theory]
    [InlineData(AlertEventType.JobFailure, "JOB")]
    [InlineData(AlertEventType.AssetCheckFailure, "ASSET_MATERIALIZATION")]
    [InlineData(AlertEventType.AssetHealth, "ASSET_HEALTH")]
    [InlineData(AlertEventType.AssetFreshness, "ASSET_FRESHNESS")]
    [InlineData(AlertEventType.TableSchemaChange, "TABLE_SCHEMA")]
    [InlineData(AlertEventType.CodeLocationLoadFailure, "CODE_LOCATION")]
    [InlineData(AlertEventType.SensorTickFailure, "TICK")]
    [InlineData(AlertEventType.AgentDowntime, "AGENT")]
    [InlineData(AlertEventType.InsightsThreshold, "INSIGHTS")]
    public void NotificationTypesMatchThePlatform(AlertEventType type, string expected)
    {
        Assert.Equal(expected, TokenCatalog.NotificationType(type));
    }

    [Fact]
    public void ScopesFollowTheDesign()
    {
        Assert.True(TokenCatalog.IsAvailable("run_link", AlertEventType.AssetMaterializationFailure));
        Assert.False(TokenCatalog.IsAvailable("run_link", AlertEventType.AssetHealth));
        Assert.True(TokenCatalog.IsAvailable("failure_message", AlertEventType.CodeLocationLoadFailure));
        Assert.True(TokenCatalog.IsAvailable("freshness_status", AlertEventType.AssetHealth));
        Assert.False(TokenCatalog.IsAvailable("health_status", AlertEventType.AssetFreshness));
        Assert.True(TokenCatalog.IsAvailable("alert_summary", AlertEventType.AgentDowntime));
    }

    [Theory]
    [InlineData(AlertEventType.JobFailure, "Job daily_etl failed")]
    [InlineData(AlertEventType.AssetHealth, "Asset orders is DEGRADED")]
    [InlineData(AlertEventType.SensorTickFailure, "Sensor new_files_sensor tick failed")]
    public void SummariesAreComputedFromTheEvent(AlertEventType type, string expected)
    {
        Assert.Equal(expected, SampleEvents.Create(type).Summary);
    }

    [Fact]
    public void UnknownTokensAreRefusedByName()
    {
        var error = Assert.Throws<UnknownTokenException>(() => new AlertEvent(AlertEventType.JobFailure, new Dictionary<string, object?> { ["job_nam"] = "x" }));

        Assert.Equal("job_nam", error.Token);
    }
}
