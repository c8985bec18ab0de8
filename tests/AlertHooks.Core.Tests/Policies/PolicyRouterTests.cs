using AlertHooks.Policies;
using Xunit;

namespace AlertHooks.Tests.Policies;

public class PolicyRouterTests
{
    private static AlertEvent Failure(string job) =>
        new(AlertEventType.JobFailure, new Dictionary<string, object?> { ["job_name"] = job });

    [Fact]
    public void AnEventGoesToEveryEnabledPolicyOfItsTypeWhoseMatchesAllHold()
    {
        var all = PolicyTestFolder.Policy("all");
        var daily = PolicyTestFolder.Policy("daily");
        daily.Match["job_name"] = "DAILY_*";
        var dailyProd = PolicyTestFolder.Policy("daily-prod");
        dailyProd.Match["job_name"] = "daily_*";
        dailyProd.Match["deployment_name"] = "prod";
        var disabled = PolicyTestFolder.Policy("off");
        disabled.Enabled = false;
        var success = PolicyTestFolder.Policy("success", types: AlertEventType.JobSuccess);
        var policies = new[] { all, daily, dailyProd, disabled, success };

        Assert.Equal(new[] { "all", "daily" }, PolicyRouter.Route(Failure("daily_etl"), policies).Select(p => p.Name));
        Assert.Equal(new[] { "all" }, PolicyRouter.Route(Failure("hourly"), policies).Select(p => p.Name));
        Assert.Equal(new[] { "all", "daily", "daily-prod" },
            PolicyRouter.Route(Failure("daily_etl"), policies, new Configuration { DeploymentName = "prod" }).Select(p => p.Name));
        Assert.Empty(PolicyRouter.Route(new AlertEvent(AlertEventType.AgentDowntime), policies));
    }

    [Theory]
    [InlineData("daily_etl", "daily_*", true)]
    [InlineData("daily_etl", "*ETL", true)]
    [InlineData("daily_etl", "daily_et?", true)]
    [InlineData("daily_etl", "[cd]aily_etl", true)]
    [InlineData("daily_etl", "daily", false)]
    [InlineData("a*b", "a`*b", true)]
    [InlineData("axb", "a`*b", false)]
    [InlineData("", "*", true)]
    public void WildcardsMatchWholeValuesIgnoringCase(string value, string pattern, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(value, pattern));
}
