# azd postdeploy hook on Windows: the same steps as postdeploy.sh (see there).
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'UPLOADS_SYSTEM_TOPIC_NAME') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "postdeploy: $name is not set (an output of infra/main.bicep)" }
}
if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw 'postdeploy: the Azure CLI (az) is required, see infra/README.md' }
if ($env:AZURE_SUBSCRIPTION_ID) { az account set --subscription $env:AZURE_SUBSCRIPTION_ID }

$key = ''
for ($attempt = 1; $attempt -le 30; $attempt++) {
  $key = az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME --query 'systemKeys.blobs_extension' -o tsv 2>$null
  if ($LASTEXITCODE -eq 0 -and $key) { break }
  Write-Host "postdeploy: waiting for the function host's blobs_extension key ($attempt/30)..."
  Start-Sleep -Seconds 10
}
if (-not $key) {
  throw "postdeploy: no blobs_extension system key on $($env:AZURE_FUNCTION_APP_NAME) after 5 minutes. Is the code deployed and does OnUpload use the Event Grid blob trigger (Source = BlobTriggerSource.EventGrid)?"
}

az deployment group create `
  --resource-group $env:AZURE_RESOURCE_GROUP `
  --name upload-subscription `
  --template-file (Join-Path $PSScriptRoot '../modules/upload-subscription.bicep') `
  --parameters systemTopicName=$env:UPLOADS_SYSTEM_TOPIC_NAME functionAppName=$env:AZURE_FUNCTION_APP_NAME `
  --output none
if ($LASTEXITCODE -ne 0) { throw 'postdeploy: deploying upload-subscription.bicep failed' }
Write-Host "postdeploy: Event Grid subscription uploads/ -> OnUpload is in place on $($env:UPLOADS_SYSTEM_TOPIC_NAME)."
