using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public class RedactorTests
{
    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com/services/***")]
    [InlineData("https://discord.com/api/webhooks/123456/tokenSECRET", "https://discord.com/api/webhooks/***")]
    [InlineData("https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRETSIG", "https://prod-01.westus.logic.azure.com/***?api-version=***&sig=***")]
    [InlineData("https://alerts.example.com/hook?token=SECRET", "https://alerts.example.com/hook?token=***")]
    [InlineData("http://127.0.0.1:5000/hooks/ops", "http://127.0.0.1:5000/hooks/ops")]
    public void SecretPartsOfUrlsAreHidden(string url, string expected)
    {
        Assert.Equal(expected, Redactor.RedactUrl(url));
        Assert.DoesNotContain("SECRET", Redactor.RedactUrl(url));
    }

    [Fact]
    public void ScrubReplacesEverySecretOccurrence()
    {
        Assert.Equal("auth *** and *** again", Redactor.Scrub("auth s3cr3t-value and s3cr3t-value again", new[] { "s3cr3t-value" }));
    }
}
