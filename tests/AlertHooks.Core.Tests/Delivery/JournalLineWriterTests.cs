using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using AlertHooks.Delivery;
using Xunit;

namespace AlertHooks.Tests.Delivery;

public class JournalLineWriterTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("")]
    [InlineData("quote \" backslash \\ slash / plus + angle <b> amp & apostrophe '")]
    [InlineData("{\"text\":\"Job \\\"nightly\\\" failed\\n\"}")]
    [InlineData("é ü ß — “quoted” 中文 日本語 \u2028 \u2029 \u007f")]
    [InlineData("emoji \U0001F525 and \U0001F6A8 pairs")]
    public void StringsReadBackAsWritten(string text)
    {
        Assert.Equal(text, ReadBack(text));
    }

    [Fact]
    public void EveryControlCharacterIsEscapedAndReadsBack()
    {
        var text = new string(Enumerable.Range(0, 0x20).Select(c => (char)c).ToArray()) + "end";
        var json = Line(w => w.String("value", text));

        Assert.DoesNotContain(json, c => c < 0x20);
        Assert.Contains("\\n", json);
        Assert.Contains("\\u001f", json);
        Assert.Equal(text, ReadBack(text));
    }

    [Theory]
    [InlineData("lone high \ud800 here")]
    [InlineData("lone low \udc00 here")]
    [InlineData("reversed pair \udc00\ud800")]
    [InlineData("ends high \ud83d")]
    public void LoneSurrogatesBecomeTheReplacementCharacterAsOnTheWire(string text)
    {
        var wire = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

        Assert.Equal(wire, ReadBack(text));
    }

    [Fact]
    public void TimesAreTheRoundTripFormat()
    {
        var random = new Random(20261204);
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromHours(14), TimeSpan.FromHours(-12), new TimeSpan(5, 45, 0), new TimeSpan(-9, -30, 0) };
        var times = new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 12, 4, 4, 10, 43, TimeSpan.Zero).AddTicks(3740741) }
            .Concat(Enumerable.Range(0, 500).Select(i => new DateTimeOffset(
                new DateTime(2000, 1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.FromDays(365 * 60).Ticks)), offsets[i % offsets.Length])));

        foreach (var time in times)
        {
            using var document = JsonDocument.Parse(Line(w => w.Time("at", time)));
            var text = document.RootElement.GetProperty("at").GetString();

            Assert.Equal(time.ToString("o", CultureInfo.InvariantCulture), text);
            Assert.Equal(time, DateTimeOffset.ParseExact(text!, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-1L)]
    [InlineData(1234567890L)]
    [InlineData(int.MinValue)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void NumbersAreWrittenInFull(long value)
    {
        Assert.Equal($"{{\"n\":{value.ToString(CultureInfo.InvariantCulture)}}}", Line(w => w.Number("n", value)));
    }

    [Fact]
    public void NestedObjectsAndArraysAreSeparatedAndNullsWritten()
    {
        var json = Line(w =>
        {
            w.String("a", "1");
            w.StartObject("inner");
            w.StartObject("empty");
            w.EndObject();
            w.NumberOrNull("none", null);
            w.NumberOrNull("some", 404);
            w.EndObject();
            w.StartArray("list");
            w.StringValue("x");
            w.StartObject();
            w.Boolean("yes", true);
            w.Time("never", null);
            w.EndObject();
            w.StringValue("y");
            w.EndArray();
            w.String("missing", null);
        });

        Assert.Equal("{\"a\":\"1\",\"inner\":{\"empty\":{},\"none\":null,\"some\":404},\"list\":[\"x\",{\"yes\":true,\"never\":null},\"y\"],\"missing\":null}", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(3, document.RootElement.GetProperty("list").GetArrayLength());
    }

    [Fact]
    public void AThreadReusesItsBufferAndALongLineGrowsIt()
    {
        var body = new string('x', 100_000) + "\"\u00e9";
        var first = Line(w => w.String("body", body));
        var second = Line(w => w.String("short", "s"));

        Assert.Equal(body, JsonDocument.Parse(first).RootElement.GetProperty("body").GetString());
        Assert.Equal("{\"short\":\"s\"}", second);
    }

    [Fact]
    public void EnumNamesAreTheirOwn()
    {
        foreach (DeliveryStatus status in Enum.GetValues(typeof(DeliveryStatus)))
        {
            Assert.Equal(status.ToString(), JournalNames.Of(status));
        }

        foreach (AlertEventType type in Enum.GetValues(typeof(AlertEventType)))
        {
            Assert.Equal(type.ToString(), JournalNames.Of(type));
        }

        foreach (TargetKind target in Enum.GetValues(typeof(TargetKind)))
        {
            Assert.Equal(target.ToString(), JournalNames.Of(target));
        }
    }

    private static string ReadBack(string text)
    {
        using var document = JsonDocument.Parse(Line(w => w.String("value", text)));
        return document.RootElement.GetProperty("value").GetString()!;
    }

    private static string Line(Action<JournalLineWriter> write)
    {
        var writer = JournalLineWriter.Start();
        writer.StartObject();
        write(writer);
        writer.EndObject();
        return Encoding.UTF8.GetString(writer.ToArray());
    }
}
