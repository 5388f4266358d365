# The provider has no Secret Store entry resource, so the values go in with the Fastly CLI, fed
# from the same variables as the production service's credential. `printf '%s'` adds no newline:
# the canary uses the secret byte for byte, as production does. The values travel in the
# environment of the command, never on its command line; the trigger is a hash, so the plan
# shows that they changed, not what they are. `npx --no-install fastly` is the CLI `npm ci`
# installed in this repository (found from working_dir), never a download; a machine without
# `npm ci` done here gets npx's "could not determine executable to run" instead.
resource "terraform_data" "canary_secrets" {
  triggers_replace = [
    fastly_secretstore.canary.id,
    sha256("${var.gcs_hmac_access_id}:${var.gcs_hmac_secret}"),
  ]

  provisioner "local-exec" {
    working_dir = path.module
    command     = <<-EOT
      printf '%s' "$ACCESS_ID" | npx --no-install fastly secret-store-entry create --store-id "$STORE_ID" --name hmac_access_id --stdin --recreate-allow
      printf '%s' "$SECRET"    | npx --no-install fastly secret-store-entry create --store-id "$STORE_ID" --name hmac_secret --stdin --recreate-allow
    EOT
    environment = {
      STORE_ID  = fastly_secretstore.canary.id
      ACCESS_ID = var.gcs_hmac_access_id
      SECRET    = var.gcs_hmac_secret
    }
  }
}
