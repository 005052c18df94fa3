// The Flex Consumption plan and the function app (functions/UcjFlow.Functions, .NET 10 isolated worker).
// On Flex Consumption the runtime, the deployment package location and the scale settings live in functionAppConfig;
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE are not app settings there.

@description('Name of the function app (globally unique, part of its host name).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan; the app also gets azd-service-name.')
param tags object

@description('azd service name of the app (azure.yaml).')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the storage account (host storage, Durable Functions task hub, app containers).')
param storageAccountName string

@description('Blob endpoint of the storage account, e.g. https://<account>.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Maximum number of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Campaign file the app loads (next to the app\'s binaries).')
param campaign string

@description('SMTP host.')
param mailHost string

@description('SMTP port.')
param mailPort int

@description('Whether SMTP uses STARTTLS.')
param mailStartTls bool

@description('SMTP user.')
param mailUser string

@description('Sender of the mails, e.g. "UcjFlow <ucjflow@example.go.id>".')
param mailFrom string

@description('Key Vault secret URI of the registry\'s PostgreSQL connection string.')
param registryPostgresSecretUri string

@description('Key Vault secret URI of the SMTP password.')
param mailPasswordSecretUri string

@description('Key Vault secret URI of the approval link signing key.')
param signingKeySecretUri string

@description('Key Vault secret URI of the coordinator token of "koordinator".')
param coordinatorTokenSecretUri string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Host storage and Durable Functions' task hub, identity-based (no AzureWebJobsStorage connection string).
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    UcjFlow__Campaign: campaign
    UcjFlow__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
    UcjFlow__Registry__Postgres: '@Microsoft.KeyVault(SecretUri=${registryPostgresSecretUri})'
    UcjFlow__Mail__Host: mailHost
    UcjFlow__Mail__Port: string(mailPort)
    UcjFlow__Mail__StartTls: mailStartTls ? 'true' : 'false'
    UcjFlow__Mail__User: mailUser
    UcjFlow__Mail__Password: '@Microsoft.KeyVault(SecretUri=${mailPasswordSecretUri})'
    UcjFlow__Mail__From: mailFrom
    UcjFlow__SigningKey: '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})'
    UcjFlow__CoordinatorTokens__koordinator: '@Microsoft.KeyVault(SecretUri=${coordinatorTokenSecretUri})'
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
