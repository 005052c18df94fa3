// Key Vault (RBAC authorization) with the app's secrets. The function app reads them through Key Vault references
// (@Microsoft.KeyVault(SecretUri=...)) with its user-assigned identity, which holds Key Vault Secrets User (roles.bicep).

@description('Name of the Key Vault (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Fully qualified domain name of the PostgreSQL server.')
param postgresHost string

@description('Database of the registry.')
param postgresDatabase string

@description('Administrator login of the PostgreSQL server.')
param postgresUser string

@secure()
@description('Administrator password of the PostgreSQL server.')
param postgresPassword string

@secure()
@description('Password of the SMTP account.')
param mailPassword string

@secure()
@description('Key that signs approval links.')
param signingKey string

@secure()
@description('Bearer token of the coordinator "koordinator".')
param coordinatorToken string

// Npgsql connection string. The password is double-quoted (embedded quotes doubled), so ';' or '=' in it stay part of it.
// A small pool per instance: Burstable servers allow few connections (B1ms: about 50) and the app scales out.
var postgresConnectionString = 'Host=${postgresHost};Port=5432;Database=${postgresDatabase};Username=${postgresUser};Password="${replace(postgresPassword, '"', '""')}";SSL Mode=Require;Maximum Pool Size=4'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource registryPostgres 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'registry-postgres'
  properties: {
    value: postgresConnectionString
    contentType: 'Npgsql connection string'
  }
}

resource mailPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mail-password'
  properties: {
    value: mailPassword
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'signing-key'
  properties: {
    value: signingKey
  }
}

resource coordinatorTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'coordinator-token-koordinator'
  properties: {
    value: coordinatorToken
  }
}

output name string = vault.name
output id string = vault.id
// Secret URIs (addresses, not values) without a version: a Key Vault reference to one follows the latest version.
output registryPostgresUri string = registryPostgres.properties.secretUri
output mailSecretUri string = mailPasswordSecret.properties.secretUri
output signingKeyUri string = signingKeySecret.properties.secretUri
output coordinatorTokenUri string = coordinatorTokenSecret.properties.secretUri
