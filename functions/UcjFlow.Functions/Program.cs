using Azure.Core.Serialization;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UcjFlow.Core.Campaigns;
using UcjFlow.Core.Mail;
using UcjFlow.Core.Registry;
using UcjFlow.Core.Security;
using UcjFlow.Core.Storage;
using UcjFlow.Embedded.Mail;
using UcjFlow.Embedded.Registry;
using UcjFlow.Functions.Storage;
using UcjFlow.Workflow;
using UcjFlow.Workflow.Coverage;

// The Azure host: the same services the embedded host registers, with Azure Blob Storage and PostgreSQL behind the ports.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

var config = builder.Configuration;
var time = TimeProvider.System;
var campaign = CampaignLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, config["UcjFlow:Campaign"] ?? "campaign.sarolangun-2024.json"));
var mail = config.GetSection("UcjFlow:Mail").Get<MailSettings>() ?? new MailSettings();
var signingKey = Convert.FromBase64String(config["UcjFlow:LinkSigningKey"]
    ?? throw new InvalidOperationException("UcjFlow:LinkSigningKey (base64, 32 bytes) is not set."));

// Activity inputs/outputs and orchestration state use the workflow's source-generated JSON, as in the embedded runner.
builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(WorkflowJson.Options));
builder.Services.AddSingleton(time);
builder.Services.AddSingleton(campaign);
builder.Services.AddSingleton(new BlobServiceClient(config["AzureWebJobsStorage"]));
builder.Services.AddSingleton<IBlobStore, AzureBlobStore>();
builder.Services.AddSingleton<IEnrollmentRegistry>(_ =>
    PostgresEnrollmentRegistry.OpenAsync(config["UcjFlow:Registry:Postgres"]
        ?? throw new InvalidOperationException("UcjFlow:Registry:Postgres is not set."), time).GetAwaiter().GetResult());
builder.Services.AddSingleton<IMailer>(sp => mail.CreateMailer(time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("UcjFlow.Mail")));
builder.Services.AddSingleton(new ApprovalLinkSigner(signingKey, time));
builder.Services.AddSingleton(new WorkflowOptions { PublicBaseUrl = config["UcjFlow:PublicBaseUrl"] ?? "http://localhost:7071" });
builder.Services.AddSingleton<CoveragePublisher>();

builder.Build().Run();
