output "service_id" {
  description = "The edge-canary service's ID"
  value       = fastly_service_compute.canary.id
}

output "active_version" {
  description = "The canary service's active version"
  value       = fastly_service_compute.canary.active_version
}

output "health_url" {
  description = "Point uptime checkers, Prometheus and the Statuspage sync here"
  value       = "https://${var.canary_domain}/health"
}

output "edge_url" {
  description = "The canary on the production hostname: the --url of npm run gate for the production service"
  value       = local.edge_url
}

output "config_store_id" {
  value = fastly_configstore.canary.id
}

output "secret_store_id" {
  value = fastly_secretstore.canary.id
}
