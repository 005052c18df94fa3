using UcjFlow.Host.Hosting;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.Hosting;

public sealed class SettingsTests
{
    [Fact]
    public void Nothing_configured_is_the_embedded_default()
    {
        using var folder = new TempFolder();
        var s = UcjFlowSettings.Load(new UcjFlowSettings.Overrides(DataFolder: folder.Path));
        Assert.Equal("http://127.0.0.1:7071", s.Urls);
        Assert.False(s.Mail.UsesSmtp);
        Assert.Equal(Path.Combine(folder.Path, "outbox"), s.Mail.OutboxFolder);
        Assert.Empty(s.CoordinatorTokens);
        Assert.Null(s.CampaignFile);
    }

    [Fact]
    public void The_settings_file_is_read_and_the_command_line_wins()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, UcjFlowSettings.SettingsFileName), """
            {
              "Urls": "http://127.0.0.1:9000",
              "PublicBaseUrl": "https://ucjflow.sarolangunkab.go.id/",
              "Smtp": { "Host": "smtp.example.id", "Port": 2525, "StartTls": false, "User": "u", "Password": "p", "From": "UcjFlow <a@b.id>" },
              "Coordinators": { "budi": "tok-1" },
              "Villages": { "1503012001": "tok-desa" },
              "SigningKey": "0123456789abcdef0123",
              "MaxUploadMegabytes": 5
            }
            """);
        var s = UcjFlowSettings.Load(new UcjFlowSettings.Overrides(DataFolder: folder.Path, Urls: "http://127.0.0.1:9100"));
        Assert.Equal("http://127.0.0.1:9100", s.Urls);
        Assert.Equal("https://ucjflow.sarolangunkab.go.id", s.PublicBase);
        Assert.Equal(("smtp.example.id", 2525, false, "u", "p"), (s.Mail.Host, s.Mail.Port, s.Mail.StartTls, s.Mail.User, s.Mail.Password));
        Assert.Equal("tok-1", s.CoordinatorTokens["budi"]);
        Assert.Equal("tok-desa", s.VillageTokens["15.03.01.2001"]);
        Assert.Equal(5L * 1024 * 1024, s.MaxUploadBytes);
        Assert.Contains("Password = ***", s.Mail.ToString()); // the password never prints
    }

    [Fact]
    public void A_bad_value_is_refused_with_its_key()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<InvalidOperationException>(() =>
            UcjFlowSettings.Load(new UcjFlowSettings.Overrides(DataFolder: folder.Path), new Dictionary<string, string?> { ["Smtp:Port"] = "dua" }));
        Assert.Contains("Smtp:Port", e.Message);
    }
}
