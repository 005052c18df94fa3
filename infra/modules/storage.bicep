// The storage account: the Functions host and Durable Functions' task hub (blobs, queues, tables), the app's containers
// (uploads/, reports/, exports/, mail/), the Flex Consumption deployment package container, and the Event Grid system topic
// that turns blob creations in uploads/ into events for the OnUpload blob trigger.
// Keys are off (allowSharedKeyAccess: false): everything authenticates with Microsoft Entra ID.

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Blob container that holds the function app deployment package (Flex Consumption).')
param deploymentContainerName string

@description('Name of the Event Grid system topic on the storage account.')
param systemTopicName string

// Containers of the application (same names as BlobContainers in UcjFlow.Core) plus the deployment package container.
var containerNames = [
  'uploads'
  'reports'
  'exports'
  'mail'
  deploymentContainerName
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output systemTopicName string = systemTopic.name
