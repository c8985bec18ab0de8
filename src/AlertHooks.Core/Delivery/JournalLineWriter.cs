using System;

namespace AlertHooks.Delivery
{
    /// <summary>
    /// Writes one journal line of JSON as UTF-8 into a buffer that its thread reuses. A bulk send writes two lines per
    /// alert, and with <c>Utf8JsonWriter</c> they cost a fifth of a fresh process's second batch: its escaping runs
    /// through the framework's vectorised search code, which the runtime compiles afresh for the machine and runs
    /// unoptimised until it tiers up. This writer is plain loops, compiled ahead of time with the rest of the module.
    /// It writes what <see cref="System.Text.Json.JsonDocument"/> reads back: <c>"</c>, <c>\</c> and control characters
    /// escaped, everything else as UTF-8, and a lone surrogate as U+FFFD, as it went on the wire.
    /// </summary>
    internal sealed class JournalLineWriter
    {
        private const int MaxBytesPerChar = 6;

        [ThreadStatic]
        private static JournalLineWriter? _threadWriter;

        private byte[] _buffer = new byte[2048];
        private int _length;

        // Whether a value stands before the next one at this level, which then needs a comma.
        private bool _afterValue;

        /// <summary>This thread's writer, emptied.</summary>
        public static JournalLineWriter Start()
        {
            var writer = _threadWriter ??= new JournalLineWriter();
            writer._length = 0;
            writer._afterValue = false;
            return writer;
        }

        public int Length => _length;

        public byte[] ToArray()
        {
            var line = new byte[_length];
            Buffer.BlockCopy(_buffer, 0, line, 0, _length);
            return line;
        }

        public override string ToString() => System.Text.Encoding.UTF8.GetString(_buffer, 0, _length);

        public void StartObject()
        {
            Separate();
            Put((byte)'{');
            _afterValue = false;
        }

        public void StartObject(string name)
        {
            Name(name);
            Put((byte)'{');
            _afterValue = false;
        }

        public void EndObject()
        {
            Put((byte)'}');
            _afterValue = true;
        }

        public void StartArray(string name)
        {
            Name(name);
            Put((byte)'[');
            _afterValue = false;
        }

        public void EndArray()
        {
            Put((byte)']');
            _afterValue = true;
        }

        /// <summary>A string property; null is written as JSON null.</summary>
        public void String(string name, string? value)
        {
            Name(name);
            if (value == null)
            {
                Literal("null");
            }
            else
            {
                Quoted(value);
            }

            _afterValue = true;
        }

        public void StringValue(string value)
        {
            Separate();
            Quoted(value);
            _afterValue = true;
        }

        public void Number(string name, long value)
        {
            Name(name);
            Integer(value);
            _afterValue = true;
        }

        /// <summary>A number property; null is written as JSON null.</summary>
        public void NumberOrNull(string name, int? value)
        {
            Name(name);
            if (value.HasValue)
            {
                Integer(value.Value);
            }
            else
            {
                Literal("null");
            }

            _afterValue = true;
        }

        public void Boolean(string name, bool value)
        {
            Name(name);
            Literal(value ? "true" : "false");
            _afterValue = true;
        }

        public void Null(string name)
        {
            Name(name);
            Literal("null");
            _afterValue = true;
        }

        /// <summary>A time in the round-trip form <c>DateTimeOffset.ToString("o")</c> writes (and <c>ParseExact("o")</c> reads).</summary>
        public void Time(string name, DateTimeOffset value)
        {
            Name(name);
            Time(value);
            _afterValue = true;
        }

        /// <summary>A time property; null is written as JSON null.</summary>
        public void Time(string name, DateTimeOffset? value)
        {
            if (value.HasValue)
            {
                Time(name, value.Value);
            }
            else
            {
                Null(name);
            }
        }

        private void Time(DateTimeOffset value)
        {
            // yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm
            Reserve(35);
            var clock = value.DateTime;
            var buffer = _buffer;
            var at = _length;
            buffer[at++] = (byte)'"';
            at = Digits(buffer, at, clock.Year, 4);
            buffer[at++] = (byte)'-';
            at = Digits(buffer, at, clock.Month, 2);
            buffer[at++] = (byte)'-';
            at = Digits(buffer, at, clock.Day, 2);
            buffer[at++] = (byte)'T';
            at = Digits(buffer, at, clock.Hour, 2);
            buffer[at++] = (byte)':';
            at = Digits(buffer, at, clock.Minute, 2);
            buffer[at++] = (byte)':';
            at = Digits(buffer, at, clock.Second, 2);
            buffer[at++] = (byte)'.';
            at = Digits(buffer, at, (int)(clock.Ticks % TimeSpan.TicksPerSecond), 7);
            var offsetMinutes = (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
            buffer[at++] = offsetMinutes < 0 ? (byte)'-' : (byte)'+';
            offsetMinutes = Math.Abs(offsetMinutes);
            at = Digits(buffer, at, offsetMinutes / 60, 2);
            buffer[at++] = (byte)':';
            at = Digits(buffer, at, offsetMinutes % 60, 2);
            buffer[at++] = (byte)'"';
            _length = at;
        }

        private static int Digits(byte[] buffer, int at, int value, int count)
        {
            for (var i = at + count - 1; i >= at; i--)
            {
                buffer[i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            return at + count;
        }

        private void Integer(long value)
        {
            Reserve(20);
            if (value < 0)
            {
                _buffer[_length++] = (byte)'-';
            }

            // Negative digits, so that long.MinValue needs no special case.
            var rest = value < 0 ? value : -value;
            var digits = 1;
            for (var probe = rest / 10; probe != 0; probe /= 10)
            {
                digits++;
            }

            for (var i = _length + digits - 1; i >= _length; i--)
            {
                _buffer[i] = (byte)('0' - (rest % 10));
                rest /= 10;
            }

            _length += digits;
        }

        private void Name(string name)
        {
            Separate();
            Quoted(name);
            Put((byte)':');
        }

        private void Separate()
        {
            if (_afterValue)
            {
                Put((byte)',');
            }
        }

        private void Literal(string ascii)
        {
            Reserve(ascii.Length);
            for (var i = 0; i < ascii.Length; i++)
            {
                _buffer[_length++] = (byte)ascii[i];
            }
        }

        private void Quoted(string text)
        {
            Reserve(2 + (text.Length * MaxBytesPerChar));
            var buffer = _buffer;
            var at = _length;
            buffer[at++] = (byte)'"';
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c < 0x80)
                {
                    if (c >= 0x20 && c != '"' && c != '\\')
                    {
                        buffer[at++] = (byte)c;
                        continue;
                    }

                    buffer[at++] = (byte)'\\';
                    switch (c)
                    {
                        case '"':
                            buffer[at++] = (byte)'"';
                            break;
                        case '\\':
                            buffer[at++] = (byte)'\\';
                            break;
                        case '\n':
                            buffer[at++] = (byte)'n';
                            break;
                        case '\r':
                            buffer[at++] = (byte)'r';
                            break;
                        case '\t':
                            buffer[at++] = (byte)'t';
                            break;
                        default:
                            buffer[at++] = (byte)'u';
                            buffer[at++] = (byte)'0';
                            buffer[at++] = (byte)'0';
                            buffer[at++] = Hex(c >> 4);
                            buffer[at++] = Hex(c & 0xF);
                            break;
                    }
                }
                else if (c < 0x800)
                {
                    buffer[at++] = (byte)(0xC0 | (c >> 6));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (char.IsSurrogate(c))
                {
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        var codePoint = char.ConvertToUtf32(c, text[++i]);
                        buffer[at++] = (byte)(0xF0 | (codePoint >> 18));
                        buffer[at++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                        buffer[at++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                        buffer[at++] = (byte)(0x80 | (codePoint & 0x3F));
                    }
                    else
                    {
                        // U+FFFD, as UTF-8 encoding put it on the wire.
                        buffer[at++] = 0xEF;
                        buffer[at++] = 0xBF;
                        buffer[at++] = 0xBD;
                    }
                }
                else
                {
                    buffer[at++] = (byte)(0xE0 | (c >> 12));
                    buffer[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            buffer[at++] = (byte)'"';
            _length = at;
        }

        private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

        private void Put(byte value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        private void Reserve(int bytes)
        {
            if (_length + bytes > _buffer.Length)
            {
                var larger = new byte[Math.Max(_buffer.Length * 2, _length + bytes)];
                Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
                _buffer = larger;
            }
        }
    }

    /// <summary>
    /// The names of the enums a journal line holds, looked up by value: <c>Enum.ToString</c> per field and line showed in a
    /// bulk send's profile. The enums count up from zero, so a name array serves.
    /// </summary>
    internal static class JournalNames
    {
        private static readonly string[] Statuses = Enum.GetNames(typeof(DeliveryStatus));
        private static readonly string[] EventTypes = Enum.GetNames(typeof(AlertEventType));
        private static readonly string[] Targets = Enum.GetNames(typeof(TargetKind));

        public static string Of(DeliveryStatus value) => (uint)value < (uint)Statuses.Length ? Statuses[(int)value] : value.ToString();

        public static string Of(AlertEventType value) => (uint)value < (uint)EventTypes.Length ? EventTypes[(int)value] : value.ToString();

        public static string Of(TargetKind value) => (uint)value < (uint)Targets.Length ? Targets[(int)value] : value.ToString();
    }
}
