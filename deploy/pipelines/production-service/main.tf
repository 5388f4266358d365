# Sketch of the PRODUCTION service (the one that serves files.example.org) as the pipeline expects
# it, in the production service's own repository (terraform/ in deploy/pipelines/github-actions.yml):
# Terraform builds every change into a draft version and never activates it; the gate does.
# Only the parts the pipeline relies on are shown.

variable "activate" {
  description = "Never true in CI: npm run gate activates the draft after it passes through staging"
  type        = bool
  default     = false
}

resource "fastly_service_vcl" "files" {
  name     = "files.example.org"
  activate = var.activate

  domain {
    name = "files.example.org"
  }

  backend {
    name                  = "gcs"
    address               = "storage.googleapis.com"
    port                  = 443
    use_ssl               = true
    ssl_cert_hostname     = "storage.googleapis.com"
    ssl_sni_hostname      = "storage.googleapis.com"
    connect_timeout       = 1000
    first_byte_timeout    = 5000
    between_bytes_timeout = 5000
  }

  # The canary rule (edge-canary's snippets/vcl/): the canary path is always passed and never falls
  # back. The pipeline checks edge-canary out beside terraform/; a copy in this repository works too.
  snippet {
    name     = "edge_canary_recv"
    type     = "recv"
    priority = 900
    content  = file("${path.module}/../edge-canary/snippets/vcl/edge-canary-recv.vcl")
  }
}

output "service_id" {
  value = fastly_service_vcl.files.id
}

# The draft this apply built (the provider's last cloned version): the version the gate stages.
output "draft_version" {
  value = fastly_service_vcl.files.cloned_version
}

# What production runs now. Equal to draft_version when this apply built nothing new (the gate
# activated the last draft and nothing changed since): the pipeline then has nothing to gate.
output "active_version" {
  value = fastly_service_vcl.files.active_version
}
