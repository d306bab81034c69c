# Azure data-flow cases (`# expect:` as in alicloud/main.tf). Attribute names follow
# hashicorp/terraform-provider-azurerm website/docs/r/. Azure China: environment = "china", chinanorth*/chinaeast*.

provider "azurerm" {
  features {}
  environment = "china"
}

provider "azurerm" {
  alias = "global"
  features {}
}

resource "azurerm_storage_account" "beijing" {
  name                     = "ordersbj"
  resource_group_name      = "rg"
  location                 = "chinanorth3"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "shanghai" {
  name                     = "orderssh"
  resource_group_name      = "rg"
  location                 = "chinaeast2"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "hongkong" {
  provider                 = azurerm.global
  name                     = "ordershk"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "singapore" {
  provider                 = azurerm.global
  name                     = "orderssg"
  resource_group_name      = "rg"
  location                 = "southeastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

# --- Blob object replication ---
# expect: none
resource "azurerm_storage_object_replication" "beijing_to_shanghai" {
  source_storage_account_id      = azurerm_storage_account.beijing.id
  destination_storage_account_id = azurerm_storage_account.shanghai.id
  rules {
    source_container_name      = "src"
    destination_container_name = "dst"
  }
}

# expect: XB401
resource "azurerm_storage_object_replication" "beijing_to_hongkong" {
  source_storage_account_id      = azurerm_storage_account.beijing.id
  destination_storage_account_id = azurerm_storage_account.hongkong.id
  rules {
    source_container_name      = "src"
    destination_container_name = "dst"
  }
}

# expect: none
resource "azurerm_storage_object_replication" "hongkong_to_singapore" {
  provider                       = azurerm.global
  source_storage_account_id      = azurerm_storage_account.hongkong.id
  destination_storage_account_id = azurerm_storage_account.singapore.id
  rules {
    source_container_name      = "src"
    destination_container_name = "dst"
  }
}

# an account ID outside the scanned configuration
# expect: XB402
resource "azurerm_storage_object_replication" "beijing_to_elsewhere" {
  source_storage_account_id      = azurerm_storage_account.beijing.id
  destination_storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/elsewhere"
  rules {
    source_container_name      = "src"
    destination_container_name = "dst"
  }
}

# --- SQL failover groups (geo-replication both ways) ---
resource "azurerm_mssql_server" "beijing" {
  name                = "sql-bj"
  resource_group_name = "rg"
  location            = "chinanorth3"
  version             = "12.0"
}

resource "azurerm_mssql_server" "shanghai" {
  name                = "sql-sh"
  resource_group_name = "rg"
  location            = "chinaeast2"
  version             = "12.0"
}

resource "azurerm_mssql_server" "hongkong" {
  provider            = azurerm.global
  name                = "sql-hk"
  resource_group_name = "rg"
  location            = "eastasia"
  version             = "12.0"
}

# expect: none
resource "azurerm_mssql_failover_group" "beijing_shanghai" {
  name      = "fog-cn"
  server_id = azurerm_mssql_server.beijing.id
  partner_server {
    id = azurerm_mssql_server.shanghai.id
  }
  read_write_endpoint_failover_policy {
    mode          = "Automatic"
    grace_minutes = 80
  }
}

# a Hong Kong primary with a Beijing partner: data flows both ways, so Beijing -> Hong Kong is reported
# expect: XB401
resource "azurerm_mssql_failover_group" "hongkong_beijing" {
  name      = "fog-x"
  server_id = azurerm_mssql_server.hongkong.id
  partner_server {
    id = azurerm_mssql_server.beijing.id
  }
  read_write_endpoint_failover_policy {
    mode = "Manual"
  }
}

# --- Cosmos DB geo-locations ---
# expect: none
resource "azurerm_cosmosdb_account" "cn_only" {
  name                = "cosmos-cn"
  location            = "chinanorth3"
  resource_group_name = "rg"
  offer_type          = "Standard"
  consistency_policy {
    consistency_level = "Session"
  }
  geo_location {
    location          = "chinanorth3"
    failover_priority = 0
  }
  geo_location {
    location          = "chinaeast2"
    failover_priority = 1
  }
}

# expect: XB401
resource "azurerm_cosmosdb_account" "cn_and_hongkong" {
  name                = "cosmos-x"
  location            = "chinanorth3"
  resource_group_name = "rg"
  offer_type          = "Standard"
  consistency_policy {
    consistency_level = "Session"
  }
  geo_location {
    location          = "chinanorth3"
    failover_priority = 0
  }
  geo_location {
    location          = "eastasia"
    failover_priority = 1
  }
}

# --- Event Grid webhooks (XB403) ---
# expect: XB403
resource "azurerm_eventgrid_event_subscription" "to_partner_webhook" {
  name  = "orders-to-partner"
  scope = azurerm_storage_account.beijing.id
  webhook_endpoint {
    url = "https://hooks.partner.example.com/azure"
  }
}

# expect: none
resource "azurerm_eventgrid_event_subscription" "to_mainland_ip" {
  name  = "orders-to-ops"
  scope = azurerm_storage_account.beijing.id
  webhook_endpoint {
    url = "https://223.5.5.5/hooks/orders"
  }
}
