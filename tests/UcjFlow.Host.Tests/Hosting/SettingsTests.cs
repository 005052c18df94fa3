using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UcjFlow.Adapters.Mail;
using UcjFlow.Adapters.Notify;
using UcjFlow.App.Hosting;
using UcjFlow.App.Settings;
using UcjFlow.Core.Mail;
using UcjFlow.Embedded.Mail;
using UcjFlow.Host.Hosting;
using UcjFlow.Host.Tests.Support;

namespace UcjFlow.Host.Tests.Hosting;

public sealed class SettingsTests
{
    static readonly Dictionary<string, string?> NoEnvironment = [];

    static UcjFlowSettings Load(string folder, string? urls = null, Dictionary<string, string?>? environment = null) =>
        LocalSettings.Load(new LocalSettings.Overrides(DataFolder: folder, Urls: urls), environment ?? NoEnvironment);

    static UcjFlowSettings Read(HostKind host, params (string Key, string Value)[] values) =>
        UcjFlowSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build(),
            host, NoEnvironment);

    [Fact]
    public void Nothing_configured_is_the_embedded_default()
    {
        using var folder = new TempFolder();
        var s = Load(folder.Path);
        Assert.Equal("http://127.0.0.1:7071", s.Urls);
        Assert.Equal(folder.Path, s.DataFolder);
        Assert.False(s.Mail.UsesSmtp);
        Assert.Empty(s.CoordinatorTokens);
        Assert.Null(s.CampaignFile);
        Assert.Null(s.RegistryPostgres);
    }

    [Fact]
    public void The_settings_file_is_read_the_environment_overrides_it_and_the_command_line_wins()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, UcjFlowSettings.SettingsFileName), """
            {
              "Urls": "http://127.0.0.1:9000",
              "PublicBaseUrl": "https://ucjflow.sarolangunkab.go.id/",
              "Mail": { "Host": "smtp.example.id", "Port": 2525, "StartTls": false, "User": "u", "Password": "p", "From": "UcjFlow <a@b.id>" },
              "CoordinatorTokens": { "budi": "tok-1" },
              "VillageTokens": { "1503012001": "tok-desa" },
              "SigningKey": "0123456789abcdef0123456789abcdef",
              "MaxUploadMegabytes": 5
            }
            """);
        var s = Load(folder.Path, urls: "http://127.0.0.1:9100", environment: new() { ["UcjFlow__Mail__Port"] = "2626", ["UCJFLOW__APPROVALLINKDAYS"] = "3" });
        Assert.Equal("http://127.0.0.1:9100", s.Urls);
        Assert.Equal("https://ucjflow.sarolangunkab.go.id", s.PublicBase);
        Assert.Equal(("smtp.example.id", 2626, false, "u", "p"), (s.Mail.Host, s.Mail.Port, s.Mail.StartTls, s.Mail.User, s.Mail.Password));
        Assert.Equal("tok-1", s.CoordinatorTokens["budi"]);
        Assert.Equal("tok-desa", s.VillageTokens["15.03.01.2001"]);
        Assert.Equal(5L * 1024 * 1024, s.MaxUploadBytes);
        Assert.Equal(TimeSpan.FromDays(3), s.ApprovalLinkLifetime);
        Assert.Contains("Password = ***", s.Mail.ToString()); // the password never prints
    }

    [Fact]
    public void A_bad_value_is_refused_with_its_name()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<SettingsException>(() => Load(folder.Path, environment: new() { ["UcjFlow__Mail__Port"] = "dua" }));
        Assert.Contains("UcjFlow:Mail:Port", e.Message);
    }

    [Theory]
    [InlineData("Smtp:Host", "UcjFlow:Smtp:Host")]
    [InlineData("Mail:Hots", "did you mean UcjFlow:Mail:Host?")]
    [InlineData("Coordinators:budi", "did you mean UcjFlow:CoordinatorTokens:budi?")]
    [InlineData("SigningKy", "did you mean UcjFlow:SigningKey?")]
    public void A_misspelt_or_unknown_name_is_refused_with_the_nearest_known_one(string key, string expected)
    {
        var e = Assert.Throws<SettingsException>(() => Read(HostKind.Local, (key, "x")));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("MaxUploadMegabytes", "26", "UcjFlow:MaxUploadMegabytes must be between 1 and 25")]
    [InlineData("SigningKey", "too-short", "UcjFlow:SigningKey must be at least 32 characters long")]
    [InlineData("CoordinatorTokens:budi", "CHANGE-ME-openssl-rand-hex-24", "UcjFlow:CoordinatorTokens:budi still holds the sample's CHANGE-ME placeholder")]
    [InlineData("Registry:Postgres", "Hots=db;Password=rahasia", "UcjFlow:Registry:Postgres is not a PostgreSQL connection string")]
    [InlineData("VillageTokens:15.03.01", "t", "'15.03.01' is not a village code")]
    public void A_value_that_cannot_work_is_refused_with_its_name(string key, string value, string expected)
    {
        var e = Assert.Throws<SettingsException>(() => Read(HostKind.Local, (key, value)));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("rahasia", e.Message);
    }

    [Fact]
    public void Printed_settings_never_show_a_secret()
    {
        var printed = Read(HostKind.AzureFunctions, ("SigningKey", "0123456789abcdef0123456789abcdef-rahasia"), ("CoordinatorTokens:budi", "token-rahasia"),
            ("Registry:Postgres", "Host=db;Password=rahasia"), ("Mail:Password", "rahasia")).ToString();
        Assert.DoesNotContain("rahasia", printed);
        Assert.Contains("CoordinatorTokens = [budi]", printed);
    }

    [Fact]
    public void A_name_of_the_other_host_is_refused()
    {
        var e = Assert.Throws<SettingsException>(() => Read(HostKind.AzureFunctions, ("Data", "/tmp/x")));
        Assert.Contains("UcjFlow:Data is a setting of the local host", e.Message);
        Assert.Equal("/tmp/x", Read(HostKind.Local, ("Data", "/tmp/x")).DataFolder);
    }

    [Theory]
    [InlineData("UCJFLOW_Mail__Host")]
    [InlineData("UcjFlow_SigningKey")]
    [InlineData("UCJ_FLOW__Campaign")]
    public void An_environment_variable_that_looks_meant_for_UcjFlow_but_is_not_read_is_refused(string name)
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<SettingsException>(() => Load(folder.Path, environment: new() { [name] = "x" }));
        Assert.Contains($"Environment variable {name} is not read", e.Message);
    }

    [Fact]
    public void The_settings_file_is_checked_as_strictly_as_the_environment()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, UcjFlowSettings.SettingsFileName), """{ "Mail": { "Hostname": "smtp.example.id" } }""");
        var e = Assert.Throws<SettingsException>(() => Load(folder.Path));
        Assert.Contains("UcjFlow:Mail:Hostname is not a setting", e.Message);
    }

    [Fact]
    public void Azure_Functions_refuses_to_start_without_registry_smtp_signing_key_a_coordinator_and_its_address()
    {
        var e = Assert.Throws<SettingsException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddUcjFlow(Read(HostKind.AzureFunctions), new HostParts { Kind = HostKind.AzureFunctions, BlobStore = _ => throw new NotSupportedException() }));
        Assert.Equal(5, e.Problems.Count);
        foreach (var name in new[] { "UcjFlow:Registry:Postgres", "UcjFlow:Mail:Host", "UcjFlow:SigningKey", "UcjFlow:CoordinatorTokens", "UcjFlow:PublicBaseUrl" })
            Assert.Contains(e.Problems, p => p.StartsWith(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Locally_mail_goes_to_the_outbox_without_a_host_and_through_SMTP_with_one()
    {
        using var folder = new TempFolder();
        using (var local = UcjFlowApp.Create(Load(folder.Path)))
            Assert.Equal(EmbeddedHosting.OutboxFolder(Load(folder.Path)), Assert.IsType<OutboxMailer>(Get<PendingMailer>(local).Inner).Folder);
        // One app per data folder at a time: the second is made once the first is gone.

        using var smtp = UcjFlowApp.Create(Load(folder.Path, environment: new() { ["UcjFlow__Mail__Host"] = "smtp.example.id" }));
        Assert.IsType<SmtpMailer>(Get<PendingMailer>(smtp).Inner);
        Assert.Same(Get<PendingMailer>(smtp), Get<Notifier>(smtp).Mail);
        Assert.Same(Get<Notifier>(smtp), Get<IMailer>(smtp));
        Assert.Null(Get<Notifier>(smtp).Texts);
    }

    [Fact]
    public void The_text_gateway_is_read_from_Notify_Gateway_and_a_misspelt_or_malformed_one_is_refused()
    {
        using var folder = new TempFolder();
        var settings = Load(folder.Path, environment: new()
        {
            ["UcjFlow__Notify__Gateway__Url"] = "https://wa-gateway.sarolangunkab.example.id/send",
            ["UcjFlow__Notify__Gateway__Token"] = "gateway-secret-0001",
        });
        Assert.Equal((new Uri("https://wa-gateway.sarolangunkab.example.id/send"), "gateway-secret-0001"), (settings.Gateway.Url, settings.Gateway.Token));
        Assert.DoesNotContain("gateway-secret-0001", settings.ToString(), StringComparison.Ordinal);
        using (var app = UcjFlowApp.Create(settings))
        {
            var texts = Get<Notifier>(app).Texts!;
            Assert.IsType<GatewaySender>(texts.Inner);
            Assert.Equal(PendingMailer.TextQueue, texts.Queue);
        }

        var misspelt = Assert.Throws<SettingsException>(() => Read(HostKind.AzureFunctions, ("Notify:Gateway:Ulr", "https://gw.example.id")));
        Assert.Contains("UcjFlow:Notify:Gateway:Ulr is not a setting (did you mean UcjFlow:Notify:Gateway:Url?)", misspelt.Message);
        var malformed = Assert.Throws<SettingsException>(() => Read(HostKind.Local, ("Notify:Gateway:Url", "gw.example.id/send"), ("Notify:Gateway:Token", "t")));
        Assert.Equal(["UcjFlow:Notify:Gateway:Url: 'gw.example.id/send' is not an http(s) URL."], malformed.Problems);
        var tokenOnly = Assert.Throws<SettingsException>(() => Read(HostKind.Local, ("Notify:Gateway:Token", "t")));
        Assert.Equal(["UcjFlow:Notify:Gateway:Token is set but UcjFlow:Notify:Gateway:Url is not: no text would be sent."], tokenOnly.Problems);
    }

    static T Get<T>(WebApplication app) where T : notnull => app.Services.GetRequiredService<T>();
}
