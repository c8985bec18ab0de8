using System.Net;
using System.Text;
using Xunit;

namespace AlertHooks.Tests.Receiver;

public class AlertReceiverTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task RecordsMethodPathHeadersAndBody()
    {
        using var receiver = new AlertReceiver();
        using var content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url + "x/y?z=1") { Content = content };
        request.Headers.Add("X-Test", "yes");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/x/y?z=1", received.Path);
        Assert.Equal("yes", received.Headers["x-test"]);
        Assert.Equal("{\"a\":1}", received.Body);
        Assert.Equal(200, received.ResponseStatus);
    }

    [Fact]
    public async Task AnswersWithTheScriptThenTheDefault()
    {
        using var receiver = new AlertReceiver(responses: new[] { "429:Retry-After=2", "500" }.Select(ReceiverResponse.Parse));

        var statuses = new List<int>();
        string? retryAfter = null;
        for (var i = 0; i < 3; i++)
        {
            using var response = await Http.PostAsync(receiver.Url, new StringContent("{}"));
            statuses.Add((int)response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString();
        }

        Assert.Equal(new[] { 429, 500, 200 }, statuses);
        Assert.Equal("2", retryAfter);
        Assert.Equal(3, receiver.RequestCount);
    }

    [Fact]
    public async Task ChunkedBodiesAreReassembled()
    {
        using var receiver = new AlertReceiver();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("chunked body")));
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Http.SendAsync(request);

        Assert.Equal("chunked body", Assert.Single(receiver.Requests).Body);
    }

    [Fact]
    public void ListensOnLoopbackOnly()
    {
        using var receiver = new AlertReceiver();

        Assert.StartsWith("http://127.0.0.1:", receiver.Url);
        Assert.True(receiver.Port > 0);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("42")]
    public void RejectsResponsesItCannotRead(string text)
    {
        Assert.Throws<FormatException>(() => ReceiverResponse.Parse(text));
    }
}
