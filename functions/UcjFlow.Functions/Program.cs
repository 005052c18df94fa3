using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using UcjFlow.Functions.Hosting;

// The Azure host: the app layer and the workflow composed once (UcjFlow.App's AddUcjFlow), with Azure Blob Storage,
// PostgreSQL and SMTP behind the ports, and the Durable Functions engine running the orchestrations.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddUcjFlowFunctions();
builder.Build().Run();
