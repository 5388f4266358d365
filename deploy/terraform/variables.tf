variable "service_name" {
  description = "Name of the edge-canary Compute service (its own service, separate from production)"
  type        = string
  default     = "edge-canary"
}

variable "canary_domain" {
  description = "The canary's own hostname, e.g. canary.files.example.org (not the production hostname)"
  type        = string
}

variable "package_path" {
  description = "The Compute package built by `npm run build` and `fastly compute pack` (pkg/edge-canary.tar.gz)"
  type        = string
  default     = "../../pkg/edge-canary.tar.gz"
}

variable "activate" {
  description = "Activate each new version of the canary service (the canary gates production, not itself)"
  type        = bool
  default     = true
}

variable "bucket_host" {
  description = "Host of the bucket's XML API, the same one the production CDN reads (backend gcs)"
  type        = string
  default     = "storage.googleapis.com"
}

variable "bucket" {
  description = "The production bucket (Config Store key bucket)"
  type        = string
}

variable "object" {
  description = "The canary object the uploader writes (Config Store key object)"
  type        = string
  default     = "edge-canary/canary.json"
}

variable "signing" {
  description = "How the canary signs its GET: goog4, aws4, v2 or none; use the production CDN's scheme"
  type        = string
  default     = "goog4"

  validation {
    condition     = contains(["goog4", "aws4", "v2", "none"], var.signing)
    error_message = "signing must be goog4, aws4, v2 or none."
  }
}

variable "production_hostname" {
  description = "The production hostname (e.g. files.example.org) for the optional edge check; null leaves it off"
  type        = string
  default     = null
}

variable "extra_config" {
  description = "Further Config Store keys (warn_age_seconds, max_age_seconds, attempts, deadline_ms, result_ttl_ms, edge_backend_header, edge_expected_backend)"
  type        = map(string)
  default     = {}
}

# The same two values the production service signs with: one source for both, so a wrong value
# breaks the canary exactly when it breaks production.
variable "gcs_hmac_access_id" {
  description = "HMAC access id (GOOG1...) of the service account the production CDN uses"
  type        = string
}

variable "gcs_hmac_secret" {
  description = "HMAC secret for gcs_hmac_access_id, as production is configured with it"
  type        = string
  sensitive   = true
}
