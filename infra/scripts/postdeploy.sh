#!/bin/sh
# azd postdeploy hook (azure.yaml), also usable by hand after `az deployment sub create` and the code deployment:
# creates or updates the Event Grid subscription uploads/ -> OnUpload by deploying infra/modules/upload-subscription.bicep
# into the resource group. Its webhook URL needs the host's blobs_extension system key, which exists only once the
# deployed code has started, so this waits for the key first.
# Needs the Azure CLI, signed in (`az login`) to the subscription azd deployed to.
# Reads AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME and UPLOADS_SYSTEM_TOPIC_NAME (outputs of infra/main.bicep,
# which azd passes to hooks).
set -eu

: "${AZURE_RESOURCE_GROUP:?not set (an output of infra/main.bicep)}"
: "${AZURE_FUNCTION_APP_NAME:?not set (an output of infra/main.bicep)}"
: "${UPLOADS_SYSTEM_TOPIC_NAME:?not set (an output of infra/main.bicep)}"

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is required, see infra/README.md" >&2
  exit 1
fi
if [ -n "${AZURE_SUBSCRIPTION_ID:-}" ]; then
  az account set --subscription "$AZURE_SUBSCRIPTION_ID"
fi

attempts=0
until key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" -o tsv 2>/dev/null) && [ -n "$key" ]; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "postdeploy: no blobs_extension system key on $AZURE_FUNCTION_APP_NAME after 5 minutes." >&2
    echo "  Is the code deployed and does OnUpload use the Event Grid blob trigger (Source = BlobTriggerSource.EventGrid)?" >&2
    exit 1
  fi
  echo "postdeploy: waiting for the function host's blobs_extension key ($attempts/30)..."
  sleep 10
done

here=$(cd "$(dirname "$0")" && pwd)
az deployment group create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --name upload-subscription \
  --template-file "$here/../modules/upload-subscription.bicep" \
  --parameters systemTopicName="$UPLOADS_SYSTEM_TOPIC_NAME" functionAppName="$AZURE_FUNCTION_APP_NAME" \
  --output none
echo "postdeploy: Event Grid subscription uploads/ -> OnUpload is in place on $UPLOADS_SYSTEM_TOPIC_NAME."
