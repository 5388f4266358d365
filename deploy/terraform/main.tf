# The edge-canary Compute service: its package, its own domain, backend gcs (and optionally edge,
# the production hostname) with the timeouts the canary's deadlines are designed around, and the
# two stores linked under the names the code opens (canary_config, canary_secrets).

locals {
  # Connect 1 s, first byte 5 s, between bytes 5 s: the canary answers inside deadline_ms (8 s).
  backend_timeouts = {
    connect_timeout       = 1000
    first_byte_timeout    = 5000
    between_bytes_timeout = 5000
  }
  edge_url = var.production_hostname == null ? null : "https://${var.production_hostname}/${var.object}"
}

data "fastly_package_hash" "canary" {
  filename = var.package_path
}

resource "fastly_service_compute" "canary" {
  name     = var.service_name
  activate = var.activate

  domain {
    name    = var.canary_domain
    comment = "edge-canary: health of the production bucket path"
  }

  package {
    filename         = var.package_path
    source_code_hash = data.fastly_package_hash.canary.hash
  }

  backend {
    name                  = "gcs"
    address               = var.bucket_host
    port                  = 443
    use_ssl               = true
    ssl_cert_hostname     = var.bucket_host
    ssl_sni_hostname      = var.bucket_host
    connect_timeout       = local.backend_timeouts.connect_timeout
    first_byte_timeout    = local.backend_timeouts.first_byte_timeout
    between_bytes_timeout = local.backend_timeouts.between_bytes_timeout
  }

  dynamic "backend" {
    for_each = var.production_hostname == null ? [] : [var.production_hostname]
    content {
      name                  = "edge"
      address               = backend.value
      port                  = 443
      use_ssl               = true
      override_host         = backend.value
      ssl_cert_hostname     = backend.value
      ssl_sni_hostname      = backend.value
      connect_timeout       = local.backend_timeouts.connect_timeout
      first_byte_timeout    = local.backend_timeouts.first_byte_timeout
      between_bytes_timeout = local.backend_timeouts.between_bytes_timeout
    }
  }

  # The link name is the name the code opens: ConfigStore('canary_config'), SecretStore('canary_secrets').
  resource_link {
    name        = "canary_config"
    resource_id = fastly_configstore.canary.id
  }

  resource_link {
    name        = "canary_secrets"
    resource_id = fastly_secretstore.canary.id
  }

  force_destroy = false
}
