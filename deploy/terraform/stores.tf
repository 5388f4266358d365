# Config Store canary_config: what to fetch and how to judge it (DESIGN.md section 5). Entries are
# versionless: a change here is live on every version (staging included) as soon as it is applied.
resource "fastly_configstore" "canary" {
  name = "canary_config"
}

resource "fastly_configstore_entries" "canary" {
  store_id = fastly_configstore.canary.id
  # Terraform owns every key: a misspelled key added by hand is removed on the next apply.
  manage_entries = true
  entries = merge(
    {
      bucket      = var.bucket
      object      = var.object
      signing     = var.signing
      origin_host = var.bucket_host
    },
    local.edge_url == null ? {} : { edge_url = local.edge_url },
    var.extra_config,
  )
}

# Secret Store canary_secrets: hmac_access_id and hmac_secret. The provider creates the store but
# cannot set its entries (secrets.tf does that with the Fastly CLI).
resource "fastly_secretstore" "canary" {
  name = "canary_secrets"
}
