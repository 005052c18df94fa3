// UcjFlow on Azure: the Functions app (functions/UcjFlow.Functions) on Flex Consumption, its storage (host, Durable
// Functions task hub, uploads/ reports/ exports/), the Event Grid system topic feeding the OnUpload blob trigger,
// Application Insights, the PostgreSQL registry and the Key Vault with the app's secrets.
// Deployed by `azd up` (azure.yaml) or `az deployment sub create` (see README.md).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of the resource group name and of the hash in every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of all resources (one where Flex Consumption and PostgreSQL flexible server are offered).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group; rg-<environmentName> when empty.')
param resourceGroupName string = ''

@description('Maximum number of instances the function app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Campaign file the app loads.')
param campaign string = 'campaign.sarolangun-2024.json'

@description('Administrator login of the PostgreSQL server.')
param postgresAdminLogin string = 'ucjflowadmin'

@secure()
@description('Administrator password of the PostgreSQL server (8-128 characters, three of: upper case, lower case, digits, symbols).')
param postgresAdminPassword string

@description('SMTP host the app sends mail through.')
param mailHost string

@description('SMTP port.')
param mailPort int = 587

@description('Whether SMTP uses STARTTLS.')
param mailStartTls bool = true

@description('SMTP user.')
param mailUser string

@secure()
@description('SMTP password.')
param mailPassword string

@description('Sender of the mails, e.g. "UcjFlow <ucjflow@example.go.id>".')
param mailFrom string

@secure()
@minLength(32)
@description('Key that signs the approval links in mails, at least 32 characters (e.g. `openssl rand -base64 32`).')
param signingKey string

@secure()
@description('Bearer token of the coordinator "koordinator" for the JSON API.')
param coordinatorToken string

@description('Create the Event Grid subscription uploads/ -> OnUpload. Needs the deployed code (the blobs_extension system key): false on the first deployment, true after the code is deployed.')
param deployUploadSubscription bool = false

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var registryDatabase = 'ucjflow'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    systemTopicName: 'evgt-uploads-${resourceToken}'
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: 'psql-${resourceToken}'
    location: location
    tags: tags
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    databaseName: registryDatabase
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    postgresHost: postgres.outputs.fqdn
    postgresDatabase: postgres.outputs.databaseName
    postgresUser: postgresAdminLogin
    postgresPassword: postgresAdminPassword
    mailPassword: mailPassword
    signingKey: signingKey
    coordinatorToken: coordinatorToken
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  // The identity holds its roles before the app starts: host storage, deployment package, Key Vault references.
  dependsOn: [
    roles
  ]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    campaign: campaign
    mailHost: mailHost
    mailPort: mailPort
    mailStartTls: mailStartTls
    mailUser: mailUser
    mailFrom: mailFrom
    registryPostgresSecretUri: keyVault.outputs.registryPostgresUri
    mailPasswordSecretUri: keyVault.outputs.mailSecretUri
    signingKeySecretUri: keyVault.outputs.signingKeyUri
    coordinatorTokenSecretUri: keyVault.outputs.coordinatorTokenUri
  }
}

module uploadSubscription 'modules/upload-subscription.bicep' = if (deployUploadSubscription) {
  name: 'upload-subscription'
  scope: rg
  params: {
    systemTopicName: storage.outputs.systemTopicName
    functionAppName: functionApp.outputs.name
  }
}

// Read by azd (service "api" in azure.yaml) and by the postdeploy hook (infra/scripts/postdeploy.*).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output UPLOADS_SYSTEM_TOPIC_NAME string = storage.outputs.systemTopicName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output POSTGRES_SERVER_FQDN string = postgres.outputs.fqdn
output POSTGRES_DATABASE string = registryDatabase
