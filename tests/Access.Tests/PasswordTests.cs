using Emotion.Access;

namespace Emotion.Access.Tests;

/// <summary>Console passwords: stored hashed, checked like keys, and an unknown user or a missing password gets nothing.</summary>
public sealed class PasswordTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "emotion-pw-" + Guid.NewGuid().ToString("N"));

    private UserStore Store() => new(Path.Combine(_dir, "users.json"));

    [Fact]
    public void Sign_in_succeeds_with_the_password_and_gives_the_users_role_and_tenant()
    {
        var store = Store();
        store.Add("ana", Role.Coach, "acme");
        store.SetPassword("ana", "correct horse battery");
        Assert.Equal(new Caller("ana", Role.Coach, "acme"), store.SignIn("ana", "correct horse battery"));
        Assert.DoesNotContain("correct horse", File.ReadAllText(store.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_password_an_unknown_user_and_a_user_without_password_are_refused_alike()
    {
        var store = Store();
        store.Add("ana", Role.Coach, "acme");
        store.Add("bob", Role.Client, "acme");
        store.SetPassword("ana", "correct horse battery");
        Assert.Null(store.SignIn("ana", "wrong"));
        Assert.Null(store.SignIn("nobody", "correct horse battery"));
        Assert.Null(store.SignIn("bob", ""));
        Assert.Null(store.SignIn(null, null));
    }

    [Fact]
    public void A_short_password_or_an_unknown_user_cannot_be_set()
    {
        var store = Store();
        store.Add("ana", Role.Coach, "acme");
        Assert.Throws<ArgumentException>(() => store.SetPassword("ana", "short"));
        Assert.Throws<ArgumentException>(() => store.SetPassword("nobody", "long enough password"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
