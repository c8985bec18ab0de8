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
    public async Task ARequestThatArrivesInPiecesIsReadWhole()
    {
        using var receiver = new AlertReceiver();
        var longValue = new string('v', 20_000);
        var raw = Encoding.UTF8.GetBytes(
            "POST /split/path HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + longValue + "\r\nX-Unicode: caf\u00e9 \u2603\r\n"
            + "Content-Length: 7\r\n\r\n{\"a\":1}"
            + "POST /second HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}");
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, receiver.Port);
        var stream = client.GetStream();
        // Pieces that cut a line, the CR of the first line from its LF, a two-byte UTF-8 character in two, and a header
        // line longer than the reader's buffer.
        var firstCr = Array.IndexOf(raw, (byte)'\r');
        var accent = Array.IndexOf(raw, (byte)0xC3);
        var cuts = new[] { 3, firstCr + 1, 5_000, 18_000, accent + 1, raw.Length }.Order().Distinct().ToArray();
        var start = 0;
        foreach (var cut in cuts)
        {
            await stream.WriteAsync(raw.AsMemory(start, cut - start));
            await stream.FlushAsync();
            await Task.Delay(20);
            start = cut;
        }

        Assert.True(receiver.WaitForRequests(2, TimeSpan.FromSeconds(10)));
        var first = receiver.Requests[0];
        Assert.Equal("/split/path", first.Path);
        Assert.Equal(longValue, first.Headers["X-Long"]);
        Assert.Equal("caf\u00e9 \u2603", first.Headers["X-Unicode"]);
        Assert.Equal("{\"a\":1}", first.Body);
        Assert.Equal("/second", receiver.Requests[1].Path);
        Assert.Equal("{}", receiver.Requests[1].Body);
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
