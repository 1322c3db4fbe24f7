using System.Text;
using System.Text.Json;

namespace Emotion.Privacy.Tests;

public sealed class PrivacyPolicyTests
{
    private static PrivacyPolicy Policy(Action<PrivacyOptions>? configure = null)
    {
        var o = new PrivacyOptions();
        configure?.Invoke(o);
        return new PrivacyPolicy(o);
    }

    [Fact]
    public void Redaction_is_on_for_every_tenant_and_for_an_unknown_one_by_default()
    {
        var p = Policy();
        Assert.Equal("dni <id>", p.RedactTurn("dni 12345678Z", "acme", "es", null, out var counts));
        Assert.Equal(1, counts.Id);
        Assert.Equal("dni <id>", p.RedactTurn("dni 12345678Z", null, "es", null, out _));
    }

    [Fact]
    public void A_tenant_may_turn_redaction_off_but_a_message_without_tenant_stays_redacted()
    {
        var p = Policy(o => o.Tenants["lab"] = new TenantPrivacyOptions { Redact = false });
        Assert.Equal("dni 12345678Z", p.RedactTurn("dni 12345678Z", "lab", "es", null, out _));
        Assert.Equal("dni 12345678Z", p.RedactTurn("dni 12345678Z", " LAB ", "es", null, out _));
        Assert.Equal("dni <id>", p.RedactTurn("dni 12345678Z", null, "es", null, out _));
        Assert.Equal("dni <id>", p.RedactTurn("dni 12345678Z", "acme", "es", null, out _));
    }

    [Fact]
    public void The_question_of_one_turn_reaches_the_answer_in_the_next_turn_of_the_same_conversation_only()
    {
        var p = Policy();
        p.RedactTurn("me confirma su dni por favor", "acme", "es", "c-1", out _);
        Assert.Equal("<id>", p.RedactTurn("cuatro siete dos cero uno nueve ocho tres", "acme", "es", "c-1", out _));
        p.RedactTurn("me confirma su dni por favor", "acme", "es", "c-2", out _);
        Assert.Equal("cuatro siete dos cero uno nueve ocho tres", p.RedactTurn("cuatro siete dos cero uno nueve ocho tres", "acme", "es", "c-3", out _));
    }

    [Fact]
    public void A_dead_letter_keeps_its_json_shape_with_personal_data_redacted()
    {
        var value = Encoding.UTF8.GetBytes("""{"schema":"emotion.transcript.v1","conversation_id":"c-1","speaker":"bot","text":"mi tarjeta es 4111 1111 1111 1111","seq":3,"produced_at":1732420000123}""");
        var content = Policy().ForDeadLetter(value);
        Assert.Equal(DeadLetterModes.Redacted, content.Mode);
        using var doc = JsonDocument.Parse(content.Value);
        Assert.Equal("mi tarjeta es <card>", doc.RootElement.GetProperty("text").GetString());
        Assert.Equal(1732420000123, doc.RootElement.GetProperty("produced_at").GetInt64());
        Assert.Equal("bot", doc.RootElement.GetProperty("speaker").GetString());
    }

    [Fact]
    public void A_dead_letter_that_is_not_json_is_redacted_as_text_and_audio_is_dropped()
    {
        var p = Policy();
        var text = p.ForDeadLetter(Encoding.UTF8.GetBytes("{\"text\": \"llame al 612 345 678\" broken"));
        Assert.Equal(DeadLetterModes.Redacted, text.Mode);
        Assert.DoesNotContain("612", Encoding.UTF8.GetString(text.Value!), StringComparison.Ordinal);
        byte[] notUtf8 = [0xff, 0xfe, .. "tel 612 345 678"u8];
        var lossy = p.ForDeadLetter(notUtf8);
        Assert.DoesNotContain("612", Encoding.UTF8.GetString(lossy.Value!), StringComparison.Ordinal);
        var audio = p.ForDeadLetter(Encoding.UTF8.GetBytes("aaaa"), isAudio: true);
        Assert.Equal(DeadLetterModes.Dropped, audio.Mode);
        Assert.Null(audio.Value);
    }

    [Fact]
    public void A_dead_letter_without_personal_data_keeps_its_bytes_for_diagnosis()
    {
        var p = Policy();
        byte[] json = "{ \"schema\" : \"emotion.transcript.v9\", \"text\": \"hola\" }"u8.ToArray();
        var content = p.ForDeadLetter(json);
        Assert.Same(json, content.Value);
        Assert.Equal(DeadLetterModes.Redacted, content.Mode);
        byte[] bad = [0x7b, 0xff, 0x41];
        Assert.Same(bad, p.ForDeadLetter(bad).Value);
    }

    [Fact]
    public void Original_dead_letter_bytes_only_where_the_tenant_allows_it()
    {
        var p = Policy(o => o.Tenants["lab"] = new TenantPrivacyOptions { DeadLetterOriginal = true });
        var lab = Encoding.UTF8.GetBytes("""{"tenant":"lab","text":"dni 12345678Z","speaker":"bot"}""");
        var acme = Encoding.UTF8.GetBytes("""{"tenant":"acme","text":"dni 12345678Z","speaker":"bot"}""");
        var kept = p.ForDeadLetter(lab);
        Assert.True(kept.IsOriginal);
        Assert.Same(lab, kept.Value);
        Assert.Equal(DeadLetterModes.Redacted, p.ForDeadLetter(acme).Mode);
        Assert.Equal(DeadLetterModes.Redacted, p.ForDeadLetter(Encoding.UTF8.GetBytes("""{"text":"dni 12345678Z"}""")).Mode);
    }

    [Theory]
    [InlineData("""{"tenant":" acme ","x":1}""", "acme")]
    [InlineData("""{"x":{"tenant":"inner"},"tenant":"outer"}""", "outer")]
    [InlineData("""[{"tenant":"a"}]""", null)]
    [InlineData("not json", null)]
    public void The_tenant_of_a_dead_letter_is_its_top_level_field(string json, string? tenant) =>
        Assert.Equal(tenant, PrivacyPolicy.TenantOf(Encoding.UTF8.GetBytes(json)));
}
