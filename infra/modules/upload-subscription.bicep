// The Event Grid subscription that feeds the OnUpload blob trigger (Event Grid source): every BlobCreated event under
// uploads/ goes to the Functions blob extension's webhook. Its URL carries the blobs_extension system key, which the
// host creates only once the app's code (with the Event Grid blob trigger) runs; so this is deployed after the code:
// main.bicep with deployUploadSubscription=true, or this file on its own (azd's postdeploy hook does that).

@description('Name of the Event Grid system topic on the storage account.')
param systemTopicName string

@description('Name of the function app.')
param functionAppName string

@description('Name of the event subscription.')
param subscriptionName string = 'uploads-to-onupload'

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host keys (Microsoft.Web/sites/host/default); Bicep has no type for sites/host, so listKeys takes its id.
// OnUpload is the [Function] name of the blob trigger in functions/UcjFlow.Functions/Triggers/UploadTrigger.cs.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension

resource uploadSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: subscriptionName
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.OnUpload&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/uploads/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output name string = uploadSubscription.name
