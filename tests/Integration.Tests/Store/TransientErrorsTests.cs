using System.Net;
using System.Net.Sockets;
using ClickHouse.Driver;
using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>Which ClickHouse failures are permanent, retried a few times, or waited out as an outage (no server needed).</summary>
public class TransientErrorsTests
{
    [Theory]
    [InlineData("Code: 60. DB::Exception: Table emotion.conversations doesn't exist.", ClickHouseFailure.MissingSchema)]
    [InlineData("Code: 81. DB::Exception: Database emotion doesn't exist", ClickHouseFailure.MissingSchema)]
    [InlineData("Code: 210. DB::NetException: Connection refused", ClickHouseFailure.Outage)]
    [InlineData("Code: 209. DB::NetException: Timeout exceeded while reading from socket", ClickHouseFailure.Outage)]
    [InlineData("Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 100", ClickHouseFailure.Outage)]
    [InlineData("Code: 242. DB::Exception: Table is in readonly mode", ClickHouseFailure.Outage)]
    [InlineData("Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts", ClickHouseFailure.Outage)]
    [InlineData("Code: 159. DB::Exception: Timeout exceeded: elapsed 30 seconds", ClickHouseFailure.Transient)]
    [InlineData("Code: 241. DB::Exception: Memory limit (for query) exceeded", ClickHouseFailure.Transient)]
    [InlineData("Code: 62. DB::Exception: Syntax error: failed at position 1", ClickHouseFailure.Permanent)]
    [InlineData("Code: 27. DB::Exception: Cannot parse input: expected , before: x", ClickHouseFailure.Permanent)]
    [InlineData("Code: 16. DB::Exception: No such column foo in table", ClickHouseFailure.Permanent)]
    [InlineData("Service Unavailable", ClickHouseFailure.Outage)] // no ClickHouse code: a proxy or a server not serving queries
    public void Server_errors_are_classified_by_code(string body, ClickHouseFailure expected) =>
        Assert.Equal(expected, TransientErrors.Classify(ClickHouseServerException.FromServerResponse(body, "INSERT INTO t FORMAT JSONEachRow")));

    public static TheoryData<Exception, ClickHouseFailure> TransportErrors => new()
    {
        { new HttpRequestException("Connection refused (127.0.0.1:8123)", new SocketException((int)SocketError.ConnectionRefused)), ClickHouseFailure.Outage },
        { new HttpRequestException("Response status code does not indicate success: 503", null, HttpStatusCode.ServiceUnavailable), ClickHouseFailure.Outage },
        { new HttpRequestException("Response status code does not indicate success: 502", null, HttpStatusCode.BadGateway), ClickHouseFailure.Outage },
        { new HttpRequestException("Response status code does not indicate success: 500", null, HttpStatusCode.InternalServerError), ClickHouseFailure.Outage },
        { new HttpRequestException("Response status code does not indicate success: 400", null, HttpStatusCode.BadRequest), ClickHouseFailure.Permanent },
        { new HttpRequestException("Response status code does not indicate success: 401", null, HttpStatusCode.Unauthorized), ClickHouseFailure.Permanent },
        { new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"), ClickHouseFailure.Outage },
        { new IOException("Unable to read data from the transport connection: Connection reset by peer"), ClickHouseFailure.Outage },
        { new InvalidOperationException("a bug"), ClickHouseFailure.Permanent },
    };

    [Theory]
    [MemberData(nameof(TransportErrors))]
    public void Transport_errors_are_classified(Exception error, ClickHouseFailure expected) =>
        Assert.Equal(expected, TransientErrors.Classify(error));

    [Fact]
    public void Cancellation_the_caller_asked_for_ends_the_wait()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Equal(ClickHouseFailure.Permanent, TransientErrors.Classify(new TaskCanceledException(), cts.Token));
        Assert.False(TransientErrors.IsTransient(new HttpRequestException("refused", new SocketException()), cts.Token));
    }

    [Fact]
    public void Outage_retry_for_must_not_be_negative()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new ClickHouseStore(new ClickHouseOptions { OutageRetryFor = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("ClickHouse:OutageRetryFor", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, new ClickHouseOptions().OutageRetryFor); // default: wait forever
    }
}
